#!/bin/bash
# res-status.sh - fo-res status, locate, failcount, cleanup and --wait on
# a real 3-node cluster: what they say matches where fo/Dummy really runs
# (its activity log), a monitor failure shows up as a fail count with its
# time, and cleanup clears it. Expected outcomes derived by hand
# from tests/cluster/cib/one-dummy.xml (one resource, 1 s monitor) and
# from what the failure injected here must cause.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

fo_one_dummy
where=$(active_nodes d1)
n=${where#n}

# --- --wait, status on the DC (n1: lowest id) and on another node
fo 2 fo-res --wait=30 status >"$T/st2.out" 2>&1 ||
	fail "fo-res --wait status on node 2: $(cat "$T/st2.out")"
grep -q "fo-res --wait: the cluster is idle (transition [0-9]*)" \
	"$T/st2.out" || fail "no idle line: $(cat "$T/st2.out")"
for want in "Current DC: n1 (1) - partition with quorum" \
	"Online: [ n1 n2 n3 ]" \
	"$(printf '* d1\t(ocf:fo:Dummy):\t Started %s' "$where")"; do
	grep -qF "$want" "$T/st2.out" ||
		fail "status on node 2 lacks '$want': $(cat "$T/st2.out")"
done
fo 1 fo-res status >"$T/st1.out" 2>&1 || fail "status on node 1"
grep -q "Transition: [0-9]* (idle)" "$T/st1.out" ||
	fail "the DC's status has no idle transition: $(cat "$T/st1.out")"
fo 3 fo-res --output-as=json status >"$T/st3.json" 2>&1 &&
	python3 -m json.tool "$T/st3.json" >/dev/null ||
	fail "status json on node 3: $(cat "$T/st3.json")"

# --- locate agrees with the agent's own log
[ "$(fo 3 fo-res locate d1)" = "resource d1 is running on: $where" ] ||
	fail "locate d1 on node 3: $(fo 3 fo-res locate d1 2>&1)"
echo "ok: status and locate show d1 on $where"

# --- a monitor failure: the state file goes away, the monitor says 7
node_exec "$n" rm -f /run/resource-agents/fo-Dummy-d1.state
# (the failed monitor is listed under "Failed Resource Actions" only until
# the restart replaces its record: fo-crmd keeps one record per operation,
# no RSC_last_failure_0 as Pacemaker does; the fail count stays)
failed() {
	fo 2 fo-res status >"$T/fail.out" 2>&1 &&
		grep -q "d1: migration-threshold=1000000 fail-count=1 last-failure='" \
			"$T/fail.out"
}
wait_until 30 "the failure in fo-res status" failed ||
	fail "status after the failure: $(cat "$T/fail.out")"
fo 1 fo-res failcount d1 "$where" >"$T/fc.out" 2>&1 ||
	fail "failcount: $(cat "$T/fc.out")"
grep -q "^d1 on $where: fail-count=1 (migration-threshold=1000000) last-failure='" \
	"$T/fc.out" || fail "failcount d1 $where: $(cat "$T/fc.out")"
echo "ok: the monitor failure is counted: fail-count=1"

# --- cleanup forgets it (and --wait waits for the cluster to settle)
fo 3 fo-res --wait=30 cleanup d1 >"$T/cl.out" 2>&1 ||
	fail "cleanup d1: $(cat "$T/cl.out")"
grep -q "asked to forget the operation history and fail counts of resource d1" \
	"$T/cl.out" || fail "cleanup d1 says: $(cat "$T/cl.out")"
cleaned() {
	fo 1 fo-res failcount d1 "$where" >"$T/fc2.out" 2>&1 &&
		grep -q "^d1 on $where: fail-count=0 " "$T/fc2.out" &&
		fo 1 fo-res status >"$T/st4.out" 2>&1 &&
		! grep -q "Failed Resource Actions" "$T/st4.out"
}
wait_until 30 "cleanup to clear the failure" cleaned ||
	fail "after cleanup: $(cat "$T/fc2.out" "$T/st4.out")"
wait_running 30 d1
fo_check_single
echo "PASS: fo-res status/locate/failcount/cleanup/--wait on 3 nodes"
