# lib.sh - shared setup for the agent integration tests (sourced).
#
# Builds an overlay OCF_ROOT in a temporary directory (the system's lib and
# providers, plus resource.d/fo -> the source tree's agents and
# resource.d/fotest -> the test agents), so tests run the build tree's
# agents and fo-agent, never installed ones. Cleans up on exit: processes
# by pid, network namespaces by name, the temporary directory.

set -u
: "${top_srcdir:?run through make check}" "${top_builddir:?}"
FO_AGENT="$top_builddir/cli/fo-agent"
T=$(mktemp -d "${TMPDIR:-/tmp}/fo-agents-test.XXXXXX") || exit 99
chmod 755 "$T"	# ocf-tester runs meta-data as nobody
OCF_ROOT="$T/ocf"
export OCF_ROOT
mkdir -p "$OCF_ROOT/resource.d" "$T/rsctmp"
ln -s /usr/lib/ocf/lib "$OCF_ROOT/lib"
for p in /usr/lib/ocf/resource.d/*; do
	[ "${p##*/}" = fo ] || ln -s "$p" "$OCF_ROOT/resource.d/${p##*/}"
done
ln -s "$top_srcdir/agents" "$OCF_ROOT/resource.d/fo"
ln -s "$top_srcdir/tests/agents/ocf" "$OCF_ROOT/resource.d/fotest"

PIDS=""
NETNS=""
FAILS=0
CHECKS=0

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	for n in $NETNS; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# skip REASON: exit 77, or fail under CI=true (DESIGN.md rules).
skip() {
	if [ "$FAILS" != 0 ]; then
		echo "$CHECKS checks, $FAILS failed (then: $*)"
		exit 1
	fi
	echo "SKIP: $*"
	[ "${CI:-}" = true ] && { echo "FAIL: skipping is not allowed in CI"; exit 1; }
	exit 77
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root: $*"
}

need_agent() {
	[ -x "/usr/lib/ocf/resource.d/$1" ] ||
		skip "agent $1 missing (install resource-agents and pacemaker-resource-agents)"
}

# fa ARGS...: fo-agent with this test's HA_RSCTMP.
fa() {
	"$FO_AGENT" --rsctmp="$T/rsctmp" "$@"
}

# expect RC DESCRIPTION COMMAND...: the command exits with RC.
expect() {
	_want=$1 _what=$2
	shift 2
	CHECKS=$((CHECKS + 1))
	"$@" >"$T/out" 2>&1
	_got=$?
	if [ "$_got" = "$_want" ]; then
		echo "ok   $_what (rc $_got)"
	else
		echo "FAIL $_what: rc $_got, want $_want; output:"
		sed 's/^/    /' "$T/out"
		FAILS=$((FAILS + 1))
	fi
}

# check DESCRIPTION COMMAND...: the command succeeds.
check() {
	_what=$1
	shift
	expect 0 "$_what" "$@"
}

# out_has TEXT: the last command's output contains TEXT.
out_has() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$1" "$T/out"; then
		echo "ok   output has '$1'"
	else
		echo "FAIL output lacks '$1':"
		sed 's/^/    /' "$T/out"
		FAILS=$((FAILS + 1))
	fi
}

finish() {
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" = 0 ]
	exit $?
}

# free_port: a TCP port nobody listens on (on loopback).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# make_netns: a namespace with veth v0 (10.213.0.1/24) <-> v1, both inside.
make_netns() {
	NS="fo-exec-$$-$(date +%N)"
	ip netns add "$NS" || return 1
	NETNS="$NETNS $NS"
	ip -n "$NS" link set lo up &&
	ip -n "$NS" link add v0 type veth peer name v1 &&
	ip -n "$NS" addr add 10.213.0.1/24 dev v0 &&
	ip -n "$NS" link set v0 up && ip -n "$NS" link set v1 up
}
