#!/usr/bin/env python3
"""randcib - random small CIBs in fo's supported subset, from a seed.

Each seed gives one cluster (same seed, same bytes): 2-5 nodes (some
offline, standby or in maintenance, with a `site` attribute for rules),
2-12 primitives (ocf:heartbeat:Dummy) arranged as primitives, groups of
2-3 and anonymous clones, with random meta attributes (stickiness,
priority, target-role, is-managed, migration-threshold, failure-timeout,
maintenance, monitor on-fail), cluster properties (symmetric-cluster,
no-quorum-policy with or without quorum, maintenance-mode,
start-failure-is-fatal, stop-all-resources), location constraints (score,
#uname and attribute rules), colocations and orderings between top-level
resources (always from an earlier to a later one, so nothing loops), and
a status history: resources running somewhere (or several places),
probes missing on some nodes, failed monitors and starts with fail
counts and timestamps around "now", changed parameters, missing
monitors.  Some seeds also get extra simulator arguments (--node-down,
--node-fail, --op-fail), returned beside the CIB.

Usage: randcib.py SEED [-o FILE]   (FILE.args, .xml stripped, gets the
                                    extra arguments;
                                    without -o: the CIB on stdout and the
                                    arguments on stderr)
As a module: generate(seed) -> (xml_text, [args]).
"""
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from cibgen import Cib  # noqa: E402

SCORES_LOC = ["INFINITY", "-INFINITY", "100", "50", "-50", "0", "200"]
SCORES_COLO = ["INFINITY", "INFINITY", "-INFINITY", "100", "-100", "500"]


def _meta(rid, pairs, ind="  "):
    if not pairs:
        return ""
    s = '%s<meta_attributes id="%s-meta">\n' % (ind, rid)
    for k, v in pairs:
        s += '%s  <nvpair id="%s-meta-%s" name="%s" value="%s"/>\n' % (
            ind, rid, k, k, v)
    return s + "%s</meta_attributes>\n" % ind


class Gen:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.seed = seed

    def chance(self, p):
        return self.rnd.random() < p

    def primitive(self, rid, in_clone=False):
        r = self.rnd
        meta = []
        if self.chance(0.1):
            meta.append(("resource-stickiness",
                         r.choice(["0", "50", "200", "INFINITY"])))
        if self.chance(0.1):
            meta.append(("priority", str(r.randint(1, 10))))
        if self.chance(0.07):
            meta.append(("target-role", "Stopped"))
        if self.chance(0.05):
            meta.append(("is-managed", "false"))
        if self.chance(0.15):
            meta.append(("migration-threshold", str(r.randint(1, 3))))
        if self.chance(0.1):
            meta.append(("failure-timeout", r.choice(["60s", "600s"])))
        if self.chance(0.03):
            meta.append(("maintenance", "true"))
        params = {}
        if self.chance(0.3):
            params["fake"] = r.choice(["a", "b"])
        s = ('<primitive id="%s" class="ocf" provider="heartbeat" '
             'type="Dummy">\n' % rid)
        if params:
            s += '  <instance_attributes id="%s-params">\n' % rid
            for k, v in params.items():
                s += ('    <nvpair id="%s-params-%s" name="%s" '
                      'value="%s"/>\n' % (rid, k, k, v))
            s += "  </instance_attributes>\n"
        s += _meta(rid, meta)
        onfail = ""
        if self.chance(0.15):
            onfail = ' on-fail="%s"' % r.choice(
                ["restart", "stop", "block", "ignore"])
        mon = r.choice(["10s", "10s", "20s"])
        s += ("  <operations>\n"
              '    <op id="%s-monitor" name="monitor" interval="%s" '
              'timeout="20s"%s/>\n' % (rid, mon, onfail))
        s += "  </operations>\n</primitive>"
        return s, params

    def build(self):
        r = self.rnd
        props = {}
        if self.chance(0.12):
            props["symmetric-cluster"] = "false"
        quorum = not self.chance(0.12)
        if not quorum or self.chance(0.2):
            props["no-quorum-policy"] = r.choice(["stop", "freeze",
                                                  "ignore"])
        if self.chance(0.04):
            props["maintenance-mode"] = "true"
        if self.chance(0.03):
            props["stop-all-resources"] = "true"
        if self.chance(0.1):
            props["start-failure-is-fatal"] = "false"
        nn = r.randint(2, 5)
        c = Cib(nn, props=props, quorum=quorum, epoch=r.randint(5, 500))
        names = [n.name for n in c.nodes]
        for n in names:
            if self.chance(0.7):
                c.node_attr(n, "site", r.choice(["east", "west"]))
            if self.chance(0.1):
                c.node_attr(n, "standby", "on")
            if self.chance(0.05):
                c.node_attr(n, "maintenance", "true")
        if self.chance(0.3):
            c.rsc_defaults["resource-stickiness"] = r.choice(
                ["0", "50", "100", "INFINITY"])

        # Resources: tops = [(id, kind, [primitive ids])]
        target = r.randint(2, 12)
        tops, prim_params, made = [], {}, 0
        while made < target:
            k = r.random()
            if k < 0.2 and target - made >= 2:
                gid = "g%d" % (len(tops) + 1)
                members = []
                for _ in range(min(r.randint(2, 3), target - made)):
                    made += 1
                    members.append("r%d" % made)
                body = ""
                for m in members:
                    x, prim_params[m] = self.primitive(m)
                    body += "".join("  %s\n" % ln for ln in x.splitlines())
                meta = []
                if self.chance(0.15):
                    meta.append(("resource-stickiness",
                                 r.choice(["0", "100"])))
                if self.chance(0.05):
                    meta.append(("target-role", "Stopped"))
                c.rsc('<group id="%s">\n%s%s</group>'
                      % (gid, _meta(gid, meta), body))
                tops.append((gid, "group", members))
            elif k < 0.35:
                made += 1
                pid = "r%d" % made
                cid = "%s-clone" % pid
                x, prim_params[pid] = self.primitive(pid, in_clone=True)
                body = "".join("  %s\n" % ln for ln in x.splitlines())
                meta = []
                if self.chance(0.3):
                    meta.append(("clone-max", str(r.randint(1, nn))))
                if self.chance(0.4):
                    meta.append(("interleave", r.choice(["true", "false"])))
                c.rsc('<clone id="%s">\n%s%s</clone>'
                      % (cid, body, _meta(cid, meta)))
                tops.append((cid, "clone", [pid]))
            else:
                made += 1
                pid = "r%d" % made
                x, prim_params[pid] = self.primitive(pid)
                c.rsc(x)
                tops.append((pid, "primitive", [pid]))

        self.constraints(c, tops, names)
        self.history(c, tops, names, prim_params)
        return c, self.extra_args(c, tops, names)

    def constraints(self, c, tops, names):
        r = self.rnd
        ids = [t[0] for t in tops]
        for i in range(r.randint(0, len(tops) + 1)):
            rid = r.choice(ids)
            score = r.choice(SCORES_LOC)
            lid = "loc%d" % (i + 1)
            if self.chance(0.3):
                if self.chance(0.5):
                    attr, op, val = "#uname", "eq", r.choice(names)
                else:
                    attr, op, val = "site", r.choice(["eq", "ne"]), \
                        r.choice(["east", "west"])
                c.cons('<rsc_location id="%s" rsc="%s">\n'
                       '  <rule id="%s-rule" score="%s">\n'
                       '    <expression id="%s-expr" attribute="%s" '
                       'operation="%s" value="%s"/>\n'
                       '  </rule>\n</rsc_location>'
                       % (lid, rid, lid, score, lid, attr, op, val))
            else:
                c.cons('<rsc_location id="%s" rsc="%s" node="%s" '
                       'score="%s"/>' % (lid, rid, r.choice(names), score))
        if len(tops) < 2:
            return
        pairs = set()
        for i in range(r.randint(0, len(tops))):
            a, b = sorted(r.sample(range(len(tops)), 2))
            if ("c", a, b) in pairs:
                continue
            pairs.add(("c", a, b))
            c.cons('<rsc_colocation id="col%d" rsc="%s" with-rsc="%s" '
                   'score="%s"/>' % (i + 1, ids[b], ids[a],
                                     r.choice(SCORES_COLO)))
        for i in range(r.randint(0, len(tops))):
            a, b = sorted(r.sample(range(len(tops)), 2))
            if ("o", a, b) in pairs:
                continue
            pairs.add(("o", a, b))
            kind = r.choice([None, None, "Mandatory", "Optional",
                             "Serialize"])
            s = '<rsc_order id="ord%d" first="%s" then="%s"' % (
                i + 1, ids[a], ids[b])
            if kind:
                s += ' kind="%s"' % kind
            if kind != "Serialize" and self.chance(0.2):
                s += ' symmetrical="false"'
            c.cons(s + "/>")

    def history(self, c, tops, names, prim_params):
        r = self.rnd
        online = list(names)
        # Nodes that will be offline still carry the history they had.
        going = [n for n in names if self.chance(0.15)]
        if len(going) == len(names):
            going = going[1:]
        for (_tid, kind, members) in tops:
            if kind == "clone":
                where = [n for n in online if self.chance(0.6)]
            elif self.chance(0.6):
                where = [r.choice(online)]
                if self.chance(0.05):
                    where.append(r.choice(online))    # multiply active
            else:
                where = []
            upto = len(members)
            if kind == "group" and where and self.chance(0.2):
                upto = r.randint(1, len(members))     # partly started
            for k, pid in enumerate(members):
                prim = c.prims[pid]
                changed = prim_params[pid] and self.chance(0.08)
                if changed:
                    saved = prim.params
                    prim.params = {"fake": "old"}
                for n in online:
                    if self.chance(0.9) or n in where:
                        c.probe(pid, n)
                if k < upto:
                    for n in sorted(set(where)):
                        c.start(pid, n, monitors=not self.chance(0.05))
                if changed:
                    prim.params = saved
                self.failures(c, pid, where if k < upto else [], online)
        for n in going:
            c.offline(n)

    def failures(self, c, pid, where, online):
        r = self.rnd
        prim = c.prims[pid]
        mon = prim.recurring()[0][0]
        when = c.date - r.randint(1, 1200)
        if where and self.chance(0.15):
            n = r.choice(where)
            c.fail(pid, n, "monitor", mon, rc=r.choice([7, 7, 1]),
                   count=r.randint(1, 3), when=when)
        elif not where and self.chance(0.1):
            n = r.choice(online)
            count = "INFINITY" if self.chance(0.5) else r.randint(1, 3)
            c.fail(pid, n, "start", 0, rc=1, count=count, when=when)
            if self.chance(0.5):
                c.stop(pid, n)

    def extra_args(self, c, tops, names):
        r = self.rnd
        online = [n.name for n in c.nodes if n.state == "online"]
        k = r.random()
        if k < 0.12 and len(online) > 1:
            return ["--node-down", r.choice(online)]
        if k < 0.18 and len(online) > 1:
            return ["--node-fail", r.choice(online)]
        if k < 0.28:
            pid = r.choice([m for t in tops for m in t[2]])
            return ["--op-fail", "%s_start_0@%s=1" % (pid, r.choice(names))]
        return []


def generate(seed):
    """The CIB text and the extra simulator arguments for one seed."""
    c, args = Gen(seed).build()
    return c.xml(), args


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "-o"):
        sys.stderr.write("usage: randcib.py SEED [-o FILE]\n")
        return 2
    try:
        seed = int(argv[1])
    except ValueError:
        sys.stderr.write("randcib.py: SEED must be an integer\n")
        return 2
    text, args = generate(seed)
    if len(argv) == 4:
        with open(argv[3], "w") as f:
            f.write(text)
        if args:
            base = argv[3][:-4] if argv[3].endswith(".xml") else argv[3]
            with open(base + ".args", "w") as f:
                f.write(" ".join(args) + "\n")
    else:
        sys.stdout.write(text)
        if args:
            sys.stderr.write(" ".join(args) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
