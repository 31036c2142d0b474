#!/bin/bash
# failover-daemon.sh - fo-crmd alone is killed (SIGKILL) on the node running
# a resource while corosync stays up: no second copy starts elsewhere, for
# 2 x stop-grace + 5 s; the daemon is started again, probes, finds the
# resource running and leaves it there (no stop, no start). Done twice:
# on a node that is not the DC (n2) and on the DC (n1).
#
# Expected outcomes are derived by hand from tests/cluster/cib/three-dummy.xml
# (dN prefers nN, stop-grace 4 s) and docs/safety.md ("corosync still has
# it, its fo-crmd is gone: not until its fo-crmd is back and has probed"):
# while the node stays in corosync's membership but its daemon is gone,
# nothing on it can be known stopped, so nothing is recovered; its
# resources keep running (the agent's state is untouched) and the probes
# of the new daemon find them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

GRACE_S=4
fo_cluster 3
fo_load "$top_srcdir/tests/cluster/cib/three-dummy.xml"
for n in 1 2 3; do
	wait_active 30 d$n n$n || fail "d$n did not start on n$n"
done

# kill_and_return N: kill fo-crmd on node N, nothing moves for 2 x grace
# + 5 s, start it again, it finds dN by probing and nothing moves.
kill_and_return() {
	local n=$1 t0 quiet=$((2 * GRACE_S + 5))
	t0=$(now_ns)
	crmd_kill "$n" || fail "fo-crmd on n$n survived SIGKILL"
	hlog "fo-crmd on n$n killed; corosync stays"
	node_exec "$n" corosync-cmapctl -g runtime.votequorum.this_node_id \
		>/dev/null || fail "corosync on n$n went with fo-crmd"
	hold_quiet "$quiet" "$t0" ||
		fail "a resource started or stopped while fo-crmd on n$n" \
			"was gone: $(events_since "$t0")"
	fo_active_is "d$n" "n$n" || fail "d$n is not on n$n alone"
	crmd_start "$n"
	wait_until 30 "the new fo-crmd on n$n probes d$n" \
		grep -q "lrm: d$n monitor on n$n: ok (rc 0" "$T/n$n/crmd.out" ||
		fail "fo-crmd on n$n did not find d$n running by probing"
	# The DC acts on the probe result at once; give it time to do wrong.
	hold_quiet 5 "$t0" ||
		fail "after fo-crmd came back on n$n: $(events_since "$t0")"
	for i in 1 2 3; do
		fo_active_is "d$i" "n$i" || fail "d$i is not on n$i alone"
	done
	echo "ok: fo-crmd killed on n$n: nothing moved for ${quiet} s; back," \
		"it found d$n running and nothing moved"
}

kill_and_return 2	# not the DC
kill_and_return 1	# the DC: n2 takes over, then n1 is DC again
fo_check_single
sanitizer_check
