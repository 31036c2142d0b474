#!/bin/bash
# failover-dc.sh - the DC itself fails, and a node shuts down cleanly.
# 1. The DC (node 1: the lowest node id running fo-crmd) runs d1 and
#    crashes: node 2 becomes DC and starts d1 after stop-grace (3 s), never
#    before. Node 1 reboots and rejoins (and is DC again); its probe finds
#    nothing and d1 stays where it is.
# 2. fo-crmd on the node running d1 gets SIGTERM: d1 moves away before the
#    node leaves: the stop on the old node ends before the start on the new
#    one begins, and the start does not wait for stop-grace.
#
# Expected outcomes are derived by hand from the configuration
# (tests/cluster/cib/one-dummy.xml: one resource, no constraints,
# stickiness 0, stop-grace 3 s) and DESIGN.md's placement tie-breaks
# (score, fewest assigned resources, current node, node name):
#   load                  -> n1 (name)
#   crash of n1           n2, n3 at 0 -> n2 (name), after stop-grace
#   n1 rejoins            current node n2 wins the tie -> stays on n2
#   SIGTERM on n2         n2 shutting down; n1, n3 at 0 -> n1 (name)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
. "$(dirname "$0")/events.sh"
cluster_require

is_dc() {	# is_dc N: node N's last DC line says it is the DC
	grep -E "te: (this node is the DC|no longer the DC)" \
		"$T/n$1/crmd.out" | tail -n 1 | grep -q "this node is the DC"
}

fo_cluster 3
fo_load "$top_srcdir/tests/cluster/cib/one-dummy.xml"
wait_active 30 d1 n1 || fail "d1 did not start on n1: [$(active_nodes d1)]"
is_dc 1 && ! is_dc 2 && ! is_dc 3 || fail "node 1 is not the only DC"

# 1. the DC crashes while it runs d1
node_crash 1
crash_ns=$(awk '$2 == "crash" { t = $1 } END { print t }' "$FO_ACTLOG")
wait_until 15 "node 2 is the DC" is_dc 2 || fail "node 2 did not become DC"
is_dc 3 && fail "node 3 is DC too"
wait_active 30 d1 n2 || fail "d1 not recovered on n2: [$(active_nodes d1)]"
gap_ms=$(( ($(ev_ns "$crash_ns" start-begin d1 n2) - crash_ns) / 1000000 ))
hlog "d1 on n2 ${gap_ms} ms after the crash of the DC"
# token 1000 ms + consensus 1200 ms to notice, then stop-grace 3 s
[ "$gap_ms" -ge 3000 ] || fail "d1 started ${gap_ms} ms after the crash," \
	"before stop-grace (3 s) passed"
grep -q "te: node n1 is safe: recovering" "$T/n2/crmd.out" ||
	fail "the new DC did not log why it recovered n1's resources"

# node 1 comes back: fresh /run, its probe finds nothing, it is DC again
node_boot 1
corosync_start 1
t=$(now_ns)
crmd_start 1
wait_until 30 "node 1 probed d1" \
	grep -q "lrm: d1 monitor on n1: not running" "$T/n1/crmd.out" ||
	fail "node 1 did not probe d1"
wait_until 15 "node 1 is the DC again" is_dc 1 || fail "node 1 is not DC"
ev_quiet 3 "$t" d1 || fail "the rejoin of node 1 moved d1"
[ "$(active_nodes d1)" = n2 ] ||
	fail "after the rejoin d1 on: $(active_nodes d1)"
is_dc 2 && fail "node 2 is still DC"

# 2. clean shutdown of the node running d1 (not the DC)
t=$(now_ns)
crmd_stop 2 60 || fail "fo-crmd on node 2 did not exit on SIGTERM"
exit_ns=$(now_ns)
wait_active 20 d1 n1 || fail "d1 not moved to n1: [$(active_nodes d1)]"
gap=$(ev_moved "$t" d1 n2 n1) || fail "d1 did not move n2 -> n1 in order"
hlog "SIGTERM on n2: d1 started on n1 ${gap} ms after its stop on n2;" \
	"n2's fo-crmd gone $(ms_between "$(ev_ns "$t" start-begin d1 n1)" \
	"$exit_ns") ms after that start (0.1 s resolution)"
[ "$gap" -lt 3000 ] || fail "the start on n1 came ${gap} ms after the stop:" \
	"it waited for stop-grace (3 s) as if n2 had been lost"
grep -q "asking the DC to move 1 resource(s) away first" "$T/n2/crmd.out" ||
	fail "node 2 did not ask the DC to move its resource"
grep -q -E "stopping [0-9]+ resource\(s\) here at once|did not move my" \
	"$T/n2/crmd.out" &&
	fail "node 2 stopped d1 by itself, not through the DC"
ev_quiet 3 "$(now_ns)" d1 || fail "d1 touched again after node 2 left"

fo_check_single
sanitizer_check
echo "PASS: DC crash: new DC n2 started d1 after ${gap_ms} ms" \
	"(>= stop-grace);" \
	"SIGTERM: d1 n2 -> n1 with ${gap} ms between stop and start"
