#!/bin/sh
# check-single-active-test.sh - the single-active checker catches what it
# must and passes what it must. Logs are written by hand here; for each,
# the expected verdict is derived from the intervals by hand (comments).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
chk=$top_srcdir/tests/cluster/check-single-active
d=$(mktemp -d /tmp/fo-csa.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT
failures=0

# expect RC NAME [ARGS...] < log: run the checker, compare the exit code.
expect() {
	want=$1 name=$2
	shift 2
	cat >"$d/$name.log"
	"$chk" "$@" "$d/$name.log" >"$d/$name.out" 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: exit $rc, want $want"
		sed 's/^/  /' "$d/$name.out"
		failures=$((failures + 1))
	else
		echo "ok: $name (exit $rc)"
	fi
}

# A move: stop on n1 finished at 200, start on n2 began at 250. Clean.
expect 0 clean-move <<'L'
100 start ip n1
200 stop ip n1
250 start ip n2
L

# Stop at 200 and start elsewhere at exactly 200: half-open, no overlap.
expect 0 same-instant <<'L'
100 start ip n1
200 start ip n2
200 stop ip n1
L

# The injected overlap: n2 starts at 150 while n1 runs until 200.
expect 1 injected-overlap <<'L'
100 start ip n1
150 start ip n2
200 stop ip n1
300 stop ip n2
L
grep -q "OVERLAP: ip active on 2 nodes" "$d/injected-overlap.out" &&
grep -q "ip on n1 \[0.000000100, 0.000000200)" "$d/injected-overlap.out" &&
grep -q "ip on n2 \[0.000000150, 0.000000300)" "$d/injected-overlap.out" &&
grep -q "for 0.000 ms" "$d/injected-overlap.out" ||
	{ echo "FAIL: injected-overlap: intervals not printed"; \
	  cat "$d/injected-overlap.out"; failures=$((failures + 1)); }

# Lines out of order (several nodes append): same verdict after sorting.
expect 1 unsorted-overlap <<'L'
200 stop ip n1
150 start ip n2
100 start ip n1
L

# A crash ends the node's intervals: n1 crashed at 180, n2 starts at 190.
expect 0 crash-then-start <<'L'
100 start ip n1
100 start db n1
180 crash - n1
190 start ip n2
195 start db n3
L

# ...but a start before the crash overlaps.
expect 1 start-before-crash <<'L'
100 start ip n1
170 start ip n2
180 crash - n1
L

# Never stopped: open to the end of the log, overlapping a later start.
expect 1 open-interval <<'L'
100 start ip n1
900 start ip n2
L
grep -q "ip on n1 \[0.000000100, open)" "$d/open-interval.out" ||
	{ echo "FAIL: open-interval: open interval not shown"; \
	  failures=$((failures + 1)); }

# Two resources side by side on two nodes: independent, no overlap.
expect 0 two-resources <<'L'
100 start ip n1
100 start db n2
L

# Clone with at most 3 instances: 3 at once pass, a 4th fails.
expect 0 clone-three --clone web=3 <<'L'
100 start web:0 n1
100 start web:1 n2
100 start web:2 n3
L
expect 1 clone-four --clone web=3 <<'L'
100 start web:0 n1
100 start web:1 n2
100 start web:2 n3
150 start web:3 n4
L
# Without --clone, instances of a clone are separate resources.
expect 0 clone-unnamed <<'L'
100 start web:0 n1
100 start web:1 n2
L
# The clone limit counts intervals: 2 on one node exceed a max of 1.
expect 1 clone-same-node --clone web=1 <<'L'
100 start web:0 n1
120 start web:1 n1
L

# --report-only: prints the overlap and its length, exits 0.
expect 0 report-only --report-only <<'L'
1000000000 start ip n1
1250000000 start ip n2
1500000000 stop ip n1
L
grep -q "250.000 ms in total" "$d/report-only.out" ||
	{ echo "FAIL: report-only: total not reported"; \
	  cat "$d/report-only.out"; failures=$((failures + 1)); }

# agents/Dummy's spelling (start-begin, stop-end): the same verdicts.
expect 0 dummy-clean <<'L'
100 start-begin ip n1
200 stop-end ip n1
250 start-begin ip n2
L
expect 1 dummy-overlap <<'L'
100 start-begin ip n1
150 start-begin ip n2
200 stop-end ip n1
L

# Malformed input: exit 2, naming the file and line.
expect 2 malformed <<'L'
100 start ip n1
x start ip n2
L
grep -q "malformed.log:2: timestamp" "$d/malformed.out" ||
	{ echo "FAIL: malformed: no file:line"; failures=$((failures + 1)); }
expect 2 bad-event <<'L'
100 begin ip n1
L
expect 2 short-line <<'L'
100 start ip
L

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all checker cases pass"
