#!/bin/sh
# Damaged CIBs must never crash fo-sim (tests/pe/mutate.py).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
export top_srcdir top_builddir
exec python3 "$top_srcdir/tests/pe/mutate.py" \
	--fo-sim "$top_builddir/cli/fo-sim" "$@"
