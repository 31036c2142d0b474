#!/bin/sh
# bad-agents.sh - agents that misbehave give a clear status through
# fo-agent run (json), and the process tree is cleaned up: missing, not
# executable, hangs, ignores SIGTERM, prints megabytes, exits 99.
. "$(dirname "$0")/lib.sh"

# bad TYPE ACTION STATUS [OPTIONS...]: fo-agent reports op-status STATUS.
bad() {
	_type=$1 _act=$2 _status=$3
	shift 3
	expect 1 "$_type $_act" fa --output-as=json run "ocf:fotest:$_type" \
		"$_act" --resource="$_type$$" "$@"
	out_has "\"status\":\"$_status\""
}

bad missing start "not installed"
out_has '"rc":5'
bad noexec start "not installed"
out_has "is not an executable file"
bad exit99 start error
out_has '"exit_code":99'
out_has "outside the ocf codes"
bad hang monitor timeout --timeout=300 pidfile="$T/hang.pid"
out_has '"exec_ms":3'
bad ignoreterm start timeout --timeout=300 pidfile="$T/ign.pid"
out_has '"signal":9'
for f in hang ign; do
	p=$(cat "$T/$f.pid")
	CHECKS=$((CHECKS + 1))
	st=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
	if [ -z "$st" ] || [ "$st" = Z ]; then
		echo "ok   child $p of $f was killed"
	else
		echo "FAIL child $p of $f survives (state $st)"
		FAILS=$((FAILS + 1)); PIDS="$PIDS $p"
	fi
done
expect 0 "bigout prints 5 MB" fa run ocf:fotest:bigout start
out_has "--- stdout (truncated)"
out_has "exit reason: last reason"
CHECKS=$((CHECKS + 1))
sz=$(wc -c <"$T/out")
if [ "$sz" -lt 70000 ]; then echo "ok   output bounded ($sz bytes)"
else echo "FAIL output not bounded ($sz bytes)"; FAILS=$((FAILS + 1)); fi
expect 2 "unsafe agent name" fa run ocf:fotest:../x start
out_has "Invalid argument"
expect 2 "bad agent spec" fa run heartbeat:Dummy start
out_has "is not an agent name"
finish
