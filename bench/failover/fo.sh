# bench/failover/fo.sh - fo behind the failover bench.
#
# Sourced by bench/failover/run after tests/cluster/lib.sh. The same impl_*
# functions as pacemaker.sh, written against the daemon and the CLI of
# issue 4 and docs/cli.md (fo-crmd, fo-cib replace, fo-node list, fo-res
# move/clear/locate). Until fo-crmd runs resources, impl_available says so
# and the bench prints that in fo's column instead of numbers.
# FO_STOP_GRACE (default 0: Pacemaker's safety model without fencing) sets
# stop-grace; "default" leaves fo's own default (fo-grace.sh).

FO_CRMD=$top_builddir/crmd/fo-crmd
FO_CIB=$top_builddir/cli/fo-cib
FO_RES=$top_builddir/cli/fo-res
FO_NODE=$top_builddir/cli/fo-node
: "${FO_STOP_GRACE:=0}"

# impl_available: 0 if fo can run resources, else print why and return 1.
# fo-res locate (issue 4, section 2) needs the status that running
# resources writes; before it exists fo cannot be measured.
impl_available() {
	if [ ! -x "$FO_RES" ] || ! "$FO_RES" --help 2>&1 | grep -q locate
	then
		echo "not yet: fo-crmd does not run resources"
		return 1
	fi
	if [ ! -x "$FO_CRMD" ] || [ ! -x "$FO_CIB" ] || [ ! -x "$FO_NODE" ]
	then
		echo "fo-crmd, fo-cib or fo-node not built in $top_builddir"
		return 1
	fi
	return 0
}

impl_version() {
	echo "fo $(git -C "$top_srcdir" describe --always --dirty 2>/dev/null)" \
		"stop-grace=$FO_STOP_GRACE"
}

fo_prepare_root() {
	mkdir -p "$T/ocf-root/resource.d"
	ln -sfn "$top_srcdir/agents" "$T/ocf-root/resource.d/fo"
}

# impl_node_start N: node N is booted with corosync running; start fo-crmd
# (its state directory is lib.sh's private $FO_STATE_DIR).
impl_node_start() {
	local n=$1
	[ -d "$T/ocf-root" ] || fo_prepare_root
	node_exec "$n" mkdir -p /run/resource-agents ||
		fail "node $n: /run/resource-agents"
	node_spawn "$n" crmd env OCF_ROOT="$T/ocf-root" "$FO_CRMD" -f \
		-s "$FO_STATE_DIR"
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

impl_move() {
	node_exec "$1" "$FO_RES" move "$2" "n$3" >/dev/null 2>&1
}

impl_clear() {
	node_exec "$1" "$FO_RES" clear "$2" >/dev/null 2>&1
}

# impl_settle N: RSC located on exactly one node by node N's fo-crmd.
impl_settle() {
	wait_until 60 "fo locates r1 on one node" fo_located_once "$1"
}

fo_located_once() {
	[ "$(impl_where "$1" r1 | wc -l)" -eq 1 ]
}

impl_where() {
	node_exec "$1" "$FO_RES" locate "$2" 2>/dev/null |
		grep -o 'n[0-9]*' | tr -dc '0-9\n'
}

# impl_rss N: "RSS_KB PSS_KB" summed over the node's daemons.
impl_rss() {
	bench_mem "$1" 'fo-crmd'
}
