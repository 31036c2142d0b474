# tests/cluster/fo.sh - fo-crmd on a lib.sh cluster, for failover tests.
#
# Source it after lib.sh. fo_cluster N starts an N-node cluster with
# corosync and fo-crmd on every node (agents from the build tree through an
# OCF_ROOT overlay: the system's lib/ and providers, and agents/ as "fo").
# The fo/Dummy agent appends "<ns> start-begin|stop-end RSC nN" to
# $FO_ACTLOG (give it log="@LOG@" in a CIB; fo_load substitutes), and the
# harness appends "<ns> crash - nN" on a crash, so active_nodes and
# fo_check_single see the resources' real side effects, never fo's view.
# In a CIB loaded with fo_load, @LOG@ is $FO_ACTLOG and @T@ is $T.
# docs/cluster-testing.md describes every function.

FO_CRMD=$top_builddir/crmd/fo-crmd
FO_CHECK=$top_srcdir/tests/cluster/check-single-active

# fo_ocf_root: the overlay OCF_ROOT in $T/ocf (made once).
fo_ocf_root() {
	local p
	[ -d "$T/ocf" ] && return 0
	mkdir -p "$T/ocf/resource.d"
	ln -s /usr/lib/ocf/lib "$T/ocf/lib"
	for p in /usr/lib/ocf/resource.d/*; do
		[ "${p##*/}" = fo ] || ln -s "$p" "$T/ocf/resource.d/${p##*/}"
	done
	ln -s "$top_srcdir/agents" "$T/ocf/resource.d/fo"
}

# crmd_start N: start fo-crmd on node N (debug log in $T/nN/crmd.out).
crmd_start() {
	fo_ocf_root
	node_exec "$1" mkdir -p /run/resource-agents
	node_spawn "$1" crmd env OCF_ROOT="$T/ocf" "$FO_CRMD" -f -d
}

crmd_running() {
	local pid
	pid=$(cat "$T/n$1/crmd.pid" 2>/dev/null) || return 1
	node_exec "$1" kill -0 "$pid" 2>/dev/null
}

# crmd_stop N [SECONDS]: SIGTERM (a clean shutdown) and wait for the exit.
crmd_stop() {
	node_kill "$1" crmd TERM
	wait_until "${2:-60}" "fo-crmd on node $1 to exit" \
		eval "! crmd_running $1"
}

# crmd_kill N: SIGKILL fo-crmd alone (corosync and the resources stay).
crmd_kill() {
	node_kill "$1" crmd KILL
	wait_until 5 "fo-crmd on node $1 killed" eval "! crmd_running $1"
}

# fo N TOOL ARGS...: run an fo tool (fo-res, fo-cib, fo-node) on node N.
fo() {
	local n=$1 tool=$2
	shift 2
	node_exec "$n" "$top_builddir/cli/$tool" "$@"
}

# fo_cluster N: N nodes, corosync and fo-crmd everywhere, fo-crmd ready.
fo_cluster() {
	local n
	cluster_create "$1"
	corosync_start_all
	for n in $(seq "$1"); do crmd_start "$n"; done
	wait_until 30 "every node in <nodes>" fo_nodes_listed "$1" ||
		fail "nodes: $(fo 1 fo-cib show nodes 2>&1)"
}

# fo_nodes_listed N: the DC has registered nodes 1..N (seen on node 1).
fo_nodes_listed() {
	local out i
	out=$(fo 1 fo-cib show nodes 2>/dev/null) || return 1
	for i in $(seq "$1"); do
		echo "$out" |
			grep -q "<node id=\"$i\" uname=\"$FO_NAME$i\"" ||
			return 1
	done
}

# fo_load FILE [NODE]: load a CIB (with @LOG@ / @T@ filled in) through
# fo-cib replace on NODE (default 1), retried while the cluster syncs.
fo_load() {
	local f=$1 n=${2:-1}
	sed -e "s|@LOG@|$FO_ACTLOG|g" -e "s|@T@|$T|g" "$f" >"$T/loaded.xml"
	wait_until 30 "node $n accepts $f" \
		eval "fo $n fo-cib replace '$T/loaded.xml' >'$T/load.out' 2>&1" ||
		fail "fo-cib replace $f: $(cat "$T/load.out")"
}

# active_nodes RSC: nodes on which RSC is active now by the activity log
# (started, not stopped since, node not crashed since), sorted.
active_nodes() {
	sort -n "$FO_ACTLOG" | awk -v r="$1" '
		$2 == "crash" { for (k in on) if (k == $4) delete on[k]; next }
		$3 != r { next }
		$2 == "start-begin" { on[$4] = 1 }
		$2 == "stop-end" { delete on[$4] }
		END { for (k in on) print k }' | sort
}

# wait_active SECONDS RSC "NODES": until RSC is active exactly on NODES
# (space-separated, sorted; "" for nowhere).
wait_active() {
	wait_until "$1" "$2 active on [$3]" fo_active_is "$2" "$3"
}

# wait_running S RSC: until RSC is active somewhere (fails after S s).
wait_running() {
	wait_until "$1" "$2 running somewhere" \
		eval '[ -n "$(active_nodes '"$2"')" ]' ||
		fail "$2 is not running anywhere after $1 s"
}

# fo_one_dummy: 3 nodes running tests/cluster/cib/one-dummy.xml, d1 up.
fo_one_dummy() {
	fo_cluster 3
	fo_load "$top_srcdir/tests/cluster/cib/one-dummy.xml"
	wait_running 30 d1
}

fo_active_is() {
	[ "$(active_nodes "$1" | tr '\n' ' ' | sed 's/ $//')" = "$2" ]
}

# wait_idle N [SECONDS]: fo-res --wait on node N (the DC is idle).
wait_idle() {
	fo "$1" fo-res --wait="${2:-60}" status >/dev/null 2>&1
}

# fo_check_single [ARGS]: the single-active invariant over $FO_ACTLOG
# (ARGS e.g. --clone NAME=MAX); prints the intervals and fails on overlap.
fo_check_single() {
	python3 "$FO_CHECK" "$@" "$FO_ACTLOG" >"$T/single.out" 2>&1 ||
		fail "single-active invariant broken:
$(cat "$T/single.out")"
}

# last_event RSC: "<ns> <event> <node>" of RSC's last start or stop.
last_event() {
	sort -n "$FO_ACTLOG" | awk -v r="$1" '$3 == r { l = $1 " " $2 " " $4 }
		END { print l }'
}

# event_after NS EVENT RSC [NODE | !NODE]: "<ns> <node>" of the first
# EVENT (start-begin, stop-end) of RSC at or after NS in the activity log,
# on NODE only, or on any node but NODE; empty when there is none.
event_after() {
	sort -n "$FO_ACTLOG" | awk -v t="$1" -v e="$2" -v r="$3" \
	    -v n="${4:-}" '$1 >= t && $2 == e && $3 == r &&
		(n == "" || $4 == n || (n ~ /^!/ && $4 != substr(n, 2))) {
			print $1, $4; exit }'
}

# events_since NS: the activity log's start/stop lines at or after NS.
events_since() {
	sort -n "$FO_ACTLOG" | awk -v t="$1" '$1 >= t && $2 != "crash"'
}

# fo_probes N...: a cpg-probe in its own group (fo-probe) on each node,
# to time corosync's own membership changes (probe_first_after).
fo_probes() {
	local n
	for n in "$@"; do probe_start "$n" -g fo-probe; done
}

# fo_load_edited FILE SED-EXPR: fo_load FILE as edited by the sed expression.
fo_load_edited() {
	sed -e "$2" "$1" >"$T/edited.xml"
	fo_load "$T/edited.xml"
}

# hold_active SECONDS RSC "NODES": RSC stays active exactly on NODES (as
# wait_active) for SECONDS; returns 1, saying where it runs, as soon as
# it does not.
hold_active() {
	local end=$(( $(now_ns) + $1 * 1000000000 ))
	while [ "$(now_ns)" -lt "$end" ]; do
		fo_active_is "$2" "$3" || {
			hlog "$2 active on [$(active_nodes "$2" | tr '\n' ' ')]," \
				"expected [$3]"
			return 1
		}
		sleep 0.2
	done
}

# hold_quiet SECONDS NS: no resource starts or stops (activity log lines
# at or after NS) for SECONDS; returns 1, printing them, as soon as one
# does.
hold_quiet() {
	local end=$(( $(now_ns) + $1 * 1000000000 ))
	while [ "$(now_ns)" -lt "$end" ]; do
		[ -z "$(events_since "$2")" ] || {
			hlog "start/stop since $2: $(events_since "$2")"
			return 1
		}
		sleep 0.2
	done
}
