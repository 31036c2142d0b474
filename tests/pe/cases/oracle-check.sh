#!/bin/sh
# make check: the fixtures are what mkcases writes (nobody edited an .xml
# by hand), and the recorded expected outputs are still what Pacemaker's
# crm_simulate prints for them (see README.md).  Skips (77) when
# crm_simulate is missing; under CI=true that is a failure.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../testlib.sh"
need_crm_simulate
with_tmpdir
python3 "$here/mkcases" --outdir "$tmp" || exit 1
for f in "$tmp"/*; do
	cmp -s "$f" "$here/${f##*/}" || {
		echo "FAIL: ${f##*/} differs from what mkcases writes"; exit 1; }
done
n=$(ls "$tmp" | grep -c '\.xml$')
[ "$n" -eq "$(ls "$here" | grep -c '\.xml$')" ] || {
	echo "FAIL: mkcases writes $n cases, the directory has others"; exit 1; }
"$here/record" --check
