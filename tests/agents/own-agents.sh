#!/bin/sh
# own-agents.sh - fo's agents (Dummy, IPaddr, Service) pass `fo-agent test`
# and resource-agents' ocf-tester; Dummy's event log has the documented
# format. IPaddr runs inside a network namespace this test creates.
. "$(dirname "$0")/lib.sh"

[ -x /usr/sbin/ocf-tester ] ||
	skip "ocf-tester missing (package resource-agents)"
need_root "ocf-tester's permission check and IPaddr in a netns"
A="$OCF_ROOT/resource.d/fo"
port=$(free_port)
url="http://127.0.0.1:$port/"
svc_cmd="/usr/bin/python3 -m http.server --bind 127.0.0.1 $port"

# list and info
check "fo-agent list ocf:fo" fa list ocf:fo
CHECKS=$((CHECKS + 1))
if [ "$(cat "$T/out")" = "$(printf 'ocf:fo:Dummy\nocf:fo:IPaddr\nocf:fo:Service')" ]
then echo "ok   list shows exactly the three agents"
else echo "FAIL list:"; cat "$T/out"; FAILS=$((FAILS + 1)); fi
check "fo-agent list --output-as=json" fa --output-as=json list ocf:fo
out_has '{"agents":["ocf:fo:Dummy","ocf:fo:IPaddr","ocf:fo:Service"]}'
check "fo-agent info ocf:fo:IPaddr" fa info ocf:fo:IPaddr
out_has "ip (string, required, unique)"
out_has "cidr_netmask (integer) [default: 32]"
check "fo-agent info json" fa --output-as=json info ocf:fo:Dummy
out_has '"name":"start","timeout_ms":20000'
for cmd in "list ocf:fo" "info ocf:fo:Dummy" \
	"run ocf:fo:Dummy monitor fail_start=<&>" "test ocf:fo:Dummy"; do
	# shellcheck disable=SC2086
	fa --output-as=xml $cmd >"$T/xml" 2>/dev/null
	check "--output-as=xml $cmd is well-formed" xmllint --noout "$T/xml"
done
fa --output-as=xml run ocf:fo:Dummy monitor --resource="x$$" >"$T/xml"
check "run as lrm_rsc_op" grep -q \
	"<lrm_rsc_op id=\"x$$_monitor_0\" operation=\"monitor\" call-id=\"1\" rc-code=\"7\" op-status=\"0\" interval=\"0\"" "$T/xml"
expect 1 "fo-agent info of a missing agent" fa info ocf:fo:Nope
out_has "Nope"

# Dummy
check "fo-agent test ocf:fo:Dummy" fa test ocf:fo:Dummy \
	--resource="d$$" log="$T/events"
check "ocf-tester Dummy" env HA_RSCTMP="$T/rsctmp" \
	/usr/sbin/ocf-tester -n "d$$" -o log="$T/events" "$A/Dummy"
# "<ns> <event> <resource> <node>": ns 19 digits, node = uname -n.
node=$(uname -n)
CHECKS=$((CHECKS + 1))
if grep -Evq "^[0-9]{19} (start-begin|stop-end) d$$ $node\$" "$T/events" ||
	! grep -q " start-begin " "$T/events" ||
	! grep -q " stop-end " "$T/events"; then
	echo "FAIL event log format:"; cat "$T/events"; FAILS=$((FAILS + 1))
else
	echo "ok   event log format ($(wc -l <"$T/events") lines)"
fi
# Faults on demand.
expect 1 "Dummy fail_start=1" fa run ocf:fo:Dummy start --resource="f$$" \
	fail_start=1
out_has "exit reason: start fails on request (fail_start)"
expect 1 "Dummy delay_start beyond the timeout" fa run ocf:fo:Dummy start \
	--resource="f$$" delay_start=3 --timeout=500
out_has "timeout"
echo "monitor rc 6" >"$T/faults"
expect 6 "Dummy fault file" fa run ocf:fo:Dummy monitor --resource="f$$" \
	fault_file="$T/faults"
expect 0 "Dummy stop" fa run ocf:fo:Dummy stop --resource="f$$"

# Service (a web server with a curl health check)
check "fo-agent test ocf:fo:Service" fa test ocf:fo:Service \
	--resource="s$$" command="$svc_cmd" health="curl -fsS $url"
check "ocf-tester Service" env HA_RSCTMP="$T/rsctmp" \
	/usr/sbin/ocf-tester -n "s$$" -o command="$svc_cmd" \
	-o health="curl -fsS $url" "$A/Service"

# IPaddr inside a network namespace
make_netns || skip "cannot create a network namespace"
nsx() { ip netns exec "$NS" "$@"; }
check "fo-agent test ocf:fo:IPaddr (netns)" nsx "$FO_AGENT" \
	--rsctmp="$T/rsctmp" test ocf:fo:IPaddr --resource="ip$$" \
	ip=10.213.0.50 cidr_netmask=24 nic=v0
check "ocf-tester IPaddr (netns)" nsx env HA_RSCTMP="$T/rsctmp" \
	/usr/sbin/ocf-tester -n "ip$$" -o ip=10.213.0.51 -o cidr_netmask=24 \
	"$A/IPaddr"
check "IPaddr start (nic from the route)" nsx "$FO_AGENT" \
	--rsctmp="$T/rsctmp" run ocf:fo:IPaddr start ip=10.213.0.52 \
	cidr_netmask=24
check "address is on v0" sh -c \
	"ip -n $NS -o addr show dev v0 | grep -q ' 10.213.0.52/24 '"
check "IPaddr stop" nsx "$FO_AGENT" --rsctmp="$T/rsctmp" run \
	ocf:fo:IPaddr stop ip=10.213.0.52 cidr_netmask=24
expect 1 "address is gone" sh -c \
	"ip -n $NS -o addr show dev v0 | grep -q ' 10.213.0.52/'"
expect 6 "IPaddr validate-all rejects a bad address" nsx "$FO_AGENT" \
	--rsctmp="$T/rsctmp" run ocf:fo:IPaddr validate-all ip=10.213.0.300.1
finish
