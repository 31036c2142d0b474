#!/bin/sh
# fo-sim reads a CIB in memory without libxml2 (lib/cib/cib_unpack.c,
# load_fast()), and a compressed one with libxml2 alone: for every
# fixture of tests/pe/cases, both must give byte-identical output
# (summary, scores, graph, diagnostics and exit status). fo-sim is not
# linked with libxml2: it loads it for the compressed files only
# (lib/cib/cib_lx.h), which this also checks.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
sim=$top_builddir/cli/fo-sim
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
if ! needed=$(objdump -p "$sim" | grep NEEDED); then
	echo "FAIL: cannot read the libraries $sim needs (objdump)"
	exit 1
fi
case $needed in
*libxml2*)
	echo "FAIL: $sim is linked with libxml2:"
	echo "$needed"
	exit 1
	;;
esac
for f in "$top_srcdir"/tests/pe/cases/*.xml; do
	name=$(basename "$f" .xml)
	gzip -c "$f" >"$tmp/$name.xml.gz" || exit 1
	rm -f "$tmp/plain.graph" "$tmp/gz.graph"
	"$sim" -x "$f" -S -s -G "$tmp/plain.graph" >"$tmp/plain.out" 2>&1
	echo "rc $?" >>"$tmp/plain.out"
	"$sim" -x "$tmp/$name.xml.gz" -S -s -G "$tmp/gz.graph" \
		>"$tmp/gz.out" 2>&1
	echo "rc $?" >>"$tmp/gz.out"
	# the messages name the file they read
	sed "s|$tmp/$name.xml.gz|$f|g" "$tmp/gz.out" >"$tmp/gz.named"
	n=$((n + 1))
	[ -f "$tmp/plain.graph" ] || echo "no graph" >"$tmp/plain.graph"
	[ -f "$tmp/gz.graph" ] || echo "no graph" >"$tmp/gz.graph"
	if ! cmp -s "$tmp/plain.out" "$tmp/gz.named" ||
	    ! cmp -s "$tmp/plain.graph" "$tmp/gz.graph"; then
		echo "FAIL: $name: fast path and libxml2 differ"
		diff "$tmp/plain.out" "$tmp/gz.named" | head -10
		bad=$((bad + 1))
	fi
done
echo "$n fixtures, $bad differ"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
