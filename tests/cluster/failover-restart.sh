#!/bin/bash
# failover-restart.sh - the whole cluster is stopped (SIGTERM to every
# fo-crmd at once) and started again: every daemon exits promptly (the last
# ones without quorum stop what they run themselves), nothing is left
# running, and after the restart the resource runs again on exactly one
# node. Expected outcomes derived by hand from tests/cluster/cib/one-dummy.xml.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

fo_one_dummy

for n in 1 2 3; do node_kill "$n" crmd TERM; done
for n in 1 2 3; do
	wait_until 30 "fo-crmd on node $n to exit" eval "! crmd_running $n" ||
		fail "node $n did not stop: $(tail -5 "$T/n$n/crmd.out")"
done
[ -z "$(active_nodes d1)" ] || fail "d1 still active on $(active_nodes d1)"
grep -q "main: stopped" "$T/n1/crmd.out" || fail "node 1 did not exit cleanly"

for n in 1 2 3; do crmd_start "$n"; done
wait_running 60 d1
sleep 2
[ "$(active_nodes d1 | wc -l)" = 1 ] || fail "d1 active on: $(active_nodes d1)"
fo_check_single
echo "PASS: cluster stopped cleanly, d1 back on $(active_nodes d1)"
