# bench/failover/fo.sh - fo behind the failover bench.
#
# Sourced by bench/failover/run after tests/cluster/lib.sh. The same impl_*
# functions as pacemaker.sh, on what fo has: fo-crmd (started the way the
# cluster tests start it, tests/cluster/fo.sh, with its debug log in
# $T/nN/crmd.out), fo-cib replace and show status, fo-node list, fo-res
# move/clear. Where the resource runs, in fo's own view, is read from the
# status section's operation history (lrm_rsc_op), by the rule
# docs/cli.md gives for `fo-res move RSC`; the times themselves come from
# the agent's log, never from fo. FO_STOP_GRACE (default 0: Pacemaker's
# safety model without fencing) sets stop-grace; "default" leaves fo's own
# default (fo-grace.sh).

# shellcheck source=tests/cluster/fo.sh
. "$top_srcdir/tests/cluster/fo.sh"
FO_CIB=$top_builddir/cli/fo-cib
FO_RES=$top_builddir/cli/fo-res
FO_NODE=$top_builddir/cli/fo-node
: "${FO_STOP_GRACE:=0}"

# impl_available: 0 if fo can be measured here, else print why and return
# 1. fo-crmd must run resources: a build with the transition engine.
impl_available() {
	local c
	for c in "$FO_CRMD" "$FO_CIB" "$FO_RES" "$FO_NODE"; do
		[ -x "$c" ] || { echo "$c not built (make)"; return 1; }
	done
	grep -qa 'te: transition %d complete' "$FO_CRMD" || {
		echo "not yet: this fo-crmd has no transition engine"
		return 1
	}
	return 0
}

impl_version() {
	echo "fo $(git -C "$top_srcdir" describe --always --dirty 2>/dev/null)" \
		"stop-grace=$FO_STOP_GRACE"
}

# impl_node_start N: node N is booted with corosync running; start fo-crmd
# (lib.sh gives it a private state directory, an overlay on /var/lib).
# The log of the daemon's previous life (before a crash) is kept in
# crmd.log, for reading where the time went (FO_KEEP=1).
impl_node_start() {
	local d=$T/n$1
	[ -f "$d/crmd.out" ] && cat "$d/crmd.out" >>"$d/crmd.log"
	crmd_start "$1"
}

# fo_online_ids N: ids of the nodes node N's fo-crmd sees online
# (fo-node list, docs/cli.md), sorted.
fo_online_ids() {
	node_exec "$1" "$FO_NODE" --output-as=xml list 2>/dev/null |
		grep -o '<node [^>]*state="online"[^>]*>' |
		grep -o ' id="[0-9]*"' | tr -dc '0-9\n' | sort -n
}

fo_online() {
	[ "$(fo_online_ids "$1" | wc -l)" -eq "$NODES" ]
}

impl_wait_formed() {
	local n
	for n in "$@"; do
		wait_until 60 "fo on node $n sees $NODES nodes online" \
			fo_online "$n" || return 1
	done
}

# impl_configure N RSC_COUNT LOG INTERVAL: as in pacemaker.sh.
impl_configure() {
	local n=$1 count=$2 log=$3 iv=$4 i f=$T/fo-config.xml
	{
		echo '<cib validate-with="pacemaker-3.9" admin_epoch="0"' \
			'epoch="1" num_updates="0"><configuration><crm_config>'
		[ "$FO_STOP_GRACE" = default ] ||
			echo '<cluster_property_set id="bench-options">' \
				'<nvpair id="bench-grace" name="stop-grace"' \
				"value=\"$FO_STOP_GRACE\"/></cluster_property_set>"
		echo '</crm_config><nodes/><rsc_defaults>'
		echo '<meta_attributes id="bench-rsc-defaults">'
		echo '<nvpair id="bench-stick" name="resource-stickiness"' \
			'value="100"/></meta_attributes></rsc_defaults>'
		echo '<resources>'
		for i in $(seq "$count"); do
			echo "<primitive id=\"r$i\" class=\"ocf\" provider=\"fo\"" \
				"type=\"Dummy\"><instance_attributes" \
				"id=\"r$i-ia\"><nvpair id=\"r$i-log\" name=\"log\"" \
				"value=\"$log\"/></instance_attributes>" \
				"<operations><op id=\"r$i-mon\" name=\"monitor\"" \
				"interval=\"$iv\" timeout=\"20s\"/></operations>" \
				"</primitive>"
		done
		echo '</resources><constraints/></configuration></cib>'
	} >"$f"
	node_exec "$n" "$FO_CIB" replace "$f" >/dev/null
}

# impl_dc N: the DC is the lowest node id in the membership (DESIGN.md);
# node ids are the node numbers (lib.sh's corosync.conf).
impl_dc() {
	fo_online_ids "$1" | head -n 1
}

# fo_res N ARGS...: fo-res on node N. A change that a membership change
# overtook is refused ("the membership changed before the change was
# applied; ... try again", docs/cli.md): try again, at most 5 times (a
# corosync token loss re-forms the membership with the same nodes); any
# other refusal is final.
fo_res() {
	local n=$1
	shift
	fo_retry "$n" "$FO_RES" "$@"
}

# fo_retry N TOOL ARGS...: as fo_res, any fo tool.
fo_retry() {
	local n=$1 tool=$2 i out
	shift 2
	for i in 1 2 3 4 5; do
		out=$(node_exec "$n" "$tool" "$@" 2>&1) && return 0
		case $out in
		*"membership changed"*"try again"*) ;;
		*) echo "$out" >&2; return 1 ;;
		esac
		blog "${tool##*/} $* on n$n: the membership changed; again ($i)"
	done
	return 1
}

impl_move() {
	fo_res "$1" move "$2" "n$3" >/dev/null
}

impl_clear() {
	fo_res "$1" clear "$2" >/dev/null
}

# fo_status N MODE [RSC]: node N's status section (fo-cib show status),
# read as docs/cli.md says `fo-res move RSC` reads it: on each node_state,
# RSC's lrm_rsc_op with the highest call-id leaves RSC active unless it is
# a successful stop or returned 7 (not running); a pending record
# (op-status -1, written before a start or stop runs) has the highest
# call-id while the action is in flight. MODE "where": the numbers of the
# nodes where RSC is active; "pending": "RSC node" for every resource whose
# last operation on a node is still in flight.
fo_status() {
	node_exec "$1" "$FO_CIB" show status 2>/dev/null |
		python3 -c '
import sys
import xml.etree.ElementTree as ET
mode, rsc = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
try:
    root = ET.fromstring(sys.stdin.read())
except ET.ParseError:
    sys.exit(1)
for ns in root.iter("node_state"):
    node = (ns.get("uname") or "").lstrip("n")
    for lr in ns.iter("lrm_resource"):
        ops = [o for o in lr.iter("lrm_rsc_op")
               if (o.get("call-id") or "").lstrip("-").isdigit()]
        if not ops:
            continue
        last = max(ops, key=lambda o: int(o.get("call-id")))
        if mode == "pending":
            if last.get("op-status") == "-1":
                print(lr.get("id"), node)
        elif lr.get("id") == rsc:
            rc, op = last.get("rc-code"), last.get("operation")
            if rc != "7" and not (op == "stop" and rc == "0"):
                print(node)
' "$2" "${3:-}" | sort -n
}

# fo_dc_idle N: node N's last transition line says it is complete
# (fo-crmd's log; no tool reports the DC's idleness yet).
fo_dc_idle() {
	grep -E 'te: transition [0-9]+( |:)' "$T/n$1/crmd.out" 2>/dev/null |
		tail -n 1 | grep -q ' complete$'
}

# fo_settled N: seen from node N, r1 active on exactly one node, nothing
# in flight, and the DC's last transition complete.
fo_settled() {
	local dc
	[ "$(fo_status "$1" where r1 | wc -l)" -eq 1 ] || return 1
	[ -z "$(fo_status "$1" pending)" ] || return 1
	dc=$(impl_dc "$1")
	[ -n "$dc" ] && fo_dc_idle "$dc"
}

impl_settle() {
	wait_until 60 "fo settled, seen from node $1" fo_settled "$1"
}

impl_where() {
	fo_status "$1" where "$2"
}

# impl_rss N: "RSS_KB PSS_KB ANON_KB" summed over the node's daemons.
impl_rss() {
	bench_mem "$1" 'fo-crmd'
}

# impl_standby N M on|off: from node N, node M to standby or back.
impl_standby() {
	case $3 in
	on) fo_retry "$1" "$FO_NODE" standby "n$2" ;;
	*) fo_retry "$1" "$FO_NODE" online "n$2" ;;
	esac
}

# impl_mem_floor COUNT: beside fo-crmd, bench/failover/mem-floor on every
# node (fo-crmd's libraries, started, in a CPG group of its own, nothing
# else): the "fo-floor" rows, what no fo-crmd can go below.
impl_mem_floor() {
	local n floor=$top_builddir/bench/failover/mem-floor
	[ -x "$floor" ] || { blog "no $floor (make): no floor rows"; return 0; }
	for n in $(seq "$NODES"); do
		node_spawn "$n" mem-floor "$floor"
	done
	sleep 3
	for n in $(seq "$NODES"); do
		record "mem fo-floor $1 n$n $(bench_mem "$n" 'mem-floor')" \
			"$(bench_mem "$n" corosync | cut -d' ' -f1)"
		node_kill "$n" mem-floor TERM
	done
}
