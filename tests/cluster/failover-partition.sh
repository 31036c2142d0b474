#!/bin/bash
# failover-partition.sh - the node running a resource is cut off (its link
# down). With stop-grace 4 s: the isolated node, without quorum, stops the
# resource at once; the majority starts it only after the isolated node
# has stopped it and stop-grace has passed since corosync reported the
# loss; after healing exactly one copy runs. Then the same with
# stop-grace=0 (Pacemaker without fencing): the overlap window is measured
# and printed, not failed on; after healing exactly one copy runs.
#
# Expected outcomes are derived by hand from tests/cluster/cib/partition.xml
# (d1 prefers n3, stickiness 1000) and docs/safety.md: d1 starts on n3;
# n3 alone is inquorate (1 of 3 votes) and no-quorum-policy=stop stops d1
# there; the majority (n1, n2) is quorate and may start d1 after
# stop-grace; stickiness keeps d1 where it runs after healing.
# Detection is taken from cpg-probe (corosync's own membership), not from
# fo's log; the start/stop times from the Dummy agent's own log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

GRACE_MS=4000
CIB=$top_srcdir/tests/cluster/cib/partition.xml

# view_after N NS MEMBERS: time of node N's first probe view of MEMBERS
# nodes at or after NS.
view_after() {
	probe_first_after "$1" view "$2" " n=$3 "
}

fo_cluster 3
fo_probes 1 2 3
fo_load "$CIB"
wait_active 30 d1 n3 || fail "d1 did not start on n3 (its preference)"

# --- stop-grace 4 s: the isolated node stops first, the majority waits ---
t0=$(now_ns)
node_partition 3
wait_until 20 "n3 to stop d1" \
	eval '[ -n "$(event_after $t0 stop-end d1 n3)" ]' ||
	fail "the isolated node n3 did not stop d1"
wait_until 20 "d1 to start on the majority" \
	eval '[ -n "$(event_after $t0 start-begin d1 !n3)" ]' ||
	fail "the majority did not start d1"
iso_det=$(view_after 3 "$t0" 1)
maj_det=$(view_after 1 "$t0" 2)
[ -n "$iso_det" ] && [ -n "$maj_det" ] || fail "no probe saw the partition"
read -r stop_ns _ <<<"$(event_after "$t0" stop-end d1 n3)"
read -r start_ns maj <<<"$(event_after "$t0" start-begin d1 '!n3')"
stop_after=$(( (stop_ns - iso_det) / 1000000 ))
start_after=$(( (start_ns - maj_det) / 1000000 ))
hlog "corosync saw the partition after $(ms_between "$t0" "$iso_det") ms" \
	"(n3) / $(ms_between "$t0" "$maj_det") ms (n1)"
hlog "n3 stopped d1 ${stop_after} ms after its detection; $maj started it" \
	"${start_after} ms after the majority's detection," \
	"$(ms_between "$stop_ns" "$start_ns") ms after n3's stop"
[ "$stop_after" -le 1500 ] ||
	fail "n3 stopped d1 only ${stop_after} ms after losing quorum"
[ "$start_ns" -ge "$stop_ns" ] ||
	fail "$maj started d1 before n3 had stopped it"
# The DC counts stop-grace from its own view change, which comes from the
# same corosync delivery as the probe's (a few ms apart): 100 ms slack.
[ "$start_after" -ge $((GRACE_MS - 100)) ] ||
	fail "$maj started d1 ${start_after} ms after detection, before" \
		"stop-grace (${GRACE_MS} ms)"
[ "$start_after" -le $((GRACE_MS + 3000)) ] ||
	fail "$maj started d1 ${start_after} ms after detection (grace" \
		"${GRACE_MS} ms): far too late"

t1=$(now_ns)
node_heal 3
wait_until 20 "n3 back in a 3-node view" \
	eval '[ -n "$(view_after 3 $t1 3)" ]' ||
	fail "n3 did not rejoin"
hold_active 5 d1 "$maj" || fail "after healing d1 is not on $maj alone"
[ -z "$(event_after "$t1" start-begin d1)" ] ||
	fail "d1 was started again after healing: $(events_since "$t1")"
fo_check_single
echo "ok: stop-grace ${GRACE_MS} ms: n3 stopped d1 ${stop_after} ms after" \
	"detection; $maj started it ${start_after} ms after detection"

# --- stop-grace 0: recover at once, measure the double-active window ---
fo_load_edited "$CIB" \
	's/name="stop-grace" value="4s"/name="stop-grace" value="0"/'
grace0() {
	fo 3 fo-cib show crm_config |
		grep -q 'name="stop-grace" value="0"'
}
wait_until 10 "stop-grace 0 everywhere" grace0 ||
	fail "stop-grace=0 not applied: $(fo 3 fo-cib show crm_config)"
hold_active 2 d1 "$maj" || fail "changing stop-grace moved d1"
n=${maj#n}
t2=$(now_ns)
node_partition "$n"
wait_until 20 "$maj to stop d1" \
	eval '[ -n "$(event_after $t2 stop-end d1 $maj)" ]' ||
	fail "the isolated node $maj did not stop d1"
wait_until 20 "d1 to start on the majority" \
	eval '[ -n "$(event_after $t2 start-begin d1 !$maj)" ]' ||
	fail "the majority did not start d1"
read -r stop_ns _ <<<"$(event_after "$t2" stop-end d1 "$maj")"
read -r start_ns other <<<"$(event_after "$t2" start-begin d1 "!$maj")"
other_n=${other#n}
maj_det=$(view_after "$other_n" "$t2" 2)
overlap=$(ms_between "$start_ns" "$stop_ns")
hlog "stop-grace 0: $other started d1 $(ms_between "$maj_det" "$start_ns")" \
	"ms after its detection; $maj stopped it $overlap ms after that"
python3 "$FO_CHECK" --report-only "$FO_ACTLOG" >"$T/overlap.out" 2>&1 ||
	fail "check-single-active: $(cat "$T/overlap.out")"
cat "$T/overlap.out"

t3=$(now_ns)
node_heal "$n"
wait_until 20 "$maj back in a 3-node view" \
	eval '[ -n "$(view_after $n $t3 3)" ]' || fail "$maj did not rejoin"
hold_active 5 d1 "$other" || fail "after healing d1 is not on $other alone"
case $overlap in
-*) w="no overlap ($maj had stopped d1 ${overlap#-} ms before)" ;;
*) w="overlap window ${overlap} ms (both ran d1)" ;;
esac
echo "ok: stop-grace 0: $w; after healing d1 runs on $other alone"
sanitizer_check
