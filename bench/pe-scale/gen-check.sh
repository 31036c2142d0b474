#!/bin/sh
# make check for the benchmark's generator (the benchmark itself is not a
# test): same seed gives the same bytes, and Pacemaker's crm_simulate
# agrees with what gen promises on a small size: a "fresh" CIB needs
# exactly N x M probes + M starts + M monitors, a "steady" one nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tests/pe/testlib.sh"
need_crm_simulate
with_tmpdir
n=3 m=40
for mode in fresh steady; do
	python3 "$here/gen" -n $n -r $m -m $mode -s 5 -o "$tmp/$mode.xml" &&
	python3 "$here/gen" -n $n -r $m -m $mode -s 5 -o "$tmp/$mode.2.xml" ||
		{ echo "FAIL: gen failed"; exit 1; }
	cmp -s "$tmp/$mode.xml" "$tmp/$mode.2.xml" ||
		{ echo "FAIL: gen $mode is not deterministic"; exit 1; }
	crm_verify -x "$tmp/$mode.xml" ||
		{ echo "FAIL: crm_verify rejects gen's $mode CIB"; exit 1; }
	crm_simulate -x "$tmp/$mode.xml" -R -Q -G "$tmp/$mode.graph" \
		>/dev/null 2>&1 || { echo "FAIL: crm_simulate failed"; exit 1; }
done
fresh=$(grep -c '<synapse ' "$tmp/fresh.graph")
steady=$(grep -c '<synapse ' "$tmp/steady.graph")
want=$((n * m + 2 * m))
if [ "$fresh" -ne "$want" ] || [ "$steady" -ne 0 ]; then
	echo "FAIL: ${n}x$m: fresh has $fresh actions (want $want)," \
		"steady $steady (want 0)"
	exit 1
fi
echo "PASS: ${n}x$m fresh $fresh actions, steady 0, deterministic"
