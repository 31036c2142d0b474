#!/bin/sh
# The Pacemaker compatibility run: fo-sim -S on the CTS corpus' tier1 and
# tier2 cases (../shared/pacemaker-cts, or $FO_CTS_DIR), compared by
# tests/pe/simcheck.py. Fails only when a case listed in
# tests/pe/compat-passing.list fails (a regression); skips (77) when the
# corpus is absent, except under CI=true.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
cts=${FO_CTS_DIR:-$top_srcdir/../shared/pacemaker-cts}
exec python3 "$top_srcdir/tests/pe/run-cases" \
	--fo-sim "$top_builddir/cli/fo-sim" --corpus "$cts" \
	--passing "$top_srcdir/tests/pe/compat-passing.list" "$@"
