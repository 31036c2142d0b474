#!/usr/bin/env python3
"""mutate.py - feed fo-sim damaged CIBs; it must never crash.

Takes the Pacemaker corpus inputs (../shared/pacemaker-cts/xml, or
$FO_CTS_DIR) as seeds, applies a fixed-seed series of random damage
(cut text, stray characters, changed attribute values, duplicated
elements, extra groups and clones) and runs fo-sim -S -s -G on each.
Passes when every run exits 0, 1 or 2 with no sanitizer report; a
failing input is kept as mutate-fail-N.xml in the current directory.
Skips (77) without the corpus, except under CI=true.

Usage: mutate.py [--fo-sim PATH] [--count N] [--seed S]
"""
import argparse
import glob
import os
import random
import re
import subprocess
import sys
import tempfile

VALUES = ["", "-INFINITY", "INFINITY", "abc", "0", "1.5", "-1", "10s",
          "99999999999", "node1", "rsc1", "start", "stop", "Stopped"]
ELEMENTS = r"<(rsc_order|rsc_colocation|rsc_location|primitive|" \
           r"lrm_rsc_op|node_state|op|nvpair) [^>]*/>"


def damage(rng, s, n):
    for _ in range(rng.randint(1, 5)):
        k = rng.randint(0, 4)
        p = rng.randrange(len(s))
        if k == 0:
            s = s[:p] + s[p + rng.randint(1, 40):]
        elif k == 1:
            s = s[:p] + rng.choice(['"', "<", ">", "&", "INFINITY", "x"]) \
                + s[p:]
        elif k == 2:
            ms = list(re.finditer(r'="([^"]*)"', s))
            if ms:
                m = rng.choice(ms)
                s = s[:m.start(1)] + rng.choice(VALUES) + s[m.end(1):]
        elif k == 3:
            ms = list(re.finditer(ELEMENTS, s))
            if ms:
                m = rng.choice(ms)
                s = s[:m.end()] + m.group(0) + s[m.end():]
        else:
            s = s.replace("</resources>",
                          '<group id="g%d"><primitive id="x%d" class="ocf" '
                          'type="D"/></group><clone id="c%d"><primitive '
                          'id="y%d" class="ocf" type="D"/></clone>'
                          "</resources>" % (n, n, n, n), 1)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fo-sim")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    o = ap.parse_args()
    top_src = os.environ.get("top_srcdir",
                             os.path.join(os.path.dirname(__file__), "..",
                                          ".."))
    top_build = os.environ.get("top_builddir", ".")
    fo_sim = o.fo_sim or os.path.join(top_build, "cli", "fo-sim")
    cts = os.environ.get("FO_CTS_DIR",
                         os.path.join(top_src, "..", "shared",
                                      "pacemaker-cts"))
    seeds = sorted(glob.glob(os.path.join(cts, "xml", "*.xml")))
    if not seeds:
        if os.environ.get("CI") == "true":
            print("mutate: no corpus at %s (a failure under CI=true)" % cts)
            return 1
        print("mutate: no corpus at %s; skipping" % cts)
        return 77
    rng = random.Random(o.seed)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.xml")
        for n in range(o.count):
            with open(rng.choice(seeds), encoding="utf-8") as f:
                text = damage(rng, f.read(), n)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            p = subprocess.run([fo_sim, "-x", path, "-S", "-s", "-G",
                                os.path.join(tmp, "g.xml")],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=60)
            err = p.stderr.decode(errors="replace")
            if p.returncode not in (0, 1, 2) or "Sanitizer" in err \
                    or "runtime error" in err:
                failed += 1
                keep = "mutate-fail-%d.xml" % n
                with open(keep, "w", encoding="utf-8") as f:
                    f.write(text)
                print("input %d: exit %d, kept as %s\n%s" %
                      (n, p.returncode, keep, err[:500]))
    print("%d damaged inputs, %d crashed" % (o.count, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
