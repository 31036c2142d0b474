#!/bin/bash
# cluster-faults.sh - what the cluster layer reports under faults: node
# crash, crash of the DC, partition and heal, corosync killed and
# restarted under a running client.
#
# Expected outcomes follow from the definitions (DESIGN.md "DC"): DC =
# lowest node id of a quorate view; 3 nodes have quorum 2 (votequorum), so
# 2 survivors stay quorate and an isolated node does not. Times printed as
# "measured:" go from the fault (harness clock, ns) to the probe's event.
. "$(dirname "$0")/lib.sh"
cluster_require

cluster_create 3
corosync_start_all
for n in 1 2 3; do probe_start "$n"; done
formed() {
	probes_agree 1,2,3 1 1 2 3
}
wait_until 20 "3-node view with DC 1" formed ||
	{ probe_explain 1 2 3; fail "cluster did not form"; }

# measure LABEL NS NODE EVENT PATTERN: print the time from NS to NODE's
# first matching event.
measure() {
	local t
	t=$(probe_first_after "$3" "$4" "$2" "$5")
	echo "measured: $1: $(ms_between "$2" "$t") ms"
}

# ---- crash of a node that is not the DC ----
# A resource "demo" runs on node 3 (a start line, as the Dummy agent
# writes it); it may start elsewhere only after the crash record.
echo "$(now_ns) start demo n3" >>"$FO_ACTLOG"
node_crash 3
t=$(tail -n 1 "$FO_ACTLOG" | cut -d' ' -f1)
wait_until 15 "survivors see 2 members, DC still 1" \
	probes_agree 1,2 1 1 2 || { probe_explain 1 2; fail "crash of n3"; }
measure "crash of n3 -> view without it on n1" "$t" 1 view "n=2 "
measure "crash of n3 -> quorate dc line on n2" "$t" 2 dc "quorate=1"
echo "ok: crash of node 3: nodes 1, 2 see 1,2, quorate, DC 1"
echo "$(now_ns) start demo n1" >>"$FO_ACTLOG"
"$top_srcdir/tests/cluster/check-single-active" "$FO_ACTLOG" ||
	fail "the harness's crash record did not end node 3's interval"
# The same log with a start on node 2 before the crash must fail.
{ cat "$FO_ACTLOG"; echo "$((t - 1000)) start demo n2"; } >"$T/bad.log"
"$top_srcdir/tests/cluster/check-single-active" "$T/bad.log" >/dev/null &&
	fail "check-single-active missed a start before the crash record"

node_boot 3
corosync_start 3
probe_start 3
wait_until 20 "node 3 back" formed ||
	{ probe_explain 1 2 3; fail "node 3 did not rejoin"; }
echo "ok: node 3 rebooted and rejoined"

# ---- crash of the DC ----
node_crash 1
t=$(tail -n 1 "$FO_ACTLOG" | cut -d' ' -f1)
wait_until 15 "node 2 becomes DC" probes_agree 2,3 2 2 3 ||
	{ probe_explain 2 3; fail "crash of the DC"; }
measure "crash of DC n1 -> n2 is DC" "$t" 2 dc "is_dc=1"
echo "ok: crash of DC node 1: node 2 is DC, node 3 agrees"

node_boot 1
corosync_start 1
probe_start 1
wait_until 20 "node 1 back and DC again" formed ||
	{ probe_explain 1 2 3; fail "node 1 did not rejoin"; }
echo "ok: node 1 rejoined and is DC again (lowest id)"

# ---- partition of node 3, then heal ----
t=$(now_ns)
node_partition 3
wait_until 15 "majority 1,2 quorate with DC 1" probes_agree 1,2 1 1 2 ||
	{ probe_explain 1 2 3; fail "majority after partition"; }
wait_until 15 "node 3 alone, not quorate, not DC" probe_sees 3 3 0 ||
	{ probe_explain 3; fail "minority after partition"; }
measure "partition -> n3 inquorate" "$t" 3 dc "quorate=0"
measure "partition -> majority view on n1" "$t" 1 view "n=2 "
# In the gap the minority never claimed DC: no is_dc=1 on node 3, ever.
grep -q " dc is_dc=1" "$T/n3/probe.log" &&
	fail "node 3 claimed DC during the partition"
echo "ok: partition: node 3 inquorate and not DC; 1,2 quorate, DC 1"

t=$(now_ns)
node_heal 3
wait_until 20 "3 members again after heal" formed ||
	{ probe_explain 1 2 3; fail "heal"; }
measure "heal -> 3-node view on n3" "$t" 3 view "n=3 "
echo "ok: heal: one view of 3 nodes again, DC 1"

# ---- corosync killed and restarted under a running probe ----
pid_before=$(cat "$T/n2/probe.pid")
t=$(now_ns)
corosync_stop 2 KILL
wait_until 10 "probe on node 2 reports the loss" \
	grep -q " view ring=0.0 n=0 " "$T/n2/probe.log" ||
	fail "probe on node 2 did not report the lost connection"
measure "corosync kill -9 -> n2 probe sees it" "$t" 2 view "n=0 "
wait_until 15 "1,3 without node 2" probes_agree 1,3 1 1 3 ||
	{ probe_explain 1 3; fail "view without node 2"; }
# While corosync is down the probe retries every 100 ms and never spins:
# its CPU time over 2 s stays small (a busy loop would take ~200 ticks).
cpu_ticks() {	# utime + stime of a process on node N, in clock ticks
	node_exec "$1" awk '{ print $14 + $15 }' "/proc/$2/stat"
}
c0=$(cpu_ticks 2 "$pid_before")
sleep 2
c1=$(cpu_ticks 2 "$pid_before")
echo "measured: probe CPU while corosync was down for 2 s:" \
	"$((c1 - c0)) ticks of $(getconf CLK_TCK)/s"
[ $((c1 - c0)) -le 20 ] || fail "the probe used $((c1 - c0)) ticks in 2 s"
t=$(now_ns)
corosync_start 2
wait_until 20 "probe on node 2 rejoins" formed ||
	{ probe_explain 1 2 3; fail "probe did not rejoin"; }
measure "corosync restart -> n2 probe in a 3-node view" "$t" 2 view "n=3 "
[ "$(cat "$T/n2/probe.pid")" = "$pid_before" ] &&
	node_exec 2 kill -0 "$pid_before" ||
	fail "the probe on node 2 is not the same process"
grep -q "reconnecting every 100 ms" "$T/n2/probe.out" ||
	fail "no log line about reconnecting"
tries=$(grep -c "cannot connect to corosync" "$T/n2/probe.out")
echo "ok: corosync restart: the same probe reconnected and rejoined" \
	"($tries warning lines while corosync was down)"

# ---- corosync stopped cleanly (SIGTERM) on node 3, then started ----
# corosync first disconnects its clients (PROCDOWN for the others), then
# leaves the ring: the layer reports both, and reconnects afterwards.
t=$(now_ns)
corosync_stop 3 TERM
wait_until 10 "probe on node 3 reports the loss" \
	grep -q " view ring=0.0 n=0 " "$T/n3/probe.log" ||
	fail "probe on node 3 did not report corosync's shutdown"
wait_until 15 "1,2 without node 3" probes_agree 1,2 1 1 2 ||
	{ probe_explain 1 2; fail "view without node 3"; }
measure "corosync SIGTERM on n3 -> n3 probe sees it" "$t" 3 view "n=0 "
measure "corosync SIGTERM on n3 -> view 1,2 on n1" "$t" 1 view "n=2 "
corosync_start 3
wait_until 20 "probe on node 3 rejoins" formed ||
	{ probe_explain 1 2 3; fail "probe on node 3 did not rejoin"; }
echo "ok: corosync SIGTERM and restart: the probe on node 3 rejoined"

probes_stop 1 2 3
