#!/usr/bin/env python3
"""Print the facts of a cluster status, one per line, sorted, from either
Pacemaker's `crm_mon -1 --output-as=xml` or `fo-res status
--output-as=xml`, so the two can be compared with diff: per node online /
standby / maintenance; per primitive (clone instances under their
primitive's id) role, nodes and the flags failed, managed, blocked,
orphaned, failure ignored; each failed action by node,
call id, exit code and execution status; each non-zero fail count by node
and resource. The layout of either tool is not compared.

crm_mon's XML leaves fail counts out of node_history, so for crm_mon
they are read from the "Migration Summary" of its text output
(`crm_mon -1 -f`), given as the second file.

Usage: status_facts.py FILE.xml [CRM_MON_TEXT]
"""
import re
import sys
import xml.etree.ElementTree as ET


def primitive(rsc):
    """A clone instance's name ("ip:0") as its primitive's ("ip")."""
    return re.sub(r":\d+$", "", rsc)


def yes(v):
    return "1" if v == "true" else "0"


def flags(r, ignored):
    """managed, blocked, orphaned, failure ignored (the attribute name
    of the last one differs between the tools)."""
    return "managed=%s blocked=%s orphaned=%s ignored=%s" % (
        yes(r.get("managed")), yes(r.get("blocked")),
        yes(r.get("orphaned")), yes(r.get(ignored)))


def common(root, ignored, rc):
    """The facts both tools state the same way in XML; @ignored and @rc
    name the attributes that the tools spell differently."""
    out = []
    for n in root.iterfind("./nodes/node"):
        out.append("node %s online=%s standby=%s maintenance=%s" % (
            n.get("name"), yes(n.get("online")), yes(n.get("standby")),
            yes(n.get("maintenance"))))
    for r in root.iter("resource"):
        nodes = sorted(x.get("name") for x in r.iterfind("node"))
        out.append("resource %s role=%s failed=%s nodes=%s %s" % (
            r.get("id"), r.get("role"), yes(r.get("failed")),
            ",".join(nodes), flags(r, ignored)))
    for f in root.iterfind("./failures/failure"):
        out.append("failure node=%s call=%s rc=%s status=%s" % (
            f.get("node"), f.get("call"), f.get(rc), f.get("status")))
    return out


def crm_mon_failcounts(path):
    """fail-count facts from crm_mon -1 -f text (Migration Summary)."""
    out, node, in_summary = [], None, False
    with open(path) as f:
        for line in f:
            if line.startswith("Migration Summary:"):
                in_summary = True
                continue
            if in_summary and line.strip() and not line.startswith(" "):
                break
            m = re.match(r"  \* Node: (.*):$", line.rstrip())
            if in_summary and m:
                node = m.group(1)
                continue
            m = re.match(r"    \* (\S+): .*fail-count=(\d+)", line)
            if in_summary and m and m.group(2) != "0":
                out.append("fail-count node=%s rsc=%s count=%s" % (
                    node, primitive(m.group(1)), m.group(2)))
    return out


def fo_res(root):
    out = common(root, "failure-ignored", "rc")
    for f in root.iterfind("./fail-counts/fail-count"):
        out.append("fail-count node=%s rsc=%s count=%s" % (
            f.get("node"), f.get("resource"), f.get("count")))
    return out


def main():
    root = ET.parse(sys.argv[1]).getroot()
    if root.tag == "pacemaker-result":
        facts = common(root, "failure_ignored", "exitcode")
        if len(sys.argv) > 2:
            facts += crm_mon_failcounts(sys.argv[2])
    elif root.tag == "fo-status":
        facts = fo_res(root)
    else:
        sys.exit("%s: neither crm_mon nor fo-res output" % sys.argv[1])
    for line in sorted(facts):
        print(line)


main()
