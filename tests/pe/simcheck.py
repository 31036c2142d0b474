#!/usr/bin/env python3
"""simcheck - compare a simulator's `-S` output with an expected summary.

The pass rule of shared/pacemaker-cts/README.md: three sections must
equal the expected ones, lines compared after collapsing runs of white
space (blank lines are layout and are dropped):
  "Transition Summary:"            in the order printed,
  "Executing Cluster Transition:"  as a sorted list,
  "Revised Cluster Status:"        in the order printed.

One value is masked before comparing: the time in "Injecting attribute
last-failure-RSC#OP=TIME" lines, which crm_simulate takes from the wall
clock (not from -t or execution-date) when --op-fail/--op-inject fires,
so no simulator can reproduce it.

Usage as a program:
  simcheck.py EXPECTED.summary ACTUAL.txt       exit 0 same, 1 differs
Usage as a module: sections(text), compare(expected, actual) -> [diffs].
"""
import difflib
import re
import sys

# crm_simulate stamps injected failures with the wall clock.
WALL_CLOCK = re.compile(r"(Injecting attribute last-failure-\S+=)\d+")

HEADINGS = ("Current cluster status:", "Transition Summary:",
            "Executing Cluster Transition:", "Revised Cluster Status:")
COMPARED = (("Transition Summary:", False),
            ("Executing Cluster Transition:", True),
            ("Revised Cluster Status:", False))


def sections(text):
    """Split simulator output into {heading: [normalised lines]}."""
    out = {}
    cur = None
    for raw in text.splitlines():
        line = raw.strip()
        if line in HEADINGS:
            cur = line
            out.setdefault(cur, [])
            continue
        if cur is None or not line:
            continue
        line = WALL_CLOCK.sub(r"\1<time>", re.sub(r"\s+", " ", line))
        out[cur].append(line)
    return out


def compare(expected, actual):
    """Return a list of human-readable differences (empty when equal)."""
    exp, act = sections(expected), sections(actual)
    diffs = []
    for heading, unordered in COMPARED:
        e = exp.get(heading)
        a = act.get(heading)
        if e is None:
            diffs.append("expected output has no '%s' section" % heading)
            continue
        if a is None:
            diffs.append("output has no '%s' section" % heading)
            continue
        if unordered:
            e, a = sorted(e), sorted(a)
        if e != a:
            d = difflib.unified_diff(e, a, "expected", "actual",
                                     lineterm="", n=1)
            diffs.append("%s differs:\n%s" % (heading, "\n".join(d)))
    return diffs


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: simcheck.py EXPECTED ACTUAL\n")
        return 2
    with open(argv[1], encoding="utf-8", errors="replace") as f:
        expected = f.read()
    with open(argv[2], encoding="utf-8", errors="replace") as f:
        actual = f.read()
    diffs = compare(expected, actual)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
