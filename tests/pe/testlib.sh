# testlib.sh - sourced by the scheduler test scripts (tests/pe/*,
# bench/pe-scale/gen-check.sh).  need_crm_simulate skips the test (exit 77)
# when Pacemaker's crm_simulate is missing, or fails it under CI=true,
# where a missing package is an error; with_tmpdir sets $tmp to a fresh
# directory that is removed when the script exits.

need_crm_simulate() {
	command -v crm_simulate >/dev/null && return 0
	echo "SKIP: crm_simulate missing (apt-get install pacemaker-cli-utils)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
}

with_tmpdir() {
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
}
