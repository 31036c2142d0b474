#!/bin/bash
# cluster-split.sh - 5 nodes split 3 | 2: the 3 keep quorum and the DC,
# the 2 see each other without quorum and neither is DC; after the merge
# one 5-node view with DC 1 again.
#
# Expected outcomes from votequorum's rule (5 votes, quorum 3) and the DC
# definition (lowest node id of a quorate view).
. "$(dirname "$0")/lib.sh"
cluster_require

cluster_create 5
corosync_start_all
for n in 1 2 3 4 5; do probe_start "$n"; done
all5() {
	probes_agree 1,2,3,4,5 1 1 2 3 4 5
}
wait_until 30 "5-node view with DC 1" all5 ||
	{ probe_explain 1 2 3 4 5; fail "5 nodes did not form"; }

t=$(now_ns)
cluster_split 4 5
wait_until 20 "1,2,3 quorate with DC 1" probes_agree 1,2,3 1 1 2 3 ||
	{ probe_explain 1 2 3; fail "majority after the split"; }
wait_until 20 "4,5 together without quorum" probes_agree 4,5 0 4 5 ||
	{ probe_explain 4 5; fail "minority after the split"; }
grep -q " dc is_dc=1" "$T/n4/probe.log" &&
	fail "node 4 claimed DC in the minority"
echo "measured: split -> minority 4,5 inquorate:" \
	"$(ms_between "$t" "$(probe_first_after 4 dc "$t" "quorate=0")") ms"
echo "ok: split 3 | 2: 1,2,3 quorate with DC 1; 4,5 inquorate, no DC"

t=$(now_ns)
cluster_unsplit
wait_until 20 "one 5-node view again" all5 ||
	{ probe_explain 1 2 3 4 5; fail "merge"; }
echo "measured: merge -> 5-node view on n4:" \
	"$(ms_between "$t" "$(probe_first_after 4 view "$t" "n=5 ")") ms"
echo "ok: merged: 5 nodes, DC 1"
probes_stop 1 2 3 4 5
