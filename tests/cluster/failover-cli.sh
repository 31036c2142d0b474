#!/bin/bash
# failover-cli.sh - the everyday commands do what they say on 3 nodes:
# fo-res move / ban / clear, fo-node standby / online, fo-res stop / start.
# After each, the fo/Dummy activity log must show d1 where the command
# puts it (a move: the stop on the old node ends before the start on the
# new one begins), and nothing else may happen to it.
#
# Expected placements are derived by hand from the configuration
# (tests/cluster/cib/one-dummy.xml: one resource, no constraints,
# stickiness 0) and the placement rules of DESIGN.md ("node choice by
# score, fewest assigned resources, current node, node name"):
#   load               all scores 0, no current node -> n1 (name)
#   move d1 n2         cli-prefer-d1 n2 +INF -> n2
#   ban d1 n2          n2: +INF + -INF = -INF; n1, n3 at 0 -> n1 (name)
#   clear d1           all 0, current node n1 -> stays on n1
#   standby n1         n1 cannot run it; n2, n3 at 0 -> n2 (name)
#   online n1          all 0, current node n2 -> stays on n2
#   stop d1            target-role=Stopped -> nowhere
#   start d1           all 0, no current node -> n1 (name)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
. "$(dirname "$0")/events.sh"
cluster_require

# run N TOOL ARGS...: an fo tool on node N that must succeed; output kept
# in $T/cmd.out for the checks that follow.
run() {
	fo "$@" >"$T/cmd.out" 2>&1 || fail "$* (rc $?): $(cat "$T/cmd.out")"
	hlog "$*: $(head -n 1 "$T/cmd.out")"
}

# moved SINCE FROM TO: d1 went from FROM to TO, in order, and is only there.
moved() {
	local gap
	wait_active 20 d1 "$3" || fail "d1 not (only) on $3: $(active_nodes d1)"
	gap=$(ev_moved "$1" d1 "$2" "$3") || fail "d1 did not move $2 -> $3"
	hlog "d1 $2 -> $3: start ${gap} ms after the stop"
}

fo_cluster 3
fo_load "$top_srcdir/tests/cluster/cib/one-dummy.xml"
wait_active 30 d1 n1 || fail "d1 did not start on n1: [$(active_nodes d1)]"

# move: a +INFINITY preference, reported with its undo
t=$(now_ns)
run 3 fo-res move d1 n2
grep -q 'cli-prefer-d1' "$T/cmd.out" || fail "move did not say what it wrote"
grep -q 'fo-res clear d1' "$T/cmd.out" || fail "move did not give its undo"
fo 1 fo-cib show constraints | grep -q 'id="cli-prefer-d1".*node="n2"' ||
	fail "no cli-prefer-d1 on n1's copy"
moved "$t" n1 n2

# ban from the node it runs on: the ban beats the move's preference
t=$(now_ns)
run 2 fo-res ban d1 n2
grep -q 'cli-ban-d1-on-n2' "$T/cmd.out" || fail "ban did not say what it wrote"
moved "$t" n2 n1

# clear: both constraints go, d1 stays where it is (current node wins ties)
t=$(now_ns)
run 1 fo-res clear d1
grep -q 'cli-prefer-d1' "$T/cmd.out" && grep -q 'cli-ban-d1-on-n2' \
	"$T/cmd.out" || fail "clear did not list both constraints it removed"
! fo 3 fo-cib show constraints | grep -q 'cli-' ||
	fail "constraints left after clear: $(fo 3 fo-cib show constraints)"
ev_quiet 3 "$t" d1 || fail "clear moved d1"
[ "$(active_nodes d1)" = n1 ] || fail "after clear d1 on: $(active_nodes d1)"

# standby: the node gives its resources away
t=$(now_ns)
run 2 fo-node standby n1
moved "$t" n1 n2
fo 3 fo-node --output-as=json list | tr -d ' ' |
	grep -q '"name":"n1"[^}]*"standby":true' ||
	fail "fo-node list does not show n1 in standby:
$(fo 3 fo-node --output-as=json list)"

# online: n1 may run resources again, but d1 has no reason to move back
t=$(now_ns)
run 3 fo-node online n1
ev_quiet 3 "$t" d1 || fail "online n1 moved d1"
[ "$(active_nodes d1)" = n2 ] || fail "after online d1 on: $(active_nodes d1)"

# stop: target-role=Stopped, it stops and stays stopped
t=$(now_ns)
run 1 fo-res stop d1
wait_active 20 d1 "" || fail "d1 still active on: $(active_nodes d1)"
[ -n "$(ev_ns "$t" stop-end d1 n2)" ] || fail "no stop of d1 on n2"
ev_quiet 3 "$(now_ns)" d1 || fail "d1 was started again while stopped"

# start: target-role=Started, back on n1 (no current node, name order)
t=$(now_ns)
run 2 fo-res start d1
wait_active 20 d1 n1 || fail "d1 not started on n1: [$(active_nodes d1)]"
[ "$(ev_count "$t" d1)" = 1 ] || fail "start did more than one start:
$(awk -v t="$t" '$1 >= t' "$FO_ACTLOG")"

fo_check_single
sanitizer_check
echo "PASS: move, ban, clear, standby, online, stop, start each placed d1" \
	"as derived; one copy at all times"
