#!/bin/bash
# failover-crash.sh - a node running a resource crashes (kill -9 of all its
# processes): the survivors start the resource after stop-grace (3 s here),
# never before; the node reboots, rejoins, and no second copy starts.
# Expected outcomes are derived by hand from the configuration
# (tests/cluster/cib/one-dummy.xml): one resource, three nodes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

fo_one_dummy
first=$(active_nodes d1)
[ "$(active_nodes d1 | wc -l)" = 1 ] || fail "d1 active on: $(active_nodes d1)"
n=${first#n}

node_crash "$n"
crash_ns=$(awk '$2 == "crash" { t = $1 } END { print t }' "$FO_ACTLOG")
wait_running 30 d1
now=$(active_nodes d1)
[ "$now" != "$first" ] || fail "d1 still on the crashed node"
start_ns=$(last_event d1 | cut -d' ' -f1)
gap_ms=$(( (start_ns - crash_ns) / 1000000 ))
hlog "d1 on $now ${gap_ms} ms after the crash of $first"
# token 1000 ms + consensus 1200 ms to notice, then stop-grace 3 s
[ "$gap_ms" -ge 3000 ] || fail "d1 restarted ${gap_ms} ms after the crash," \
	"before stop-grace (3 s) passed"

# the node comes back: fresh /run, probes find nothing, one copy stays
node_boot "$n"
corosync_start "$n"
crmd_start "$n"
wait_until 30 "node $n probed d1" \
	grep -q "lrm: d1 monitor on $first: not running" "$T/$first/crmd.out" ||
	fail "node $n did not probe d1"
sleep 2
[ "$(active_nodes d1)" = "$now" ] ||
	fail "after the rejoin d1 is on: $(active_nodes d1)"
fo_check_single
echo "PASS: crash of $first: d1 on $now after ${gap_ms} ms;" \
	"the rejoin kept one copy"
