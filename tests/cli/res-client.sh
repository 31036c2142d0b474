#!/bin/sh
# res-client.sh - fo-res's side of the control socket, against a stand-in
# daemon (tests/cli/fake-crmd answers from files): status (text, json,
# --watch), locate, failcount, the cleanup and wait-idle requests with
# both the answers of a fo-crmd without them ("unknown request") and the
# ones fo-crmd gives, and the exit codes 3 (no daemon) and 4 (not
# allowed).
# The expected texts are written by hand from the CIB below.
# Needs root (the socket admits root and group haclient); skips (77)
# otherwise, except under CI=true.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
fores=$top_builddir/cli/fo-res
fake=$top_builddir/tests/cli/fake-crmd

skip() {
	echo "SKIP: $*"
	[ "${CI:-}" = true ] && exit 1
	exit 77
}
fail() {
	echo "FAIL: $*"
	exit 1
}
[ "$(id -u)" = 0 ] || skip "needs root (the control socket admits root)"
command -v python3 >/dev/null || skip "python3 not installed (tests/deps)"
[ -x "$fores" ] && [ -x "$fake" ] || fail "fo-res or fake-crmd not built"

T=$(mktemp -d)
chmod 755 "$T"
D=$T/answers
mkdir "$D"
FO_CTL_SOCKET=$T/crmd.sock
export FO_CTL_SOCKET
TZ=UTC
export TZ
fakepid=
watchpid=
cleanup() {
	[ -n "$watchpid" ] && kill "$watchpid" 2>/dev/null
	[ -n "$fakepid" ] && kill "$fakepid" 2>/dev/null && wait "$fakepid"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# status_xml n1|n2: what fo-crmd answers to <request op="status"/>, with
# r1 running on n1 (and its fail count there) or on n2.
status_xml() {
	if [ "$1" = n2 ]; then
		h=2 o=1
	else
		h=1 o=2
	fi
	cat >"$D/status.tmp" <<EOF
<crmd-status nodeid="1" dc="2" quorate="true" synced="true" ring="1.12"
 transition="12" idle="false"><cib admin_epoch="0" epoch="9" num_updates="4"
 validate-with="pacemaker-3.9"><configuration><crm_config>
<cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled"
 value="false"/></cluster_property_set></crm_config><nodes>
<node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>
<primitive id="r1" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="r2" class="ocf" provider="pacemaker" type="Dummy"/>
</resources><constraints/></configuration><status>
<node_state id="$h" uname="n$h" in_ccm="true" crmd="online" join="member"
 expected="member"><transient_attributes id="$h"><instance_attributes
 id="s1"><nvpair id="f1" name="fail-count-r1#monitor_10000" value="3"/>
</instance_attributes></transient_attributes><lrm id="$h"><lrm_resources>
<lrm_resource id="r1" class="ocf" provider="pacemaker" type="Dummy">
<lrm_rsc_op id="r1_last_0" operation="start" interval="0" call-id="4"
 rc-code="0" op-status="0" transition-key="1:2:0:x"/></lrm_resource>
</lrm_resources></lrm></node_state>
<node_state id="$o" uname="n$o" in_ccm="true" crmd="online" join="member"
 expected="member"/></status></cib></crmd-status>
EOF
	# whole files only: fake-crmd may be reading the old one
	mv "$D/status.tmp" "$D/status.xml"
}
status_xml n1

"$fake" "$FO_CTL_SOCKET" "$D" &
fakepid=$!
i=0
while [ ! -S "$FO_CTL_SOCKET" ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "fake-crmd did not listen"
	sleep 0.1
done

# run WANT_RC CMD...: run fo-res, keep stdout in $T/out, stderr in $T/err
run() {
	want=$1
	shift
	"$fores" "$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" = "$want" ] || fail "fo-res $*: rc $got, want $want
stdout: $(cat "$T/out")
stderr: $(cat "$T/err")"
}
has() { # has FILE TEXT
	grep -qF -- "$2" "$1" || fail "$1 lacks '$2':
$(cat "$1")"
}
last_request() {
	tail -n 1 "$D/requests.log"
}

# --- status
run 0 status
has "$T/out" "  * Current DC: n2 (2) - partition with quorum"
has "$T/out" "  * Transition: 12 (running)"
has "$T/out" "  * CIB version: 0.9.4"
has "$T/out" "  * Online: [ n1 n2 ]"
has "$T/out" "$(printf '  * r1\t(ocf:pacemaker:Dummy):\t Started n1')"
has "$T/out" "$(printf '  * r2\t(ocf:pacemaker:Dummy):\t Stopped')"
has "$T/out" "    * r1: migration-threshold=1000000 fail-count=3"
last_request | grep -q '<request op="status"/>' ||
	fail "status sent: $(last_request)"
run 0 --output-as=json status
python3 -m json.tool "$T/out" >/dev/null || fail "invalid JSON: $(cat "$T/out")"
has "$T/out" '"dc":"n2","dc_id":"2","quorum":true,"synced":true'
has "$T/out" '"transition":"12","idle":false'
echo "ok status"

# --- locate, failcount
run 0 locate r1
[ "$(cat "$T/out")" = "resource r1 is running on: n1" ] ||
	fail "locate r1: $(cat "$T/out")"
run 0 locate r2
[ "$(cat "$T/out")" = "resource r2 is NOT running" ] ||
	fail "locate r2: $(cat "$T/out")"
run 1 locate nope
has "$T/err" "no resource 'nope'"
run 0 failcount r1 n1
[ "$(cat "$T/out")" = "r1 on n1: fail-count=3 (migration-threshold=1000000)" ] ||
	fail "failcount r1 n1: $(cat "$T/out")"
run 2 failcount
echo "ok locate failcount"

# --- cleanup: a fo-crmd that does not know the request
run 1 cleanup r1 --node=n1
has "$T/err" "fo-res cleanup: unknown request 'cleanup'"
last_request | grep -q '<request op="cleanup" rsc="r1" node="n1"/>' ||
	fail "cleanup sent: $(last_request)"
n=$(wc -l <"$D/requests.log")
run 1 cleanup nope
has "$T/err" "no resource 'nope'"
run 1 cleanup -N n9
has "$T/err" "no node 'n9'"
# the names were checked against the status request, nothing else sent
[ "$(grep -c 'op="cleanup"' "$D/requests.log")" = 1 ] ||
	fail "a refused cleanup was sent: $(cat "$D/requests.log")"
# ... and what it answers: the request, once sent to every node
echo '<reply rc="0"><cleanup rsc="r1"/></reply>' >"$D/cleanup.xml"
run 0 cleanup r1
[ "$(cat "$T/out")" = "note:    every node asked to forget the operation history and fail counts of resource r1; the DC probes again (--wait waits for the outcome)" ] ||
	fail "cleanup r1: $(cat "$T/out")"
last_request | grep -q '<request op="cleanup" rsc="r1"/>' ||
	fail "cleanup sent: $(last_request)"
echo '<reply rc="0"><cleanup node="n2"/></reply>' >"$D/cleanup.xml"
run 0 cleanup -N n2
has "$T/out" "node n2 asked to forget the operation history and fail counts of every resource"
last_request | grep -q '<request op="cleanup" node="n2"/>' ||
	fail "cleanup sent: $(last_request)"
run 0 --output-as=json cleanup r1
python3 -m json.tool "$T/out" >/dev/null || fail "invalid JSON: $(cat "$T/out")"
has "$T/out" '"rc":0,"wrote":[],"removed":[],"notes":["node n2 asked'
echo '<reply rc="0"/>' >"$D/cleanup.xml"
run 0 cleanup
last_request | grep -q '<request op="cleanup"/>' ||
	fail "cleanup sent: $(last_request)"
has "$T/out" "note:    fo-crmd accepted the cleanup"
echo '<reply rc="1" error="this partition has no quorum"/>' >"$D/cleanup.xml"
run 1 cleanup r2
has "$T/err" "fo-res cleanup: this partition has no quorum"
echo "ok cleanup"

# --- --wait
run 1 --wait=5 status
has "$T/err" "fo-res --wait: unknown request 'wait-idle'"
last_request | grep -q '<request op="wait-idle" timeout-ms="5000"/>' ||
	fail "wait-idle sent: $(last_request)"
[ ! -s "$T/out" ] || fail "status printed after a failed wait"
echo '<reply rc="0"/>' >"$D/cleanup.xml"
echo '<reply rc="0"><idle transition="13"/></reply>' >"$D/wait-idle.xml"
run 0 --wait cleanup r1
has "$T/out" "fo-res --wait: the cluster is idle (transition 13)"
last_request | grep -q '<request op="wait-idle" timeout-ms="60000"/>' ||
	fail "wait-idle sent: $(last_request)"
run 0 --wait=2min --output-as=json locate r1
python3 -m json.tool "$T/out" >/dev/null || fail "invalid JSON: $(cat "$T/out")"
has "$T/err" "the cluster is idle (transition 13)"
last_request | grep -q 'op="status"' || fail "locate after wait: $(last_request)"
grep -q 'timeout-ms="120000"' "$D/requests.log" || fail "--wait=2min"
echo '<reply rc="1" error="not idle after 5000 ms (transition 13 running)"/>' >"$D/wait-idle.xml"
run 1 --wait=5 cleanup r1
has "$T/err" "fo-res --wait: not idle after 5000 ms (transition 13 running)"
run 2 --wait=0 status
run 2 --wait=soon status
run 2 --wait status --cib-file "$D/status.xml"
echo "ok wait"

# --- exit codes: a garbled answer, no daemon, not allowed
echo '<crmd-status dc="1"/>' >"$D/status.xml"
run 1 status
has "$T/err" "without a <cib>"
status_xml n1
FO_CTL_SOCKET=$T/none "$fores" status >/dev/null 2>"$T/err"
[ $? = 3 ] || fail "no daemon: want rc 3: $(cat "$T/err")"
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$fores" status \
		>/dev/null 2>"$T/err"
	rc=$?
	[ $rc = 4 ] || fail "nobody: want rc 4, got $rc: $(cat "$T/err")"
else
	echo "note: setpriv missing, exit code 4 not checked"
fi
echo "ok exit codes"

# --- --watch: one frame per change, about one request a second, SIGINT
: >"$D/requests.log"
"$fores" status --watch >"$T/watch" 2>&1 &
watchpid=$!
frames() { grep -c "Cluster Summary:" "$T/watch"; }
i=0
until [ "$(frames)" -ge 1 ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "no first frame: $(cat "$T/watch")"
	sleep 0.1
done
status_xml n2
i=0
until [ "$(frames)" -ge 2 ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "no second frame after a change"
	sleep 0.1
done
sleep 3
[ "$(frames)" = 2 ] || fail "redrawn without a change: $(frames) frames"
kill -INT "$watchpid"
wait "$watchpid"
rc=$?
watchpid=
[ $rc = 0 ] || fail "watch ended with rc $rc"
grep -q "$(printf 'r1\t(ocf:pacemaker:Dummy):\t Started n2')" "$T/watch" ||
	fail "the second frame lacks the move: $(cat "$T/watch")"
polls=$(grep -c 'op="status"' "$D/requests.log")
[ "$polls" -ge 3 ] && [ "$polls" -le 10 ] ||
	fail "$polls status requests in about 4 s (want one a second)"
echo "ok watch ($polls polls)"
echo "PASS"
