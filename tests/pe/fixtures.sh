#!/bin/sh
# The project's own scheduler fixtures (tests/pe/cases/NAME.xml with
# NAME.summary from crm_simulate and optional NAME.args), run through
# fo-sim -S and compared by tests/pe/simcheck.py. A fixture listed in
# tests/pe/fixtures-passing.list must pass; skips when there are none.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
exec python3 "$top_srcdir/tests/pe/run-cases" \
	--fo-sim "$top_builddir/cli/fo-sim" \
	--fixtures "$top_srcdir/tests/pe/cases" \
	--passing "$top_srcdir/tests/pe/fixtures-passing.list" "$@"
