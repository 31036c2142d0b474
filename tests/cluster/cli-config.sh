#!/bin/bash
# cli-config.sh - fo-res and fo-node write the everyday configuration
# changes into the replicated CIB on 3 real corosync nodes: each change
# made on one node is read back from the others with `fo-cib show`, in
# the shapes crm_resource and crm_attribute write (cli-prefer-RSC,
# cli-ban-RSC-on-NODE, target-role, nodes-ID-standby); invalid commands
# and a partition without quorum change nothing.
#
# The expected elements are written out here by hand from Pacemaker's
# documented shapes, never taken from fo's own output.
. "$(dirname "$0")/lib.sh"
cluster_require
command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
command -v crm_verify >/dev/null ||
	skip "crm_verify not installed (pacemaker-cli-utils, tests/deps)"

CRMD=$top_builddir/crmd/fo-crmd
FOCIB=$top_builddir/cli/fo-cib
FORES=$top_builddir/cli/fo-res
FONODE=$top_builddir/cli/fo-node
for b in "$CRMD" "$FOCIB" "$FORES" "$FONODE"; do
	[ -x "$b" ] || fail "$b not built"
done

crmd_start() { node_spawn "$1" crmd "$CRMD" -f; }
cib() { local n=$1; shift; node_exec "$n" "$FOCIB" "$@"; }
res() { local n=$1; shift; node_exec "$n" "$FORES" "$@"; }
fonode() { local n=$1; shift; node_exec "$n" "$FONODE" "$@"; }

# flat: XML on stdin as one line, without the indentation.
flat() {
	sed 's/^[ \t]*//' | tr -d '\n'
}
# has N SECTION STRING: node N's section holds STRING (one line of XML).
has() {
	cib "$1" show "$2" 2>/dev/null | flat | grep -qF -- "$3"
}
lacks() {
	cib "$1" show "$2" >"$T/lacks.out" 2>&1 &&
		! flat <"$T/lacks.out" | grep -qF -- "$3"
}
# on_all SECTION STRING: every node has it (the change is replicated).
on_all() {
	local n
	for n in 1 2 3; do has "$n" "$1" "$2" || return 1; done
}
off_all() {
	local n
	for n in 1 2 3; do lacks "$n" "$1" "$2" || return 1; done
}
expect_on_all() {	# expect_on_all WHAT SECTION STRING
	wait_until 10 "$1 on every node" on_all "$2" "$3" ||
		fail "$1: '$3' not on every node; node 3 has:" \
			"$(cib 3 show "$2")"
}
expect_off_all() {
	wait_until 10 "$1 gone from every node" off_all "$2" "$3" ||
		fail "$1: '$3' still there; node 3 has: $(cib 3 show "$2")"
}
# run NAME CMD...: run a command, keep its output in $T/NAME.out and
# its exit code in $rc.
run() {
	local name=$1
	shift
	rc=0
	"$@" >"$T/$name.out" 2>&1 || rc=$?
}
must() {	# must NAME CMD...: the command succeeds
	run "$@"
	[ "$rc" = 0 ] || fail "$1 failed ($rc): $(cat "$T/$1.out")"
}
must_fail() {	# must_fail NAME CODE TEXT CMD...: fails with CODE and TEXT
	local name=$1 code=$2 text=$3
	shift 3
	run "$name" "$@"
	[ "$rc" = "$code" ] ||
		fail "$name: exit $rc, not $code: $(cat "$T/$name.out")"
	grep -qF -- "$text" "$T/$name.out" ||
		fail "$name: no '$text' in: $(cat "$T/$name.out")"
}

cluster_create 3
cat >"$T/cfg.xml" <<'EOF'
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2"/>
      <node id="3" uname="n3"/>
    </nodes>
    <resources>
      <primitive id="db" class="ocf" provider="pacemaker" type="Dummy"/>
      <group id="web">
        <primitive id="web-ip" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="web-srv" class="ocf" provider="pacemaker" type="Dummy"/>
      </group>
    </resources>
    <constraints>
      <rsc_location id="db-likes-n1" rsc="db" node="n1" score="50"/>
    </constraints>
  </configuration>
</cib>
EOF
corosync_start_all
for n in 1 2 3; do crmd_start "$n"; done
wait_until 30 "node 1 accepts the configuration" \
	cib 1 replace "$T/cfg.xml" >"$T/replace.out" 2>&1 ||
	fail "replace: $(cat "$T/replace.out")"
expect_on_all "the configuration" resources '<primitive id="web-srv"'

# --- fo-res status reads fo-crmd's own answer (<crmd-status>) ---
status_ok() {
	res 2 status >"$T/status.out" 2>&1 &&
		grep -qF "Current DC: n1 (1) - partition with quorum" \
			"$T/status.out" &&
		grep -qF "Online: [ n1 n2 n3 ]" "$T/status.out" &&
		grep -qF "$(printf '* db\t(ocf:pacemaker:Dummy):')" "$T/status.out"
}
wait_until 20 "fo-res status on node 2 shows the cluster" status_ok ||
	fail "fo-res status on node 2: $(cat "$T/status.out")"
res 3 --output-as=json status >"$T/status.json" 2>&1 &&
	python3 -m json.tool "$T/status.json" >/dev/null ||
	fail "fo-res status json on node 3: $(cat "$T/status.json")"

# --- move writes cli-prefer-RSC (INFINITY); clear removes it ---
must move res 1 move db n2
grep -qF 'fo-res clear db' "$T/move.out" ||
	fail "move does not say how to remove its constraint:" \
		"$(cat "$T/move.out")"
expect_on_all "move" constraints \
	'<rsc_location id="cli-prefer-db" rsc="db" role="Started" node="n2" score="INFINITY"/>'

# --- ban writes cli-ban-RSC-on-NODE (-INFINITY) ---
must ban res 2 ban db n3
expect_on_all "ban" constraints \
	'<rsc_location id="cli-ban-db-on-n3" rsc="db" role="Started" node="n3" score="-INFINITY"/>'
# a move to the banned node lifts that ban in the same change
must move2 res 3 move db n3
expect_on_all "move to n3" constraints 'id="cli-prefer-db" rsc="db" role="Started" node="n3"'
expect_off_all "the ban on n3" constraints 'cli-ban-db-on-n3'
must ban2 res 2 ban db n1

# --- clear removes every move and ban constraint, and names them ---
must clear res 3 clear db
grep -qF 'cli-prefer-db' "$T/clear.out" &&
	grep -qF 'cli-ban-db-on-n1' "$T/clear.out" ||
	fail "clear does not name what it removed: $(cat "$T/clear.out")"
expect_off_all "clear" constraints 'cli-'
expect_on_all "the user's own constraint" constraints 'id="db-likes-n1"'

# --- move without a node bans the node the status shows db running on
# (retried: db may be between a stop and a start after the clear) ---
wait_until 30 "move db without a node" \
	eval 'res 1 move db >"$T/move-nonode.out" 2>&1' ||
	fail "move db: $(cat "$T/move-nonode.out")"
grep -Eq 'cli-ban-db-on-n[123]' "$T/move-nonode.out" ||
	fail "move without a node wrote no ban: $(cat "$T/move-nonode.out")"
must clear-nonode res 1 clear db
must_fail ban-member 1 "fo-res ban web NODE" res 1 ban web-ip n2
must_fail move-nonode-node 1 "no node 'n9'" res 1 move db n9
must_fail lifetime 1 "not supported" res 1 --lifetime=PT1H move db n2
off_all constraints 'cli-' || fail "a refused command wrote a constraint"

# --- stop / start: meta target-role on the resource ---
must stop res 2 stop web --output-as=json
grep -qF '{"tool":"fo-res","command":"stop","rc":0,' "$T/stop.out" ||
	fail "stop --output-as=json: $(cat "$T/stop.out")"
expect_on_all "stop" resources \
	'<nvpair id="web-meta_attributes-target-role" name="target-role" value="Stopped"/>'
must_fail start-member 1 "fo-res start web" res 3 start web-srv
must start res 3 start web
expect_on_all "start" resources \
	'<nvpair id="web-meta_attributes-target-role" name="target-role" value="Started"/>'

# --- standby / online: node attribute standby in nodes-ID ---
must standby fonode 1 standby n2
expect_on_all "standby" nodes \
	'<instance_attributes id="nodes-2"><nvpair id="nodes-2-standby" name="standby" value="on"/>'
fonode 3 list >"$T/list.out" || fail "fo-node list: $(cat "$T/list.out")"
grep -Eq '^n2 +2 +online +on +off' "$T/list.out" ||
	fail "fo-node list on node 3 does not show n2 online in standby:" \
		"$(cat "$T/list.out")"
must online fonode 3 online n2
expect_off_all "online" nodes 'nodes-2-standby'

# --- maintenance on / off ---
must maint fonode 2 maintenance n3 on
expect_on_all "maintenance" nodes \
	'<nvpair id="nodes-3-maintenance" name="maintenance" value="on"/>'
fonode 1 --output-as=json list >"$T/json.out" ||
	fail "fo-node list --output-as=json: $(cat "$T/json.out")"
grep -qF '{"name":"n3","id":"3","state":"online","standby":false,"maintenance":true,"configured":true}' \
	"$T/json.out" || fail "json list: $(cat "$T/json.out")"
# --- Pacemaker's own tools read what fo wrote ---
must pm-move res 1 move db n2
must pm-ban res 2 ban db n3
must pm-standby fonode 3 standby n1
must pm-stop res 1 stop web
wait_until 10 "all four on node 3" has 3 configuration 'nodes-1-standby' ||
	fail "node 3 lacks the standby of n1"
cib 3 show >"$T/live.xml" || fail "fo-cib show on node 3"
crm_verify --xml-file "$T/live.xml" >"$T/verify.out" 2>&1 ||
	fail "crm_verify refuses fo's CIB: $(cat "$T/verify.out")"
pm() {	# pm CMD...: a Pacemaker tool on the CIB file, not a live cluster
	CIB_file=$T/live.xml "$@" 2>&1
}
pm crm_standby --node n1 --query | grep -q 'name=standby value=on' ||
	fail "crm_standby: $(pm crm_standby --node n1 --query)"
pm crm_attribute --node n3 --name maintenance --query |
	grep -q 'value=on' ||
	fail "crm_attribute: $(pm crm_attribute --node n3 --name maintenance \
		--query)"
pm crm_resource --resource web --meta --get-parameter target-role |
	grep -qx 'Stopped' ||
	fail "crm_resource: $(pm crm_resource --resource web --meta \
		--get-parameter target-role)"
pm crm_resource --resource db --constraints >"$T/pm-cons.out"
grep -q 'cli-prefer-db' "$T/pm-cons.out" &&
	grep -q 'cli-ban-db-on-n3' "$T/pm-cons.out" ||
	fail "crm_resource --constraints: $(cat "$T/pm-cons.out")"
must pm-clear res 3 clear db
must pm-online fonode 2 online n1
must pm-start res 2 start web
must maint-off fonode 1 maintenance n3 off
expect_off_all "maintenance off" nodes 'nodes-3-maintenance'
must_fail maint-bad 2 "unknown command" fonode 1 maintenance n3 maybe

# --- add a primitive with parameters and a monitor; then delete it ---
must add res 1 --output-as=xml add extra ocf:pacemaker:Dummy \
	state=/run/extra.state op monitor interval=10s timeout=20s
grep -qF '<result tool="fo-res" command="add" rc="0">' "$T/add.out" ||
	fail "add --output-as=xml: $(cat "$T/add.out")"
expect_on_all "add" resources '<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="extra-instance_attributes"><nvpair id="extra-instance_attributes-state" name="state" value="/run/extra.state"/></instance_attributes><operations><op id="extra-monitor-interval-10s" name="monitor" interval="10s" timeout="20s"/></operations></primitive>'
must_fail add-again 1 "already used" res 2 add extra ocf:pacemaker:Dummy
must delete res 2 delete extra
expect_off_all "delete" resources 'id="extra"'

# --- a bad add is refused with a clear message and changes nothing ---
cib 3 show configuration >"$T/before.xml"
must_fail bad-class 2 "unknown agent class 'foo'" \
	res 1 add bad1 foo:bar:Dummy
must_fail bad-interval 2 "interval='often' is not a duration" \
	res 2 add bad2 ocf:pacemaker:Dummy op monitor interval=often
must_fail bad-monitor 2 "interval must be above 0" \
	res 2 add bad3 ocf:pacemaker:Dummy op monitor interval=0
must_fail bad-nv 2 "is not name=value" res 3 add bad4 ocf:pacemaker:Dummy oops
must_fail bad-op-attr 1 "attribute \"colour\" is not part of <op>" \
	res 3 add bad5 ocf:pacemaker:Dummy op monitor interval=10s colour=red
cib 1 show configuration >"$T/after.xml"
cmp -s "$T/before.xml" "$T/after.xml" ||
	fail "a refused add changed the configuration:" \
		"$(diff "$T/before.xml" "$T/after.xml")"

# --- delete is refused while a constraint names the resource ---
must_fail delete-ref 1 'db-likes-n1' res 1 delete db
has 2 resources '<primitive id="db"' || fail "a refused delete removed db"
must delete-force res 1 --force delete db
grep -qF 'db-likes-n1' "$T/delete-force.out" ||
	fail "delete --force does not say it removed db-likes-n1:" \
		"$(cat "$T/delete-force.out")"
expect_off_all "delete --force" resources 'id="db"'
expect_off_all "delete --force" constraints 'db-likes-n1'

# --- only root and group haclient may change anything ---
must_fail denied 4 "ermission denied" node_exec 2 setpriv --reuid=65534 \
	--regid=65534 --clear-groups "$FORES" stop web
has 1 resources 'value="Started"' || fail "a denied stop changed web"

# --- a node without quorum refuses every change ---
node_partition 3
nq() {
	! res 3 stop web >"$T/nq.out" 2>&1 && grep -q "no quorum" "$T/nq.out"
}
wait_until 20 "node 3 sees it has no quorum" nq ||
	fail "node 3 without quorum: $(cat "$T/nq.out")"
must_fail nq-node 1 "no quorum" fonode 3 standby n1
res 3 status | grep -qF "partition WITHOUT quorum" ||
	fail "fo-res status on node 3 without quorum: $(res 3 status 2>&1)"
has 3 resources 'value="Started"' || fail "node 3 changed without quorum"
n3_off() { fonode 1 list | grep -Eq '^n3 +3 +offline'; }
wait_until 20 "node 1 lists n3 offline" n3_off ||
	fail "fo-node list on node 1: $(fonode 1 list)"
node_heal 3
echo "ok: move, ban, clear, stop, start, standby, online, maintenance," \
	"add and delete replicated to 3 nodes; invalid and no-quorum" \
	"changes refused"
