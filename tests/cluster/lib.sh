# tests/cluster/lib.sh - an N-node corosync cluster in namespaces, for tests.
#
# Source it from a bash test script. A node is one long-lived holder process
# (tests/cluster/nsinit, the node's init) in its own network, mount, UTS and
# PID namespaces, with a private tmpfs on /run and /dev/shm, an overlay on
# /var/lib whose upper layer is the node's own directory (so
# $FO_STATE_DIR and /var/lib/corosync are private), and `uname -n` = nN.
# Every command on a node runs through `nsenter -t HOLDER -n -m -u -p`.
# Nodes reach each other through veth pairs to a bridge that lives in a
# namespace of its own; addresses 10.213.0.N/24 exist only in there. Names
# carry the test's pid (fo-t$$-nN, fo-t$$-br), so runs never collide.
# cluster_destroy runs on EXIT: it kills only the holders it started (which
# takes every process in their PID namespaces with them), deletes its
# namespaces and its temp directory, even when the test failed.
# docs/cluster-testing.md describes every function.

: "${top_builddir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${TOKEN:=1000}"
: "${QUORUM_OPTS:=}"		# extra votequorum lines, e.g. "two_node: 1"
: "${FO_STATE_DIR:=/var/lib/fo}"
: "${FO_NAME:=n}"		# node N is called $FO_NAME$N (uname, corosync)

FO_T=fo-t$$			# prefix of every namespace of this run
FO_NET=10.213.0		# /24, only inside this run's namespaces
NSINIT=$top_builddir/tests/cluster/nsinit
CPG_PROBE=$top_builddir/tests/cluster/cpg-probe
T=				# temp dir of this run (cluster_create)
FO_ACTLOG=			# shared start/stop/crash log (on the host)
NODES=0

hlog() {
	echo "$(date +%H:%M:%S.%3N) [lib] $*" >&2
}

now_ns() {
	date +%s%N
}

# skip REASON: exit 77, or fail under CI=true (a skip there hides a gap).
skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL (CI=true, a skip is a failure): $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# cluster_require: root, the tools, and the build-tree helpers.
cluster_require() {
	local c
	[ "$(id -u)" = 0 ] || skip "needs root (network and PID namespaces)"
	for c in corosync corosync-cmapctl ip nsenter unshare stat python3 flock; do
		command -v "$c" >/dev/null 2>&1 ||
			skip "$c not installed (tests/deps installs it)"
	done
	[ -x "$NSINIT" ] || fail "$NSINIT not built (run make check)"
	ip netns add "$FO_T-probe" 2>/dev/null ||
		skip "cannot create network namespaces here"
	ip netns del "$FO_T-probe"
}

# wait_until SECONDS DESCRIPTION CMD...: run CMD every 0.1 s until it
# succeeds; after SECONDS, say what was awaited and return 1.
wait_until() {
	local secs=$1 desc=$2 end
	shift 2
	end=$(( $(now_ns) + secs * 1000000000 ))
	while :; do
		"$@" && return 0
		if [ "$(now_ns)" -ge "$end" ]; then
			hlog "timeout after ${secs}s waiting for: $desc"
			return 1
		fi
		sleep 0.1
	done
}

holder_pid() {
	cat "$T/n$1/holder.pid" 2>/dev/null
}

# node_alive N: the node's holder runs.
node_alive() {
	local h
	h=$(holder_pid "$1") && [ -n "$h" ] &&
		[ "$(readlink "/proc/$h/exe" 2>/dev/null)" = \
		    "$(readlink -f "$NSINIT")" ]
}

# node_exec N CMD...: run CMD inside node N (all its namespaces).
node_exec() {
	local n=$1 h
	shift
	h=$(holder_pid "$n") || { hlog "node $n has no holder"; return 1; }
	nsenter -t "$h" -n -m -u -p "$@"
}

# node_spawn N NAME CMD...: start CMD in the background on node N, its
# output in $T/nN/NAME.out, its pid (inside the node) in $T/nN/NAME.pid.
# It is reparented to the node's init, which reaps it.
node_spawn() {
	local n=$1 name=$2
	shift 2
	rm -f "$T/n$n/$name.pid"
	node_exec "$n" sh -c 'p=$1; o=$2; shift 2
		"$@" >"$o" 2>&1 </dev/null & echo $! >"$p"' sh \
		"$T/n$n/$name.pid" "$T/n$n/$name.out" "$@"
	[ -s "$T/n$n/$name.pid" ] || fail "node $n: could not start $name"
}

# node_kill N NAME [SIGNAL]: signal a process started by node_spawn.
node_kill() {
	local pid
	pid=$(cat "$T/n$1/$2.pid" 2>/dev/null) || return 1
	node_exec "$1" kill "-${3:-TERM}" "$pid" 2>/dev/null
}

# node_pids N: host pids of every process in node N's PID namespace.
node_pids() {
	local h ino
	h=$(holder_pid "$1") || return 0
	# Only a live holder of ours: nsinit, in a PID namespace not ours
	# (a recycled pid must never widen this to the host's processes).
	[ "$(readlink "/proc/$h/exe" 2>/dev/null)" = \
	    "$(readlink -f "$NSINIT")" ] || return 0
	ino=$(stat -L -c %i "/proc/$h/ns/pid" 2>/dev/null) || return 0
	[ "$ino" != "$(stat -L -c %i /proc/self/ns/pid)" ] || return 0
	stat -L -c '%i %n' /proc/[0-9]*/ns/pid 2>/dev/null |
		awk -v ino="$ino" '$1 == ino { split($2, a, "/"); print a[3] }'
}

# node_boot N: start node N's holder (fresh /run, /dev/shm and /proc).
# The state directory's mount point is made again right before the mount:
# a concurrent run's cluster_destroy may have removed it (rmdir) meanwhile.
node_boot() {
	local n=$1 d=$T/n$1 up h i
	mkdir -p "$d/varlib/upper" "$d/varlib/work"
	# /var/lib is an overlay whose upper layer is the node's own disk
	# ($T/nN/varlib/upper): /var/lib/corosync and $FO_STATE_DIR are
	# private and survive a reboot, and nothing is written to the host.
	nsenter --net="/run/netns/$FO_T-n$n" \
		unshare --mount --uts --pid --fork --mount-proc \
		--propagation private \
		sh -c 'd=$1; n=$2; sd=$3; init=$4; name=$5$2
			echo "$name" >/proc/sys/kernel/hostname &&
			mount -t tmpfs -o mode=0755 fo-run /run &&
			mount -t tmpfs -o mode=1777 fo-shm /dev/shm &&
			o=lowerdir=/var/lib,upperdir=$d/varlib/upper &&
			o=$o,workdir=$d/varlib/work &&
			mount -t overlay -o "$o" fo-varlib /var/lib &&
			mkdir -p /var/lib/corosync "$sd" &&
			exec "$init"' sh "$d" "$n" "$FO_STATE_DIR" "$NSINIT" \
		"$FO_NAME" \
		>>"$d/holder.out" 2>&1 &
	up=$!
	disown "$up"	# no "Killed" job report when a crash ends it
	echo "$up" >"$d/unshare.pid"
	# The holder is unshare's child: PID 1 of the new namespace.
	for i in $(seq 50); do
		h=$(cat "/proc/$up/task/$up/children" 2>/dev/null)
		h=${h%% *}
		if [ -n "$h" ] && [ "$(readlink "/proc/$h/exe")" = \
		    "$(readlink -f "$NSINIT")" ]; then
			echo "$h" >"$d/holder.pid"
			return 0
		fi
		kill -0 "$up" 2>/dev/null || break
		sleep 0.1
	done
	cat "$d/holder.out" >&2
	fail "node $n: holder did not start"
}

# node_crash N: kill -9 every process of node N at once (its init first:
# the kernel then ends the whole PID namespace) and append
# "<ns> crash - nN" to $FO_ACTLOG, the time taken as kill(2) returns.
node_crash() {
	local n=$1 pids t
	pids=$(node_pids "$n")
	[ -n "$pids" ] || { hlog "node $n: nothing to crash"; return 0; }
	kill -9 $(holder_pid "$n") $pids 2>/dev/null
	t=$(now_ns)	# after kill(2) returned: the signals are delivered
	echo "$t crash - $FO_NAME$n" >>"$FO_ACTLOG"
	hlog "node $n crashed at $t"
	wait_until 5 "node $n processes gone" node_gone "$n" ||
		fail "node $n: processes survived kill -9"
	rm -f "$T/n$n/holder.pid"
	# The network namespace outlives the crash; addresses added on the
	# node (a resource's virtual IP) must not: a machine that crashed
	# boots with its own address only.
	ip -n "$FO_T-n$n" -o addr show dev eth0 scope global |
		awk '{ print $4 }' | grep -vx "$FO_NET.$n/24" |
		while read -r a; do
			ip -n "$FO_T-n$n" addr del "$a" dev eth0
		done
}

node_gone() {
	! node_alive "$1"
}

# node_reboot N: crash node N if it runs, then boot it with a fresh /run.
# Its state directory survives, as a disk would.
node_reboot() {
	node_alive "$1" && node_crash "$1"
	node_boot "$1"
}

# node_partition N / node_heal N: cut node N's link at the bridge / restore.
node_partition() {
	ip -n "$FO_T-br" link set "n$1" down
	hlog "node $1 partitioned at $(now_ns)"
}

node_heal() {
	ip -n "$FO_T-br" link set "n$1" up
	hlog "node $1 healed at $(now_ns)"
}

# cluster_split NODE...: move these nodes' links to a second bridge, so
# they reach each other but not the rest (a split into two groups).
# cluster_unsplit: every link back on the first bridge.
cluster_split() {
	local n
	ip -n "$FO_T-br" link show br1 >/dev/null 2>&1 || {
		ip -n "$FO_T-br" link add br1 type bridge &&
		ip -n "$FO_T-br" link set br1 up
	} || fail "cannot create the second bridge"
	for n in "$@"; do
		ip -n "$FO_T-br" link set "n$n" master br1
	done
	hlog "split: nodes $* apart at $(now_ns)"
}

cluster_unsplit() {
	local n
	for n in $(seq "$NODES"); do
		ip -n "$FO_T-br" link set "n$n" master br0
	done
	hlog "unsplit at $(now_ns)"
}

corosync_conf() {	# corosync_conf N: write node N's corosync.conf
	local n=$1 i
	{
		cat <<-EOF
		totem {
			version: 2
			cluster_name: $FO_T
			transport: knet
			token: $TOKEN
			token_coefficient: 0
			crypto_cipher: none
			crypto_hash: none
		}
		quorum {
			provider: corosync_votequorum
			$QUORUM_OPTS
		}
		logging {
			to_logfile: yes
			logfile: $T/n$n/corosync.log
			to_syslog: no
			to_stderr: no
			timestamp: hires
		}
		nodelist {
		EOF
		for i in $(seq "$NODES"); do
			printf '\tnode {\n\t\tring0_addr: %s.%d\n' \
				"$FO_NET" "$i"
			printf '\t\tname: %s%d\n\t\tnodeid: %d\n\t}\n' \
				"$FO_NAME" "$i" "$i"
		done
		echo "}"
	} >"$T/n$n/corosync.conf"
}

# corosync_start N: start corosync on node N and wait until it answers.
corosync_start() {
	local n=$1
	node_exec "$n" corosync -c "$T/n$n/corosync.conf" ||
		fail "node $n: corosync did not start"
	wait_until 10 "corosync on node $n" corosync_ready "$n" ||
		fail "node $n: corosync not ready"
}

corosync_ready() {
	node_exec "$1" corosync-cmapctl -g runtime.votequorum.this_node_id \
		>/dev/null 2>&1
}

corosync_pid() {	# pid of corosync inside node N
	node_exec "$1" cat /run/corosync.pid 2>/dev/null
}

# corosync_start_all: start corosync on every node, in parallel.
corosync_start_all() {
	local n pids=
	for n in $(seq "$NODES"); do
		corosync_start "$n" &
		pids="$pids $!"
	done
	for n in $pids; do
		wait "$n" || fail "corosync did not start everywhere"
	done
}

# corosync_stop N [SIGNAL]: stop node N's corosync (TERM by default, KILL
# after 10 s), by its pid file.
corosync_stop() {
	local n=$1 sig=${2:-TERM} pid
	pid=$(corosync_pid "$n") || return 0
	node_exec "$n" kill "-$sig" "$pid" 2>/dev/null
	if ! wait_until 10 "corosync on node $n to exit" \
	    node_exec "$n" sh -c "! kill -0 $pid 2>/dev/null"; then
		node_exec "$n" kill -KILL "$pid" 2>/dev/null
	fi
	node_exec "$n" rm -f /run/corosync.pid
}

# cluster_create N: bridge, N nodes with their links and corosync.conf.
# corosync is not started (corosync_start each node).
cluster_create() {
	NODES=$1
	T=$(mktemp -d /tmp/fo-cluster.XXXXXX) || fail "mktemp"
	FO_ACTLOG=$T/activity.log
	: >"$FO_ACTLOG"
	export FO_ACTLOG	# processes on the nodes inherit it
	trap cluster_destroy EXIT
	trap 'exit 130' INT TERM
	case $FO_STATE_DIR in
	/var/lib/*) ;;
	*) fail "FO_STATE_DIR=$FO_STATE_DIR: the harness keeps node state" \
		"under /var/lib (a per-node overlay)" ;;
	esac
	# One cluster test at a time (make -j2 check runs two): two clusters
	# on 2 cores make corosync's token timing flaky. The lock is on
	# /var/lib (the same for every checkout); cluster_destroy frees it.
	exec 8</var/lib || fail "no /var/lib"
	flock -w 900 8 || fail "another cluster test held the lock for 900 s"
	cluster_build
	hlog "cluster $FO_T: $NODES nodes in $T (token $TOKEN ms)"
}

# cluster_build: the bridge namespace, $NODES nodes with their links and
# corosync.conf files, in $T (which exists), named after $FO_T.
cluster_build() {
	local n
	ip netns add "$FO_T-br" || fail "ip netns add $FO_T-br"
	ip -n "$FO_T-br" link set lo up
	ip -n "$FO_T-br" link add br0 type bridge
	ip -n "$FO_T-br" link set br0 up
	for n in $(seq "$NODES"); do
		mkdir -p "$T/n$n"
		ip netns add "$FO_T-n$n" || fail "ip netns add $FO_T-n$n"
		ip -n "$FO_T-br" link add "n$n" type veth peer name eth0 \
			netns "$FO_T-n$n" || fail "veth for node $n"
		ip -n "$FO_T-br" link set "n$n" master br0 up
		ip -n "$FO_T-n$n" link set lo up
		ip -n "$FO_T-n$n" addr add "$FO_NET.$n/24" dev eth0
		ip -n "$FO_T-n$n" link set eth0 up
		corosync_conf "$n"
		node_boot "$n"
	done
}

# cluster_cgroups_remove: rmdir the executor cgroups fo-<cluster>-<node>
# (cluster = $FO_T) that killed daemons left on the host; 1 if one stays.
cluster_cgroups_remove() {
	local cg d rc=0
	for cg in $(awk '$3 == "cgroup2" { print $2 }' /proc/mounts); do
		for d in "$cg/fo-$FO_T-"*; do
			[ -d "$d" ] || continue
			rmdir "$d"/rsc-* 2>/dev/null
			rmdir "$d" || rc=1
		done
	done
	return $rc
}

# cluster_destroy: the EXIT trap. Always runs; keeps the exit status.
cluster_destroy() {
	local rc=$? n pids f
	trap - EXIT
	[ -n "$T" ] || return $rc
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		for f in "$T"/n*/*.out "$T"/n*/corosync.log "$FO_ACTLOG"; do
			[ -s "$f" ] || continue
			echo "--- ${f#$T/} (last 30 lines)"
			tail -n 30 "$f"
		done >&2
	fi
	for n in $(seq "$NODES"); do
		pids=$(node_pids "$n")
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
	done
	for n in $(seq "$NODES"); do
		if ! wait_until 5 "node $n gone" node_gone "$n"; then
			echo "cluster_destroy: node $n's processes survive" >&2
			rc=1
		fi
		ip netns del "$FO_T-n$n" 2>/dev/null
	done
	ip netns del "$FO_T-br" 2>/dev/null
	cluster_cgroups_remove || rc=1
	flock -u 8 2>/dev/null	# children that inherited fd 8 are gone too
	if [ -n "${FO_KEEP:-}" ]; then
		echo "FO_KEEP set: logs kept in $T" >&2
	else
		rm -rf "$T"
	fi
	if ip netns list 2>/dev/null | grep -q "^$FO_T-"; then
		echo "cluster_destroy: namespaces left behind:" >&2
		ip netns list 2>/dev/null | grep "^$FO_T-" >&2
		rc=1
	fi
	exit $rc
}

# ---- cpg-probe helpers (tests/cluster/cpg-probe.c writes the lines) ----

# probe_start N [ARGS...]: run cpg-probe on node N, events to $T/nN/probe.log
probe_start() {
	local n=$1
	shift
	node_spawn "$n" probe "$CPG_PROBE" -o "$T/n$n/probe.log" "$@"
}

# probe_last N EVENT: the last line of that event type from node N's probe.
probe_last() {
	grep " $2 " "$T/n$1/probe.log" 2>/dev/null | tail -n 1
}

# probe_field LINE KEY: value of key=value in an event line.
probe_field() {
	local kv
	for kv in $1; do
		case $kv in "$2="*) echo "${kv#*=}"; return 0 ;; esac
	done
	return 1
}

# probe_nodes N: node ids in node N's last view, comma-separated ("-": none).
probe_nodes() {
	local m
	m=$(probe_field "$(probe_last "$1" view)" members) || return 1
	[ "$m" = - ] && { echo -; return 0; }
	echo "$m" | tr , '\n' | cut -d: -f1 | paste -sd, -
}

# probe_ring N: ring id of node N's last view.
probe_ring() {
	probe_field "$(probe_last "$1" view)" ring
}

# probe_sees N MEMBERS DC: node N's last view has exactly the nodes MEMBERS
# (e.g. 1,2,3), its last dc line is for that same ring and names DC as the
# DC (0: no DC, not quorate), and node N is DC itself iff N = DC.
probe_sees() {
	local n=$1 members=$2 dc=$3 line want_q want_dc
	[ "$(probe_nodes "$n")" = "$members" ] || return 1
	line=$(probe_last "$n" dc)
	[ "$(probe_field "$line" ring)" = "$(probe_ring "$n")" ] || return 1
	want_q=1; [ "$dc" = 0 ] && want_q=0
	want_dc=0; [ "$dc" = "$n" ] && want_dc=1
	[ "$(probe_field "$line" dc)" = "$dc" ] &&
	[ "$(probe_field "$line" quorate)" = "$want_q" ] &&
	[ "$(probe_field "$line" is_dc)" = "$want_dc" ]
}

# probes_agree MEMBERS DC NODE...: probe_sees on every NODE, same ring.
probes_agree() {
	local members=$1 dc=$2 n ring=
	shift 2
	for n in "$@"; do
		probe_sees "$n" "$members" "$dc" || return 1
		[ -z "$ring" ] && ring=$(probe_ring "$n")
		[ "$(probe_ring "$n")" = "$ring" ] || return 1
	done
}

# probe_explain NODE...: print each node's last view and dc lines.
probe_explain() {
	local n
	for n in "$@"; do
		echo "node $n: $(probe_last "$n" view | cut -d' ' -f2-)" \
			"| $(probe_last "$n" dc | cut -d' ' -f2-)" >&2
	done
}

# probe_first_after N EVENT NS PATTERN: timestamp of node N's first EVENT
# line at or after NS that matches the grep -E PATTERN.
probe_first_after() {
	grep " $2 " "$T/n$1/probe.log" | grep -E -- "$4" |
		awk -v t="$3" '$1 >= t { print $1; exit }'
}

# ms_between NS1 NS2: NS2 - NS1 in milliseconds (one decimal).
ms_between() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'
}

# probes_stop NODE...: SIGTERM the probes, wait until they have exited
# (cluster_free ran, the sanitizers' exit checks too), then fail on any
# AddressSanitizer/LeakSanitizer/UBSan report in any process output.
probes_stop() {
	local n pid
	for n in "$@"; do
		node_kill "$n" probe TERM
	done
	for n in "$@"; do
		pid=$(cat "$T/n$n/probe.pid")
		wait_until 10 "probe on node $n to exit" \
			node_exec "$n" sh -c "! kill -0 $pid 2>/dev/null" ||
			fail "probe on node $n did not exit on SIGTERM"
		grep -q " exit " "$T/n$n/probe.log" ||
			fail "probe on node $n died without its exit line"
	done
	sanitizer_check
}

# sanitizer_check: no sanitizer report in any node's process output.
sanitizer_check() {
	if grep -l -E "ERROR: (Address|Leak)Sanitizer|runtime error:" \
	    "$T"/n*/*.out 2>/dev/null; then
		fail "sanitizer report(s) in the files above"
	fi
}
