# tests/cluster/events.sh - read the activity log for the failover tests.
#
# Source it after lib.sh and fo.sh. The fo/Dummy agent appends
# "<ns> start-begin|stop-end RSC nN" to $FO_ACTLOG and node_crash appends
# "<ns> crash - nN"; these functions find events in it by time, so a test
# can assert the order of real side effects (a stop on the old node ends
# before the start on the new one begins, group members in order).

# ev_first SINCE EVENT RSC [NODE]: "<ns> <node>" of the first EVENT of RSC
# (on NODE, or any node) at or after SINCE (ns); nothing if there is none.
ev_first() {
	sort -n "$FO_ACTLOG" | awk -v t="$1" -v e="$2" -v r="$3" -v n="${4:-}" '
		$1 >= t && $2 == e && $3 == r && (n == "" || $4 == n) {
			print $1, $4; exit }'
}

# ev_ns SINCE EVENT RSC [NODE]: the timestamp alone of ev_first.
ev_ns() {
	ev_first "$@" | cut -d' ' -f1
}

# ev_count SINCE RSC: how many start/stop events RSC has at or after SINCE.
ev_count() {
	awk -v t="$1" -v r="$2" '$1 >= t && $3 == r' "$FO_ACTLOG" | wc -l
}

# ev_moved SINCE RSC FROM TO: since SINCE, RSC stopped on FROM and then
# started on TO (the stop ended before the start began). Prints the gap in
# ms; fails (return 1) with a message naming what is missing otherwise.
ev_moved() {
	local stop start
	stop=$(ev_ns "$1" stop-end "$2" "$3")
	start=$(ev_ns "$1" start-begin "$2" "$4")
	[ -n "$stop" ] || { hlog "$2: no stop-end on $3 since $1"; return 1; }
	[ -n "$start" ] ||
		{ hlog "$2: no start-begin on $4 since $1"; return 1; }
	[ "$stop" -lt "$start" ] || {
		hlog "$2: start on $4 at $start before the stop on $3 ended" \
			"at $stop"
		return 1
	}
	echo $(( (start - stop) / 1000000 ))
}

# ev_quiet SECONDS SINCE RSC: RSC has no start/stop event at or after SINCE
# for SECONDS more (the cluster leaves it alone, as the test expects).
ev_quiet() {
	sleep "$1"
	[ "$(ev_count "$2" "$3")" = 0 ] || {
		hlog "$3 was touched, expected no change:" \
			"$(awk -v t="$2" -v r="$3" '$1 >= t && $3 == r' \
			"$FO_ACTLOG")"
		return 1
	}
}
