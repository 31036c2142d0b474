# bench/failover/pacemaker.sh - Pacemaker 2.1 behind the failover bench.
#
# Sourced by bench/failover/run after tests/cluster/lib.sh. Defines the
# impl_* functions the scenarios call (see "Implementation interface" in
# bench/failover/README.md). Each node gets a private /var/lib/pacemaker
# and /var/log/pacemaker (bind mounts of directories in the run's temp dir)
# and sees fo's agents as ocf:fo:* through a bind mount of a directory of
# symlinks over /usr/lib/ocf/resource.d, inside the node's own mount
# namespace only: nothing is installed or changed outside the nodes.

PCMKD=/usr/sbin/pacemakerd
PCMK_OCF_RD=/usr/lib/ocf/resource.d

# impl_available: 0 if Pacemaker can run here, else print why and return 1.
impl_available() {
	local c
	for c in "$PCMKD" /usr/sbin/cibadmin /usr/sbin/crm_resource \
	    /usr/sbin/crmadmin /usr/sbin/crm_mon; do
		[ -x "$c" ] || { echo "$c missing (tests/deps --bench)"; return 1; }
	done
	getent passwd hacluster >/dev/null ||
		{ echo "user hacluster missing (package pacemaker)"; return 1; }
	return 0
}

impl_version() {
	"$PCMKD" --version 2>/dev/null | head -n 1
}

# pcmk_prepare_dirs: the per-node directories and the OCF overlay, once.
pcmk_prepare_dirs() {
	local n d sub
	mkdir -p "$T/ocf-rd"
	for d in "$PCMK_OCF_RD"/*; do
		[ "${d##*/}" = fo ] && continue
		ln -sfn "$d" "$T/ocf-rd/${d##*/}"
	done
	ln -sfn "$top_srcdir/agents" "$T/ocf-rd/fo"
	for n in $(seq "$NODES"); do
		d=$T/n$n
		for sub in cib pengine blackbox cores; do
			mkdir -p "$d/pcmk-lib/$sub"
			chown hacluster:haclient "$d/pcmk-lib/$sub"
			chmod 0750 "$d/pcmk-lib/$sub"
		done
		mkdir -p "$d/pcmk-log"
		chown hacluster:haclient "$d/pcmk-log"
		chmod 0770 "$d/pcmk-log"
	done
}

# impl_node_start N: node N is booted with corosync running; mount its
# private Pacemaker directories and start pacemakerd there.
impl_node_start() {
	local n=$1
	[ -d "$T/ocf-rd" ] || pcmk_prepare_dirs
	node_exec "$n" sh -c 'd=$1; rd=$2; ocf=$3
		mkdir -p /run/resource-agents &&
		mount --bind "$d/pcmk-lib" /var/lib/pacemaker &&
		mount --bind "$d/pcmk-log" /var/log/pacemaker &&
		mount --bind "$rd" "$ocf"' sh "$T/n$n" "$T/ocf-rd" \
		"$PCMK_OCF_RD" || fail "node $n: Pacemaker mounts"
	node_spawn "$n" pacemakerd env PCMK_logfacility=none \
		PCMK_debug="${PCMK_debug:-no}" \
		PCMK_logfile=/var/log/pacemaker/pacemaker.log \
		"$PCMKD" --foreground
}

# pcmk_online N: node N's controller sees all $NODES nodes online.
pcmk_online() {
	local out
	out=$(node_exec "$1" crm_mon -1 --output-as=xml 2>/dev/null) || return 1
	[ "$(echo "$out" | grep -c '<node name=.* online="true"')" \
	    -eq "$NODES" ] &&
		echo "$out" | grep -q '<current_dc present="true"'
}

# impl_wait_formed N...: every listed node sees the whole cluster with a DC.
impl_wait_formed() {
	local n
	for n in "$@"; do
		wait_until 60 "Pacemaker on node $n sees $NODES nodes and a DC" \
			pcmk_online "$n" || return 1
	done
}

# impl_configure N RSC_COUNT LOG INTERVAL: from node N, the cluster options
# and RSC_COUNT ocf:fo:Dummy resources r1..rN (monitor INTERVAL, start/stop
# events to LOG).
impl_configure() {
	local n=$1 count=$2 log=$3 iv=$4 i xml
	node_exec "$n" crm_attribute -t crm_config -n stonith-enabled \
		-v false >/dev/null || return 1
	# Stay where it is after a failover: no move back on rejoin.
	node_exec "$n" crm_attribute -t rsc_defaults -n resource-stickiness \
		-v 100 >/dev/null || return 1
	xml="<resources>"
	for i in $(seq "$count"); do
		xml="$xml<primitive id=\"r$i\" class=\"ocf\" provider=\"fo\""
		xml="$xml type=\"Dummy\"><instance_attributes id=\"r$i-ia\">"
		xml="$xml<nvpair id=\"r$i-log\" name=\"log\" value=\"$log\"/>"
		xml="$xml</instance_attributes><operations>"
		xml="$xml<op id=\"r$i-mon\" name=\"monitor\" interval=\"$iv\""
		xml="$xml timeout=\"20s\"/></operations></primitive>"
	done
	xml="$xml</resources>"
	node_exec "$n" cibadmin --replace -o resources --xml-text "$xml" \
		>/dev/null
}

# impl_dc N: the DC's node number, as node N sees it.
impl_dc() {
	node_exec "$1" crmadmin -D -q 2>&1 | grep -o 'n[0-9]*' | tail -n 1 |
		tr -d n
}

# impl_move N RSC TARGET: from node N, ask for RSC on node TARGET.
impl_move() {
	node_exec "$1" crm_resource --move -r "$2" -N "n$3" >/dev/null 2>&1
}

# impl_clear N RSC: from node N, remove what impl_move left behind.
impl_clear() {
	node_exec "$1" crm_resource --clear -r "$2" >/dev/null 2>&1
}

# impl_standby N M on|off: from node N, node M to standby or back.
impl_standby() {
	node_exec "$1" crm_standby -N "n$2" -v "$3" >/dev/null 2>&1
}

# impl_settle N: wait (bounded) until node N's cluster has nothing to do.
impl_settle() {
	node_exec "$1" crm_resource --wait --timeout=60s >/dev/null 2>&1
}

# impl_where N RSC: node numbers RSC runs on, as the cluster reports it.
impl_where() {
	node_exec "$1" crm_resource --locate -r "$2" 2>/dev/null |
		grep -o 'running on: n[0-9]*' | tr -dc '0-9\n'
}

# impl_rss N: "RSS_KB PSS_KB ANON_KB" summed over the node's daemons.
impl_rss() {
	bench_mem "$1" 'pacemaker*'
}
