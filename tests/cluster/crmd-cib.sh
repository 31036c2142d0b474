#!/bin/bash
# crmd-cib.sh - fo-crmd on 3 real corosync nodes keeps one configuration:
# loaded on one node it is on all; a bad file changes nothing anywhere; a
# partition without quorum cannot change it; a full restart keeps it; a
# corrupt file on one node is set aside and the node takes the good
# configuration from its peers.
#
# Expected values come from the files this test loads (the example CIBs
# in examples/), never from fo's own output.
. "$(dirname "$0")/lib.sh"
cluster_require

CRMD=$top_builddir/crmd/fo-crmd
FOCIB=$top_builddir/cli/fo-cib
EX=$top_srcdir/examples
[ -x "$CRMD" ] && [ -x "$FOCIB" ] || fail "fo-crmd/fo-cib not built"

crmd_start() { node_spawn "$1" crmd "$CRMD" -f; }
cib() { local n=$1; shift; node_exec "$n" "$FOCIB" "$@"; }

# The resource ids in a file or in a node's live configuration, sorted.
ids_of_file() {
	grep -o '<primitive id="[^"]*"' "$1" | sort
}
ids_on_node() {
	cib "$1" show resources 2>/dev/null | grep -o '<primitive id="[^"]*"' |
		sort
}
node_has() {	# node_has N FILE: N's resources are exactly FILE's
	[ "$(ids_on_node "$1")" = "$(ids_of_file "$2")" ]
}
all_have() {
	local n
	for n in "${@:2}"; do node_has "$n" "$1" || return 1; done
}
replace_ok() {	# replace_ok N FILE: retried while the cluster syncs
	cib "$1" replace "$2" >"$T/replace.out" 2>&1
}

cluster_create 3
corosync_start_all
for n in 1 2 3; do crmd_start "$n"; done

# --- the DC lists every member in <nodes>: id = node id, uname = name ---
nodes_listed() {
	local n out
	for n in 1 2 3; do
		out=$(cib "$n" show nodes 2>/dev/null) || return 1
		echo "$out" | grep -q '<node id="1" uname="n1"/>' &&
			echo "$out" | grep -q '<node id="2" uname="n2"/>' &&
			echo "$out" | grep -q '<node id="3" uname="n3"/>' ||
			return 1
	done
}
wait_until 30 "nodes n1..n3 in <nodes> on every node" nodes_listed ||
	fail "nodes: $(cib 3 show nodes 2>&1)"

# --- a configuration loaded on one node is on every node ---
wait_until 30 "node 1 accepts a configuration" \
	replace_ok 1 "$EX/web-active-passive-config.xml" ||
	fail "replace on node 1: $(cat "$T/replace.out")"
grep -q "applied on every node" "$T/replace.out" ||
	fail "fo-cib did not report success: $(cat "$T/replace.out")"
wait_until 10 "the configuration on nodes 2 and 3" \
	all_have "$EX/web-active-passive-config.xml" 1 2 3 ||
	fail "nodes differ: $(ids_on_node 2) / $(ids_on_node 3)"

# --- a bad file is refused with its line, and changes nothing ---
cp "$EX/web-active-passive-config.xml" "$T/bad.xml"
sed -i 's|<constraints>|<constraints>\n      <rsc_ticket id="t1" rsc="web" ticket="tk"/>|' \
	"$T/bad.xml"
line=$(grep -n rsc_ticket "$T/bad.xml" | cut -d: -f1)
if cib 2 replace "$T/bad.xml" >"$T/bad.out" 2>&1; then
	fail "a CIB with rsc_ticket was accepted"
fi
grep -q "bad.xml:$line:" "$T/bad.out" ||
	fail "the error does not name bad.xml:$line: $(cat "$T/bad.out")"
printf '<cib><configuration><resources>' >"$T/trunc.xml"
if cib 3 load "$T/trunc.xml" >"$T/trunc.out" 2>&1; then
	fail "a truncated file was accepted"
fi
grep -q "not well-formed" "$T/trunc.out" ||
	fail "no parse error named: $(cat "$T/trunc.out")"
all_have "$EX/web-active-passive-config.xml" 1 2 3 ||
	fail "a refused file changed the configuration"

# --- a partition without quorum cannot change the configuration ---
node_partition 3
cp "$EX/web-active-passive-config.xml" "$T/more.xml"
sed -i 's|</group>|</group>\n      <primitive id="extra" class="ocf" provider="fo" type="Dummy"/>|' \
	"$T/more.xml"
minority_refuses() {
	! cib 3 load "$T/more.xml" >"$T/minority.out" 2>&1 &&
		grep -q "no quorum" "$T/minority.out"
}
wait_until 20 "node 3 sees it has no quorum" minority_refuses ||
	fail "node 3 without quorum: $(cat "$T/minority.out")"
wait_until 20 "the majority accepts a change" replace_ok 1 "$T/more.xml" ||
	fail "majority: $(cat "$T/replace.out")"
node_has 3 "$EX/web-active-passive-config.xml" ||
	fail "node 3 changed while partitioned"
node_heal 3
wait_until 30 "node 3 takes the majority's configuration" \
	node_has 3 "$T/more.xml" || fail "node 3 after healing: $(ids_on_node 3)"

# --- a full restart keeps the configuration ---
for n in 1 2 3; do node_kill "$n" crmd TERM; done
for n in 1 2 3; do corosync_stop "$n"; done
corosync_start_all
for n in 1 2 3; do crmd_start "$n"; done
wait_until 30 "the configuration after a full restart" \
	all_have "$T/more.xml" 1 2 3 ||
	fail "after restart: $(ids_on_node 1) / $(ids_on_node 2)"

# --- a corrupt file on node 3 is set aside; node 3 syncs from its peers ---
node_kill 3 crmd TERM
wait_until 10 "fo-crmd on node 3 to stop" \
	node_exec 3 sh -c "! kill -0 $(cat "$T/n3/crmd.pid") 2>/dev/null" ||
	fail "fo-crmd on node 3 did not stop"
f=$(node_exec 3 sh -c "ls $FO_STATE_DIR/cib/cib-*.xml | sort -t- -k2 -n | tail -1")
node_exec 3 sed -i 's/primitive id="extra"/primitive id="extrA"/' "$f"
crmd_start 3
wait_until 30 "node 3 back with the good configuration" \
	node_has 3 "$T/more.xml" || fail "node 3: $(ids_on_node 3)"
grep -q "set aside" "$T/n3/crmd.out" ||
	fail "node 3 did not report the corrupt file"
node_exec 3 sh -c "ls $FO_STATE_DIR/cib/*.corrupt" >/dev/null ||
	fail "the corrupt file was not kept aside for inspection"
echo "ok: one configuration on 3 nodes through load, refusal, partition," \
	"restart and a corrupt file"
