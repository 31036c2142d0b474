#!/bin/sh
# real-agents.sh - agents from Debian's resource-agents and
# pacemaker-resource-agents run through the executor (fo-agent run):
# heartbeat and pacemaker Dummy, anything running a web server on
# loopback, Stateful through promote/demote, IPaddr2 in a netns.
. "$(dirname "$0")/lib.sh"

need_agent heartbeat/Dummy
need_agent pacemaker/Dummy
need_agent heartbeat/anything
need_agent pacemaker/Stateful
need_agent heartbeat/IPaddr2
r="t$$"

# ocf:heartbeat:Dummy: the conformance run.
check "fo-agent test ocf:heartbeat:Dummy" fa test ocf:heartbeat:Dummy \
	--resource="hb$r" state="$T/hb.state"

# ocf:pacemaker:Dummy records the environment it got (envfile=).
FO_LEAK_CHECK=1 expect 0 "pacemaker Dummy start" fa run \
	ocf:pacemaker:Dummy start --resource="pd$r" state="$T/pd.state" \
	envfile="$T/pd.env"
for v in OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 \
	OCF_RESKEY_CRM_meta_timeout=20000 OCF_RESKEY_CRM_meta_interval=0 \
	OCF_RESKEY_CRM_meta_name=start OCF_RESOURCE_INSTANCE=pd$r \
	"OCF_RESKEY_CRM_meta_on_node=$(uname -n)" OCF_ROOT=$OCF_ROOT \
	HA_RSCTMP=$T/rsctmp; do
	CHECKS=$((CHECKS + 1))
	if grep -q "$v" "$T/pd.env"; then echo "ok   agent saw $v"
	else echo "FAIL agent did not see $v"; FAILS=$((FAILS + 1)); fi
done
CHECKS=$((CHECKS + 1))
if grep -q FO_LEAK_CHECK "$T/pd.env"; then
	echo "FAIL the caller's environment leaked"; FAILS=$((FAILS + 1))
else echo "ok   nothing leaked from the caller's environment"; fi
expect 0 "pacemaker Dummy monitor" fa run ocf:pacemaker:Dummy monitor \
	--resource="pd$r" state="$T/pd.state"
# op_sleep makes stop slow; it traps TERM and exits 0: still a timeout.
expect 1 "pacemaker Dummy stop past its timeout" fa run \
	ocf:pacemaker:Dummy stop --resource="pd$r" state="$T/pd.state" \
	op_sleep=10 --timeout=1s
out_has "timeout"
expect 0 "pacemaker Dummy stop" fa run ocf:pacemaker:Dummy stop \
	--resource="pd$r" state="$T/pd.state"
expect 7 "pacemaker Dummy monitor after stop" fa run ocf:pacemaker:Dummy \
	monitor --resource="pd$r" state="$T/pd.state"

# ocf:pacemaker:Stateful: start, promote (monitor 8), demote, stop.
st() {
	_want=$1 _act=$2
	expect "$_want" "Stateful $_act" fa run ocf:pacemaker:Stateful \
		"$_act" --resource="st$r" state="$T/st.state"
}
st 7 monitor
st 0 start
st 0 monitor
st 0 promote
st 8 monitor
st 0 demote
st 0 monitor
st 0 stop
st 7 monitor

# anything runs its command through "su - root"; IPaddr2 needs a netns.
need_root "ocf:heartbeat:anything (su - root) and IPaddr2 in a netns"
# ocf:heartbeat:anything runs a web server on loopback.
port=$(free_port)
any="binfile=/usr/bin/python3 pidfile=$T/any.pid"
opts="cmdline_options=-m http.server --bind 127.0.0.1 $port"
expect 0 "anything start (python3 http.server on :$port)" fa run \
	ocf:heartbeat:anything start --resource="any$r" $any "$opts"
n=0
until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null || [ $n -ge 50 ]; do
	sleep 0.1; n=$((n + 1))
done
check "the server answers" curl -fsS -o /dev/null "http://127.0.0.1:$port/"
PIDS="$PIDS $(cat "$T/any.pid" 2>/dev/null)"
expect 0 "anything monitor" fa run ocf:heartbeat:anything monitor \
	--resource="any$r" $any "$opts"
expect 0 "anything stop" fa run ocf:heartbeat:anything stop \
	--resource="any$r" $any "$opts"
expect 7 "the server is gone" curl -fsS -o /dev/null \
	"http://127.0.0.1:$port/"
expect 7 "anything monitor after stop" fa run ocf:heartbeat:anything \
	monitor --resource="any$r" $any "$opts"

# ocf:heartbeat:IPaddr2 inside a namespace with a veth and a route.
make_netns || skip "cannot create a network namespace"
ip2() {
	_want=$1 _act=$2
	expect "$_want" "IPaddr2 $_act (netns)" ip netns exec "$NS" \
		"$FO_AGENT" --rsctmp="$T/rsctmp" run ocf:heartbeat:IPaddr2 \
		"$_act" --resource="ip$r" ip=10.213.0.60 cidr_netmask=24 nic=v0
}
ip2 7 monitor
ip2 0 start
check "10.213.0.60 is on v0" sh -c \
	"ip -n $NS -o addr show dev v0 | grep -q ' 10.213.0.60/24 '"
ip2 0 monitor
ip2 0 stop
ip2 7 monitor
finish
