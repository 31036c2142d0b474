#!/bin/sh
# make check for the random-CIB oracle (a tool for fo-sim's developer):
# the generator is deterministic, crm_simulate agrees with itself on 25
# random CIBs (so they are valid and their outputs reproducible), and a
# simulator that misreports one kind of line is caught, and reduce
# shrinks such a case while keeping the disagreement.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../testlib.sh"
need_crm_simulate
with_tmpdir

a=$(python3 "$here/randcib.py" 7 2>&1 | cksum)
b=$(python3 "$here/randcib.py" 7 2>&1 | cksum)
c=$(python3 "$here/randcib.py" 8 2>&1 | cksum)
if [ "$a" != "$b" ] || [ "$a" = "$c" ]; then
	echo "FAIL: randcib.py is not a function of its seed"; exit 1
fi

python3 "$here/oracle" --sim crm_simulate --include-invalid --quiet \
	--out "$tmp/same" 1 25 || {
	echo "FAIL: crm_simulate disagrees with itself"; exit 1; }

cat >"$tmp/badsim" <<'BAD'
#!/bin/sh
crm_simulate "$@" | sed 's/^\(  \* \)Move /\1Mvoe /'
BAD
chmod +x "$tmp/badsim"
if python3 "$here/oracle" --sim "$tmp/badsim" --include-invalid --quiet \
	--out "$tmp/bad" 1 25 >"$tmp/bad.out"; then
	cat "$tmp/bad.out"
	echo "FAIL: the oracle missed a simulator that misreports moves"; exit 1
fi
grep -q '^25 seeds, [1-9][0-9]* differ' "$tmp/bad.out" &&
	[ -f "$(ls "$tmp"/bad/seed-*.diff | head -n 1)" ] || {
	cat "$tmp/bad.out"; echo "FAIL: unexpected oracle report"; exit 1; }
# reduce: shrink seed 2 (which has a move) for the wrong simulator; the
# result must be smaller and still show a move.
python3 "$here/reduce" --sim "$tmp/badsim" -o "$tmp/small.xml" 2 \
	>"$tmp/reduce.out" || { cat "$tmp/reduce.out"; echo "FAIL: reduce"; exit 1; }
big=$(python3 "$here/randcib.py" 2 2>/dev/null | wc -l)
small=$(wc -l <"$tmp/small.xml")
crm_simulate -x "$tmp/small.xml" -S 2>/dev/null | grep -q '^  \* Move ' &&
	[ "$small" -lt "$big" ] || {
	cat "$tmp/reduce.out"
	echo "FAIL: reduce kept $small of $big lines or lost the move"; exit 1; }

echo "PASS: generator deterministic, oracle agrees with itself, catches" \
	"$(sed -n 's/^25 seeds, \([0-9]*\) differ.*/\1/p' "$tmp/bad.out")" \
	"seeds with a wrong Move line; reduce: $big -> $small lines"
