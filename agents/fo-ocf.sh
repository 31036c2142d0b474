# fo-ocf.sh - shell helpers shared by fo's OCF agents (sourced, not run).
#
# In: the OCF environment the executor gives an agent. Out: OCF exit codes,
# log lines and exit reasons on stderr (the executor captures them), pid
# file checks that treat a zombie as dead. POSIX sh only. Installed beside
# the agents in $OCF_ROOT/resource.d/fo/ and found through $0, so an agent
# works wherever its directory is (a test overlay, an install prefix).

OCF_SUCCESS=0
OCF_ERR_GENERIC=1
OCF_ERR_ARGS=2
OCF_ERR_UNIMPLEMENTED=3
OCF_ERR_PERM=4
OCF_ERR_INSTALLED=5
OCF_ERR_CONFIGURED=6
OCF_NOT_RUNNING=7

: "${HA_RSCTMP:=/run/resource-agents}"
: "${OCF_RESOURCE_INSTANCE:=${OCF_RESOURCE_TYPE:-unknown}}"
: "${OCF_RESKEY_CRM_meta_interval:=0}"
: "${OCF_RESKEY_CRM_meta_timeout:=20000}"
FO_AGENT=${0##*/}
FO_ACTION=${1:-}

# fo_log LEVEL MESSAGE...: one line on stderr.
fo_log() {
	_lvl=$1
	shift
	printf '%s(%s)[%s]: %s: %s\n' "$FO_AGENT" "$OCF_RESOURCE_INSTANCE" \
		"$$" "$_lvl" "$*" >&2
}

# fo_exit_reason MESSAGE...: the reason the executor records for a failure.
fo_exit_reason() {
	printf '%s%s\n' "${OCF_EXIT_REASON_PREFIX:-ocf-exit-reason:}" "$*" >&2
	fo_log ERROR "$*"
}

# fo_is_probe: true for a monitor with interval 0 (the initial probe).
fo_is_probe() {
	[ "$FO_ACTION" = monitor ] && [ "$OCF_RESKEY_CRM_meta_interval" = 0 ]
}

# fo_is_uint VALUE: a non-negative integer.
fo_is_uint() {
	case "$1" in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

# fo_is_seconds VALUE: a non-negative number of seconds, "0.5" allowed.
fo_is_seconds() {
	case "$1" in
	'' | . | *[!0-9.]* | *.*.*) return 1 ;;
	esac
	return 0
}

# fo_pid_alive PID: the process exists and is not a zombie.
fo_pid_alive() {
	fo_is_uint "$1" || return 1
	[ -r "/proc/$1/stat" ] || return 1
	_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	case "$_st" in
	Z* | X* | '') return 1 ;;
	esac
	return 0
}

# fo_pidfile_alive FILE: the pid in FILE is alive; prints it.
fo_pidfile_alive() {
	[ -s "$1" ] || return 1
	_pid=$(cat "$1" 2>/dev/null) || return 1
	fo_pid_alive "$_pid" || return 1
	echo "$_pid"
}

# fo_timeout_s: the operation's timeout in whole seconds (at least 1).
fo_timeout_s() {
	_t=$((OCF_RESKEY_CRM_meta_timeout / 1000))
	[ "$_t" -ge 1 ] || _t=1
	echo "$_t"
}

# fo_usage ACTIONS: the usage line, for an unknown action.
fo_usage() {
	echo "usage: $FO_AGENT {$1}" >&2
}
