#!/bin/bash
# demo.sh - the README's demo (examples/demo) does what it prints: start
# brings up 3 nodes with the web group on node1 and api on every node;
# after `crash 1` the web service answers from another node, not before
# stop-grace; `boot 1` brings node1 back without moving web again; `stop`
# leaves no process, namespace, mount, cgroup or file behind.
#
# Expected outcomes are derived by hand from examples/demo-cluster.xml:
# web prefers node1 (score 50); after node1's crash node2 and node3 score
# alike and each runs one api instance, so the tie goes by name to node2
# (either survivor is accepted, the tie-break is not what this tests);
# stickiness 100 > 50 keeps web where it is when node1 returns; stop-grace
# 5 s. It runs the demo from this build tree (FO_DEMO_BUILDDIR), and skips
# when a demo started by hand runs (its names are fixed: fo-demo-*).
. "$(dirname "$0")/lib.sh"
cluster_require
DEMO=$top_srcdir/examples/demo
D=/tmp/fo-demo
export FO_DEMO_BUILDDIR=$top_builddir
if ip netns list 2>/dev/null | grep -q '^fo-demo-' || [ -e "$D" ]; then
	skip "a demo runs on this machine (sh examples/demo stop ends it)"
fi
exec 8</var/lib || fail "no /var/lib"
flock -w 900 8 || fail "another cluster test held the lock for 900 s"
T=$(mktemp -d /tmp/fo-demo-test.XXXXXX) || fail "mktemp"
cleanup() {
	local rc=$?
	trap - EXIT
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -d "$D" ]; then
		for f in "$D"/n*/crmd.out; do
			echo "--- $f (last 20 lines)"; tail -n 20 "$f"
		done >&2
	fi
	bash "$DEMO" stop >/dev/null 2>&1
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

demo() {
	sh "$DEMO" "$@" >"$T/out" 2>&1
}
# runs NODE "WHAT": the status line of NODE (seen on the node itself).
runs() {
	demo status && grep -qx "  $1: $2" "$T/out"
}
web_from() {	# the node that answers on the virtual IP
	demo status &&
	sed -n 's|^  http://[0-9.:]*/  hello from \(node[0-9]\) .*|\1|p' \
		"$T/out"
}

demo start || fail "demo start: $(cat "$T/out")"
for w in "node1: web-ip web-server api" "node2: api" "node3: api" \
    "http://10.214.0.100:8080/  hello from node1" \
    "node3 http://127.0.0.1:8081/  hello from node3" "demo crash 1"; do
	grep -qF "$w" "$T/out" || fail "demo start does not show '$w':
$(cat "$T/out")"
done
echo "ok: demo start: web on node1, api on every node"

t0=$(now_ns)
demo crash 1 || fail "demo crash 1: $(cat "$T/out")"
wait_until 40 "web answers from a survivor" \
	eval 'case $(web_from) in node2 | node3) true ;; *) false ;; esac' ||
	fail "web did not move: $(cat "$T/out")"
ms=$(ms_between "$t0" "$(now_ns)")
new=$(web_from)
runs "$new" "web-ip web-server api" || fail "$new: $(cat "$T/out")"
for n in node2 node3; do
	[ "$n" = "$new" ] || runs "$n" api || fail "$n: $(cat "$T/out")"
done
grep -qx "  node1: down.*" "$T/out" || fail "node1 not down: $(cat "$T/out")"
# corosync's detection (~2 s at token 1000) + stop-grace 5 s
[ "${ms%.*}" -ge 5000 ] || fail "web moved ${ms} ms after the crash:" \
	"before stop-grace (5 s)"
echo "ok: demo crash 1: web answers from $new after ${ms} ms"

demo boot 1 || fail "demo boot 1: $(cat "$T/out")"
wait_until 30 "node1 back with its api" runs node1 api ||
	fail "node1 after boot: $(cat "$T/out")"
sleep 3
runs "$new" "web-ip web-server api" && runs node1 api ||
	fail "web moved when node1 came back: $(cat "$T/out")"
echo "ok: demo boot 1: node1 runs api again, web stays on $new"

demo stop || fail "demo stop: $(cat "$T/out")"
! ip netns list 2>/dev/null | grep '^fo-demo-' || fail "namespaces left"
[ ! -e "$D" ] || fail "$D left"
! grep -E 'fo-demo|fo-run|fo-varlib' /proc/mounts || fail "mounts left"
! ls -d /sys/fs/cgroup/*/fo-fo-demo-* /sys/fs/cgroup/fo-fo-demo-* 2>/dev/null ||
	fail "cgroups left"
! pgrep -f "$D/httpd.py" || fail "HTTP servers left"
echo "ok: demo stop left nothing behind"
