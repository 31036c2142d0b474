#!/bin/bash
# failover-monitor.sh - monitor failures on 3 nodes: a failure restarts the
# resource in place; after migration-threshold failures it moves; cleanup
# clears the fail count and the resource goes back; failure-timeout
# expires a failure by itself (no cluster-recheck-interval: fo re-runs the
# policy engine when the failure expires).
# A failure is injected by removing the fo/Dummy state file on the node
# that runs it (/run/resource-agents/fo-Dummy-RSC.state): its next monitor
# (every 1 s) says "not running" (rc 7) while the cluster expects it
# running, once; the restart creates the file again.
#
# Expected outcomes are derived by hand from the configuration
# (tests/cluster/cib/monitor-dummies.xml, stickiness 0):
#   d1: n1 100, n2 50, n3 0, migration-threshold 2
#     start                         -> n1
#     failure 1 on n1 (count 1 < 2) -> restart on n1
#     failure 2 on n1 (count 2)     -> n1 is -INFINITY -> n2 (50)
#     cleanup d1                    -> count gone -> back to n1 (100)
#   d2: n3 100, n2 50, n1 0, migration-threshold 1, failure-timeout 5 s
#     start                         -> n3
#     failure on n3 (count 1)       -> n3 is -INFINITY -> n2 (50)
#     5 s after the failure         -> failure expired -> back to n3 (100)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
. "$(dirname "$0")/events.sh"
cluster_require

# break RSC N: the resource's state file on node N disappears.
break_rsc() {
	node_exec "$2" rm "/run/resource-agents/fo-Dummy-$1.state" ||
		fail "$1 has no state file on node $2"
	hlog "$1: state file removed on n$2"
}

# failcount RSC NODE: RSC's monitor fail count on NODE from the status
# section of node 1's copy (empty when there is none).
failcount() {
	fo 1 fo-cib show status | awk -v n="$2" -v a="fail-count-$1#" '
		/<node_state / { on = index($0, "uname=\"" n "\"") > 0 }
		on && index($0, "name=\"" a) {
			sub(/.*value="/, ""); sub(/".*/, ""); print; exit }'
}

failcount_is() {
	[ "$(failcount "$1" "$2")" = "$3" ]
}

fo_cluster 3
fo_load "$top_srcdir/tests/cluster/cib/monitor-dummies.xml"
wait_active 30 d1 n1 || fail "d1 did not start on n1: [$(active_nodes d1)]"
wait_active 30 d2 n3 || fail "d2 did not start on n3: [$(active_nodes d2)]"
[ -z "$(failcount d1 n1)" ] || fail "a fail count before any failure"

# d1, failure 1: restarted in place
t=$(now_ns)
break_rsc d1 1
wait_until 15 "d1 restarted on n1" eval \
	'[ -n "$(ev_ns "$t" start-begin d1 n1)" ]' || fail "d1 not restarted"
gap=$(ev_moved "$t" d1 n1 n1) || fail "d1 restart on n1 not stop-then-start"
wait_active 5 d1 n1 || fail "d1 not (only) on n1: [$(active_nodes d1)]"
wait_until 10 "fail count 1 for d1 on n1" failcount_is d1 n1 1 ||
	fail "fail count of d1 on n1 is '$(failcount d1 n1)', expected 1"
hlog "d1 restarted on n1 (${gap} ms between stop and start)"

# d1, failure 2: migration-threshold reached, it moves to n2
sleep 2	# the restarted d1's monitor runs again first
t=$(now_ns)
break_rsc d1 1
wait_active 15 d1 n2 || fail "d1 not moved to n2: [$(active_nodes d1)]"
gap=$(ev_moved "$t" d1 n1 n2) || fail "d1 did not move n1 -> n2 in order"
[ -z "$(ev_ns "$t" start-begin d1 n1)" ] ||
	fail "d1 was restarted on n1 again instead of moving"
wait_until 10 "fail count 2 for d1 on n1" failcount_is d1 n1 2 ||
	fail "fail count of d1 on n1 is '$(failcount d1 n1)', expected 2"
hlog "d1 moved to n2 after 2 failures (${gap} ms between stop and start)"
fo 3 fo-res failcount d1 n1 >"$T/cmd.out" 2>&1 ||
	fail "fo-res failcount d1 n1: $(cat "$T/cmd.out")"
grep -q "d1 on n1: fail-count=2 (migration-threshold=2)" "$T/cmd.out" ||
	fail "fo-res failcount d1 n1 says: $(cat "$T/cmd.out")"

# d2: one failure (threshold 1) moves it; failure-timeout 5 s brings it back
t=$(now_ns)
break_rsc d2 3
wait_active 15 d2 n2 || fail "d2 not moved to n2: [$(active_nodes d2)]"
ev_moved "$t" d2 n3 n2 >/dev/null || fail "d2 did not move n3 -> n2 in order"
wait_until 20 "d2 back on n3" fo_active_is d2 n3 ||
	fail "d2 did not return to n3 after its failure-timeout:" \
		"[$(active_nodes d2)]"
back=$(ev_ns "$t" start-begin d2 n3)
ms=$(( (back - t) / 1000000 ))
hlog "d2 back on n3 ${ms} ms after its failure"
# last-rc-change has 1 s resolution: the expiry may come up to 1 s early
[ "$ms" -ge 4000 ] || fail "d2 returned ${ms} ms after the failure, before" \
	"its failure-timeout (5 s)"
ev_moved "$t" d2 n2 n3 >/dev/null || fail "d2 did not move n2 -> n3 in order"
wait_until 10 "no fail count for d2 on n3" failcount_is d2 n3 "" ||
	fail "d2's expired fail count on n3 is still '$(failcount d2 n3)'"

# cleanup d1: the fail count on n1 goes, and d1 returns to n1
t=$(now_ns)
fo 2 fo-res cleanup d1 >"$T/cmd.out" 2>&1 ||
	fail "fo-res cleanup d1 (rc $?): $(cat "$T/cmd.out")"
wait_until 10 "no fail count for d1 on n1" failcount_is d1 n1 "" ||
	fail "fail count of d1 on n1 still '$(failcount d1 n1)' after cleanup"
fo 3 fo-res failcount d1 n1 2>&1 | grep -q "d1 on n1: fail-count=0 " ||
	fail "after cleanup fo-res failcount d1 n1 says:" \
		"$(fo 3 fo-res failcount d1 n1 2>&1)"
wait_active 15 d1 n1 || fail "d1 not back on n1: [$(active_nodes d1)]"
ev_moved "$t" d1 n2 n1 >/dev/null || fail "d1 did not move n2 -> n1 in order"
[ "$(active_nodes d2)" = n3 ] || fail "d2 moved: [$(active_nodes d2)]"

fo_check_single
sanitizer_check
echo "PASS: restart in place, move after 2 failures, failure-timeout" \
	"return after ${ms} ms, cleanup return"
