#!/bin/sh
# make check: the recorded fixture outputs must still be what Pacemaker's
# crm_simulate prints for them (see README.md; exits 77 to skip when
# crm_simulate is missing, which is a failure under CI=true).
exec "$(dirname "$0")/record" --check
