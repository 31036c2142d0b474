#!/bin/bash
# cluster-form.sh - 3 nodes form one CPG view with one DC, and every node
# delivers the same messages in the same order (small and chunked ones).
#
# Real corosync 3 in namespaces (tests/cluster/lib.sh), cpg-probe on each
# node (the crmd/cluster layer). Expected values come from the cluster's
# definition: node ids 1..3, DC = lowest id, total order = identical
# sequences; bodies are recomputed here from the probe's documented
# pattern, not taken from a probe's output.
. "$(dirname "$0")/lib.sh"
cluster_require

BURST=${BURST:-1000}	# 1 KB each from 3 senders flat out: corosync answers
SIZE=${SIZE:-1024}	# CS_ERR_TRY_AGAIN now and then (CPG-FACTS 3)
BIG=2500000	# above FO_MSG_MAX_BODY: travels as 3 chunks

cluster_create 3
corosync_start_all
t0=$(now_ns)
for n in 1 2 3; do probe_start "$n" -n "$BURST" -s "$SIZE"; done
wait_until 20 "3 members, same ring, DC node 1 on every node" \
	probes_agree 1,2,3 1 1 2 3 || { probe_explain 1 2 3; fail "no view"; }
echo "measured: probes started -> agreed 3-node view with DC: " \
	"$(ms_between "$t0" "$(now_ns)") ms"
for n in 1 2 3; do
	[ "$(probe_field "$(probe_last "$n" node)" name)" = "n$n" ] ||
		fail "node $n: cmap name is not n$n"
done

# --- total order: all three send $BURST messages at once ---
recv_count() {	# recv_count N: probe messages node N received
	grep -c " recv .* type=28673 " "$T/n$1/probe.log"
}
all_received() {
	local n want=$1
	for n in 1 2 3; do
		[ "$(recv_count "$n")" -ge "$want" ] || return 1
	done
}
t=$(now_ns)
for n in 1 2 3; do node_kill "$n" probe USR1; done
wait_until 30 "$((3 * BURST)) messages on every node" \
	all_received $((3 * BURST)) ||
	fail "received: $(recv_count 1) $(recv_count 2) $(recv_count 3)"
echo "measured: $((3 * BURST)) x $SIZE B delivered everywhere in" \
	"$(ms_between "$t" "$(now_ns)") ms (from the first SIGUSR1)"
for n in 1 2 3; do
	grep " recv .* type=28673 " "$T/n$n/probe.log" |
		awk '{ print $3, $4, $9 }' >"$T/order.$n"
done
cmp -s "$T/order.1" "$T/order.2" && cmp -s "$T/order.1" "$T/order.3" || {
	diff "$T/order.1" "$T/order.2" | head >&2
	diff "$T/order.1" "$T/order.3" | head >&2
	fail "nodes delivered different sequences"
}
[ "$(wc -l <"$T/order.1")" -eq $((3 * BURST)) ] ||
	fail "expected exactly $((3 * BURST)) messages, got" \
		"$(wc -l <"$T/order.1")"
# Each sender's messages arrive FIFO, numbered 0..BURST-1 in its body.
for n in 1 2 3; do
	senders=$(awk '{ print $1 }' "$T/order.1" | sort -u | wc -l)
	[ "$senders" -eq 3 ] || fail "expected 3 senders, saw $senders"
	grep " recv .* type=28673 " "$T/n$n/probe.log" |
		awk '{ split($3, f, "[=:]"); split($9, h, "[=_]")
		       # the number runs into the padding: "0mnop" + 0 = 0
		       if (h[2] != "fo-probe" || h[3] != f[2] ||
			   h[4] + 0 != next_[f[2]]++) {
			       print "bad:", $0; exit 1 } }' ||
		fail "node $n: bodies out of FIFO order or wrong sender"
done
echo "ok: $((3 * BURST)) messages from 3 senders, identical order on 3 nodes"
bursts_back() {
	local n
	for n in 1 2 3; do
		grep -q " stats " "$T/n$n/probe.log" || return 1
	done
}
wait_until 10 "every probe's burst back" bursts_back ||
	fail "a probe never saw its whole burst delivered"
for n in 1 2 3; do
	echo "measured: node $n: $(probe_last "$n" stats | cut -d' ' -f3-)"
done

# --- chunked transfer: $BIG bytes from node 2, reassembled everywhere ---
for n in 1 2 3; do
	node_spawn "$n" big "$CPG_PROBE" -g fo-big -n 2 -s "$BIG" \
		-o "$T/n$n/big.log"
done
big_members() {
	local n
	for n in 1 2 3; do
		grep " view " "$T/n$n/big.log" 2>/dev/null | tail -n 1 |
			grep -q " n=3 " || return 1
	done
}
wait_until 20 "3 members in group fo-big" big_members || fail "fo-big view"
node_kill 2 big USR1
big_done() {
	local n
	for n in 1 2 3; do
		[ "$(grep -c " recv .* len=$BIG " "$T/n$n/big.log")" -ge 2 ] ||
			return 1
	done
}
wait_until 30 "2 x $BIG bytes on every node" big_done ||
	fail "chunked messages not delivered whole"
# The probe's body: "fo-probe <node> <k>", then letters from a linear
# congruential generator seeded with that prefix's length (cpg-probe.c).
want=$(python3 -c '
import hashlib, sys
size = int(sys.argv[1])
for k in range(2):
    b = bytearray(b"fo-probe 2 %d" % k)
    x = len(b)
    while len(b) < size:
        x = (x * 1103515245 + 12345) & 0x7fffffff
        b.append(ord("a") + (x >> 16) % 26)
    print(hashlib.md5(bytes(b[:size])).hexdigest())' "$BIG")
for n in 1 2 3; do
	got=$(grep " recv .* len=$BIG " "$T/n$n/big.log" |
		sed 's/.* md5=\([0-9a-f]*\) .*/\1/')
	[ "$got" = "$want" ] || fail "node $n: chunked bodies differ:" \
		"got $got, want $want"
done
echo "ok: 2 x $BIG-byte bodies in chunks, whole and intact on 3 nodes"
# They went compressed (deflated=BEFORE:AFTER in the sender's counters),
# and still over one envelope's 960 KiB, so in chunks.
node_kill 2 big TERM
wait_until 10 "node 2's big probe's counters" \
	grep -q " stats " "$T/n2/big.log" || fail "no counters from node 2"
deflated=$(grep " stats " "$T/n2/big.log" | tail -n 1 |
	sed 's/.* deflated=\([0-9]*:[0-9]*\).*/\1/')
echo "measured: node 2 compressed ${deflated%:*} bytes to ${deflated#*:}"
[ "${deflated%:*}" -eq $((2 * BIG)) ] &&
	[ "${deflated#*:}" -gt $((2 * 983040)) ] &&
	[ "${deflated#*:}" -lt $((2 * BIG)) ] ||
	fail "node 2's big bodies: deflated=$deflated, want $((2 * BIG)):" \
		"(more than two envelopes' worth, less than $((2 * BIG)))"

probes_stop 1 2 3
