#!/bin/bash
# failover-group-clone.sh - a group moves as a unit and in order; an
# anonymous clone runs on every node and a crash loses only that node's
# instance.
#   1. fo-res move g1 n2: g1-b stops, then g1-a stops, then g1-a starts on
#      n2, then g1-b (each start and stop takes 0.3 s, so the order shows
#      in the activity log's timestamps); the clone is left alone.
#   2. n2 (g1 and a clone instance) crashes: the clone keeps its instances
#      on n1 and n3 and starts none elsewhere; g1 starts on n1 after
#      stop-grace, g1-a before g1-b.
#   3. n2 reboots and rejoins: the clone gets its third instance back;
#      g1 stays on n1.
#
# Expected outcomes are derived by hand from the configuration
# (tests/cluster/cib/group-clone.xml: no constraints, stickiness 0,
# stop-grace 3 s, clone-max = 3 nodes, clone-node-max 1) and DESIGN.md's
# placement (document order; score, fewest assigned resources, current
# node, node name):
#   load          g1 first: all at 0, nothing assigned -> n1; c1: one
#                 instance on each of n1, n2, n3
#   move g1 n2    cli-prefer-g1 n2 +INF -> n2 (both members)
#   clear g1      all at 0, current node n2 -> stays
#   crash of n2   g1: n1, n3 at 0, nothing assigned yet -> n1 (name);
#                 c1: 2 nodes, one instance each -> n1, n3, no third
#   n2 rejoins    c1: third instance on n2; g1 current node n1 -> stays
# The Dummy logs OCF_RESOURCE_INSTANCE, which for a clone is the
# primitive id, cd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
. "$(dirname "$0")/events.sh"
cluster_require

# in_order SINCE NODE: since SINCE, g1-a and g1-b started on NODE in group
# order, g1-b only after g1-a's start had finished (it takes 0.3 s).
in_order() {
	local a b
	a=$(ev_ns "$1" start-begin g1-a "$2")
	b=$(ev_ns "$1" start-begin g1-b "$2")
	[ -n "$a" ] && [ -n "$b" ] || fail "g1 did not start on $2 since $1"
	[ $(( (b - a) / 1000000 )) -ge 300 ] || fail "g1-b started on $2" \
		"$(( (b - a) / 1000000 )) ms after g1-a, before g1-a's start" \
		"(0.3 s) had finished"
}

g1_nodes() {	# where each member runs, for messages
	echo "g1-a:" $(active_nodes g1-a) "g1-b:" $(active_nodes g1-b)
}

fo_cluster 3
fo_load "$top_srcdir/tests/cluster/cib/group-clone.xml"
wait_active 30 g1-a n1 && wait_active 10 g1-b n1 ||
	fail "g1 did not start on n1: [$(g1_nodes)]"
wait_active 30 cd "n1 n2 n3" || fail "cd not on 3 nodes: [$(active_nodes cd)]"
in_order 0 n1

# 1. the group moves as a unit: stops in reverse order, starts forward
t=$(now_ns)
fo 3 fo-res move g1 n2 >"$T/cmd.out" 2>&1 ||
	fail "fo-res move g1 n2: $(cat "$T/cmd.out")"
wait_active 20 g1-a n2 && wait_active 10 g1-b n2 ||
	fail "g1 not on n2: [$(g1_nodes)]"
sb=$(ev_ns "$t" stop-end g1-b n1)
sa=$(ev_ns "$t" stop-end g1-a n1)
[ -n "$sb" ] && [ -n "$sa" ] || fail "g1 did not stop on n1"
[ $(( (sa - sb) / 1000000 )) -ge 300 ] || fail "g1-a's stop ended" \
	"$(( (sa - sb) / 1000000 )) ms after g1-b's: it did not wait for it"
[ "$sa" -lt "$(ev_ns "$t" start-begin g1-a n2)" ] ||
	fail "g1-a started on n2 before the group had stopped on n1"
in_order "$t" n2
[ "$(ev_count "$t" cd)" = 0 ] || fail "moving g1 touched the clone"
hlog "g1 moved n1 -> n2 in order"
fo 1 fo-res clear g1 >"$T/cmd.out" 2>&1 ||
	fail "fo-res clear g1: $(cat "$T/cmd.out")"

# 2. crash of n2: g1 recovers after stop-grace, the clone just shrinks
node_crash 2
crash_ns=$(awk '$2 == "crash" { t = $1 } END { print t }' "$FO_ACTLOG")
wait_active 30 g1-a n1 && wait_active 10 g1-b n1 ||
	fail "g1 not recovered on n1: [$(g1_nodes)]"
in_order "$crash_ns" n1
gap_ms=$(( ($(ev_ns "$crash_ns" start-begin g1-a n1) - crash_ns) / 1000000 ))
[ "$gap_ms" -ge 3000 ] || fail "g1 restarted ${gap_ms} ms after the crash," \
	"before stop-grace (3 s) passed"
ev_quiet 2 "$crash_ns" cd || fail "the crash of n2 made the clone move"
fo_active_is cd "n1 n3" ||
	fail "cd after the crash of n2: [$(active_nodes cd)], expected [n1 n3]"
hlog "crash of n2: g1 on n1 after ${gap_ms} ms, cd kept on n1 n3"

# 3. n2 comes back: the clone's third instance, g1 stays on n1
t=$(now_ns)
node_boot 2
corosync_start 2
crmd_start 2
wait_active 30 cd "n1 n2 n3" || fail "cd not back on n2: [$(active_nodes cd)]"
[ -z "$(ev_ns "$t" start-begin cd n1)$(ev_ns "$t" start-begin cd n3)" ] ||
	fail "the rejoin restarted cd on n1 or n3"
ev_quiet 2 "$t" g1-a && ev_quiet 0 "$t" g1-b || fail "the rejoin moved g1"

fo_check_single --clone cd=3
sanitizer_check
echo "PASS: g1 moved and recovered in order (after ${gap_ms} ms);" \
	"clone cd lost only n2's instance and got it back"
