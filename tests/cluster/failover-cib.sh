#!/bin/bash
# failover-cib.sh - a node's stored configuration is corrupt: n3's fo-crmd
# is stopped cleanly, its newest stored CIB is replaced by a schema-invalid
# one with a correct digest and a tempting epoch (999), the older ones get
# broken bytes; started again, n3 sets them all aside, takes the good
# configuration from its peers and runs its resource again. Then bad
# `fo-cib load` files (a valid ban mixed with an invalid primitive; a file
# that is not XML) are refused and change nothing on any node: no resource
# is stopped, started or moved (the activity log stays as it was).
#
# Expected outcomes are derived by hand from tests/cluster/cib/three-dummy.xml
# (dN prefers nN, no stickiness: a clean shutdown of n3 moves d3 away, its
# return brings d3 back) and from issue 4 ("a corrupt or schema-invalid
# file on disk is set aside ... the node takes the configuration from its
# peers"; "a configuration change that fails validation is refused as a
# whole and changes nothing"). The stored file layout (cib-SERIAL.xml, a
# trailer "<!-- fo-digest sha256=HEX length=N -->" over the N bytes before
# it) is lib/store's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fo.sh"
cluster_require

CIB=$top_srcdir/tests/cluster/cib/three-dummy.xml
CIBDIR=$FO_STATE_DIR/cib

# config_of N: node N's live configuration section.
config_of() {
	fo "$1" fo-cib show configuration 2>&1
}
# same_config_everywhere: nodes 1..3 show the very same configuration.
same_config_everywhere() {
	local a
	a=$(config_of 1) || return 1
	[ "$(config_of 2)" = "$a" ] && [ "$(config_of 3)" = "$a" ]
}
all_home() {
	local i
	for i in 1 2 3; do fo_active_is "d$i" "n$i" || return 1; done
}

fo_cluster 3
fo_load "$CIB"
wait_until 30 "dN on nN" all_home || fail "resources not where they prefer"
good=$(config_of 1)

# --- n3 stops cleanly: d3 moves away first ---
crmd_stop 3 || fail "fo-crmd on n3 did not stop"
[ -z "$(active_nodes d3 | grep n3)" ] || fail "d3 still on n3 after its stop"
wait_until 20 "d3 on n1 or n2" eval '[ -n "$(active_nodes d3)" ]' ||
	fail "d3 not recovered after n3's clean shutdown"

# --- corrupt every stored version on n3 ---
node_exec 3 sh -c 'ls "$1"/cib-*.xml' sh "$CIBDIR" >"$T/stored" ||
	fail "no stored configuration on n3"
newest=$(sort -t- -k2 -n "$T/stored" | tail -n 1)
[ "$(wc -l <"$T/stored")" -ge 2 ] || fail "expected several stored versions"
# The newest: schema-invalid (a primitive without a type), with a correct
# digest and epoch 999, so that only validation can refuse it.
node_exec 3 sh -c 'f=$1
	n=$(tail -n 1 "$f" | sed -n "s/.*length=\([0-9]*\) -->.*/\1/p")
	[ -n "$n" ] || exit 1
	head -c "$n" "$f" |
		sed -e "s/ epoch=\"[0-9]*\"/ epoch=\"999\"/" \
		    -e "s|</resources>|<primitive id=\"d9\" class=\"ocf\" provider=\"fo\"/></resources>|" \
		    >"$f.body"
	grep -q "id=\"d9\"" "$f.body" || exit 1
	{ cat "$f.body"
	  printf "\n<!-- fo-digest sha256=%s length=%d -->\n" \
		"$(sha256sum <"$f.body" | cut -d" " -f1)" \
		"$(wc -c <"$f.body")"; } >"$f"
	rm -f "$f.body"' sh "$newest" || fail "could not rewrite $newest on n3"
# The older ones: broken bytes, the digest no longer matches.
for f in $(grep -vx "$newest" "$T/stored"); do
	node_exec 3 sed -i 's/resource/rezource/; s/cib /cob /' "$f"
done

crmd_start 3
wait_until 30 "n3 back with the good configuration" \
	eval '[ "$(config_of 3)" = "$good" ]' ||
	fail "n3's configuration: $(config_of 3)"
wait_active 30 d3 n3 || fail "d3 did not come back to n3"
grep "set aside" "$T/n3/crmd.out" >&2 ||
	fail "n3 did not say it set the bad files aside"
node_exec 3 sh -c 'ls "$1"/*.corrupt' sh "$CIBDIR" >"$T/aside" ||
	fail "nothing kept aside as *.corrupt on n3"
[ "$(wc -l <"$T/aside")" = "$(wc -l <"$T/stored")" ] ||
	fail "set aside: $(cat "$T/aside"); stored were: $(cat "$T/stored")"
for n in 1 2 3; do
	config_of "$n" | grep -q 'id="d9"' && fail "the bad file's d9 is on n$n"
	config_of "$n" | grep -q 'epoch="999"' &&
		fail "the bad file's epoch is on n$n"
done
same_config_everywhere || fail "the nodes' configurations differ"
echo "ok: n3 set aside $(wc -l <"$T/aside") bad stored versions and" \
	"took the good configuration from its peers; d3 runs on n3 again"

# --- a bad fo-cib load changes nothing anywhere ---
wait_until 10 "all resources home" all_home || fail "not all home"
before=$(config_of 1)
lines=$(wc -l <"$FO_ACTLOG")
t0=$(now_ns)
# A valid ban that would move d1, and a primitive without a type: the
# whole file must be refused.
cat >"$T/bad-load.xml" <<'XML'
<cib validate-with="pacemaker-3.9" admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <primitive id="d9" class="ocf" provider="fo"/>
    </resources>
    <constraints>
      <rsc_location id="d1-ban" rsc="d1" node="n1" score="-INFINITY"/>
    </constraints>
  </configuration>
</cib>
XML
if fo 2 fo-cib load "$T/bad-load.xml" >"$T/bad.out" 2>&1; then
	fail "fo-cib load accepted a primitive without a type"
fi
grep -q "bad-load.xml" "$T/bad.out" ||
	fail "the error does not name the file: $(cat "$T/bad.out")"
printf '<cib><configuration><constraints><rsc_location id="x"' \
	>"$T/trunc.xml"
if fo 3 fo-cib load "$T/trunc.xml" >"$T/trunc.out" 2>&1; then
	fail "fo-cib load accepted a truncated file"
fi
cat "$T/bad.out" "$T/trunc.out" >&2
hold_quiet 5 "$t0" || fail "a refused load started or stopped a resource"
[ "$(wc -l <"$FO_ACTLOG")" = "$lines" ] || fail "the activity log changed"
for n in 1 2 3; do
	[ "$(config_of "$n")" = "$before" ] ||
		fail "a refused load changed n$n: $(config_of "$n")"
done
all_home || fail "a refused load moved a resource"
fo_check_single
echo "ok: refused loads changed nothing on any node; nothing moved"
sanitizer_check
