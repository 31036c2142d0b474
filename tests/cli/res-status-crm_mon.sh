#!/bin/sh
# res-status-crm_mon.sh - `fo-res status --cib-file` states the same facts
# as Pacemaker 2.1.5's own crm_mon on the same CIB, for cases of the
# Pacemaker CTS corpus (../shared/pacemaker-cts, or $FO_CTS_DIR; read
# from there, never copied) with clones, groups, failures, fail counts,
# standby, maintenance, unmanaged, offline and orphaned resources.
#
# The oracle, per case (its layout is not compared, only its facts):
#   CIB_file=xml/CASE.xml crm_mon -1 --output-as=xml   (nodes, resources,
#                                                     failed actions)
#   CIB_file=xml/CASE.xml crm_mon -1 -f                (Migration Summary:
#                                                     fail counts)
# tests/cli/status_facts.py turns both outputs into sorted fact lines
# (per node online/standby/maintenance; per primitive role, failed, nodes;
# failed actions by node, call, rc, status; fail counts) that must match.
# Skips (77) when crm_mon or the corpus is missing, except under CI=true.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
cts=${FO_CTS_DIR:-$top_srcdir/../shared/pacemaker-cts}
fores=$top_builddir/cli/fo-res
facts=$top_srcdir/tests/cli/status_facts.py

skip() {
	echo "SKIP: $*"
	[ "${CI:-}" = true ] && exit 1
	exit 77
}
command -v crm_mon >/dev/null ||
	skip "crm_mon not installed (pacemaker-cli-utils, tests/deps)"
command -v python3 >/dev/null || skip "python3 not installed (tests/deps)"
[ -d "$cts/xml" ] || skip "no Pacemaker CTS corpus at $cts"
[ -x "$fores" ] || { echo "FAIL: $fores not built"; exit 1; }

cases="1360 1484 994 bug-1573 bug-1718 bug-5014-CLONE-A-stop-B-started
bug-5069-op-enabled bug-cl-5170 bug-lf-2574 clone-anon-probe-1
clone-fail-block-colocation clone-interleave-3 cloned-group coloc-group
failcount-block group-unmanaged group15 mon-rsc-3 monitor-recovery orphan-1
rec-node-5 rec-rsc-3 rsc-maintenance standby"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
# both tools print times in local time; keep it fixed
TZ=UTC
export TZ
failed=0
n=0
for c in $cases; do
	x=$cts/xml/$c.xml
	n=$((n + 1))
	CIB_file=$x crm_mon -1 --output-as=xml >"$T/pcmk.xml" 2>"$T/err" &&
		CIB_file=$x crm_mon -1 -f >"$T/pcmk.txt" 2>>"$T/err" || {
		echo "FAIL $c: crm_mon failed: $(cat "$T/err")"
		failed=$((failed + 1))
		continue
	}
	if ! "$fores" --output-as=xml status --cib-file "$x" >"$T/fo.xml" \
		2>"$T/err"; then
		echo "FAIL $c: fo-res failed: $(cat "$T/err")"
		failed=$((failed + 1))
		continue
	fi
	python3 "$facts" "$T/pcmk.xml" "$T/pcmk.txt" >"$T/want" &&
		python3 "$facts" "$T/fo.xml" >"$T/got" || {
		echo "FAIL $c: status_facts.py failed"
		failed=$((failed + 1))
		continue
	}
	# a case without facts would prove nothing
	if [ ! -s "$T/want" ]; then
		echo "FAIL $c: no facts from crm_mon"
		failed=$((failed + 1))
	elif ! diff -u "$T/want" "$T/got" >"$T/diff"; then
		echo "FAIL $c: fo-res and crm_mon disagree (- crm_mon, + fo-res):"
		cat "$T/diff"
		failed=$((failed + 1))
	else
		echo "ok $c ($(wc -l <"$T/want") facts)"
	fi
done
echo "$((n - failed))/$n cases agree with crm_mon"
[ "$failed" = 0 ]
