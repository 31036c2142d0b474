"""cibgen - write Pacemaker-format CIBs with realistic status sections.

Shared by the scheduler fixtures (tests/pe/cases/mkcases), the random CIB
generator (tests/pe/random/gen) and the benchmark generator
(bench/pe-scale/gen).  The configuration is given as literal XML snippets
(what a reader of the fixture sees is what the test author wrote); the
status section is built from a short history of operations per node and
rendered the way Pacemaker's controller records it: one lrm_resource per
resource and node holding "<rsc>_last_0" (latest non-recurring operation),
"<rsc>_<task>_<interval>" (each live recurring operation) and
"<rsc>_last_failure_0" (latest failure), with call-id, rc-code, op-status,
transition-key/-magic, last-rc-change and op-digest, plus fail-count and
last-failure node attributes in transient_attributes.

op-digest is the MD5 of " <parameters .../>\\n" holding the resource's
instance attributes sorted by name, plus CRM_meta_timeout (ms) for
recurring operations: the same value Pacemaker 2.1.5 computes, so an
unchanged resource is not restarted (checked against crm_simulate -O).
"""
import hashlib
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

INFINITY = 1000000
UUID = "5e0c2d7a-3f41-4b8e-9a6d-0f1e2c3b4a59"
DEFAULT_TIMEOUT_MS = 20000
DEFAULT_DATE = 1700000000       # 2023-11-14 22:13:20 UTC


def interval_ms(text):
    """Pacemaker interval/timeout text ("10s", "1m", "500ms", "10") -> ms."""
    if text is None or text == "":
        return 0
    m = re.fullmatch(r"\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*", text)
    if not m:
        raise ValueError("bad interval %r" % text)
    n = int(m.group(1))
    unit = m.group(2) or "s"
    mult = {"ms": 1, "msec": 1, "s": 1000, "sec": 1000, "m": 60000,
            "min": 60000, "h": 3600000, "hr": 3600000}[unit]
    return n * mult


def pcmk_escape(v):
    """An attribute value as Pacemaker 2.1.5 writes it for a digest: the
    five XML entities, newline and carriage return as backslash escapes,
    a tab as four spaces (found with crm_simulate; fixture
    param-special-chars and tests/unit/check_digest.c)."""
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"),
                 ('"', "&quot;"), ("'", "&apos;"), ("\n", "\\n"),
                 ("\r", "\\r"), ("\t", "    ")):
        v = v.replace(a, b)
    return v


def op_digest(params, interval, timeout_ms=DEFAULT_TIMEOUT_MS):
    """Digest of an operation as Pacemaker stores it in op-digest.

    params: dict of instance attributes; interval: ms; timeout_ms: the
    operation's timeout, used only for recurring operations."""
    p = dict(params)
    if interval:
        p["CRM_meta_timeout"] = str(timeout_ms)
    attrs = "".join(' %s="%s"' % (k, pcmk_escape(p[k])) for k in sorted(p))
    text = " <parameters%s/>\n" % attrs
    return hashlib.md5(text.encode()).hexdigest()


class Primitive:
    """What the status renderer needs to know about a primitive."""

    def __init__(self, rid, cls, provider, rtype, params, ops):
        self.id = rid
        self.cls = cls
        self.provider = provider
        self.type = rtype
        self.params = params        # {name: value}
        self.ops = ops              # [(name, interval_ms, timeout_ms, role)]

    def recurring(self):
        """Recurring operations for the Started role: [(interval, tmo)]."""
        return [(i, t) for (n, i, t, role) in self.ops
                if n == "monitor" and i and role in (None, "Started")]

    def timeout_of(self, task, interval):
        for (n, i, t, _role) in self.ops:
            if n == task and i == interval:
                return t
        return DEFAULT_TIMEOUT_MS

    def lrm_attrs(self):
        a = 'id="%s" class="%s" type="%s"' % (self.id, self.cls, self.type)
        if self.provider:
            a += ' provider="%s"' % self.provider
        return a


def primitives_in(xml_text, op_timeout_ms=DEFAULT_TIMEOUT_MS):
    """Parse resource XML snippets and return {id: Primitive}."""
    root = ET.fromstring("<r>%s</r>" % xml_text)
    out = {}
    for p in root.iter("primitive"):
        params = {}
        for ia in p.findall("instance_attributes"):
            for nv in ia.findall("nvpair"):
                params[nv.get("name")] = nv.get("value")
        ops = []
        for op in p.iter("op"):
            t = op.get("timeout")
            ops.append((op.get("name"), interval_ms(op.get("interval")),
                        interval_ms(t) if t else op_timeout_ms,
                        op.get("role")))
        out[p.get("id")] = Primitive(p.get("id"), p.get("class"),
                                     p.get("provider"), p.get("type"),
                                     params, ops)
    return out


def lrm_rsc_op(prim, key_id, task, interval, rc, call_id, when, node_action,
               transition=1, op_status=0, exit_reason=None, digest=None):
    """One lrm_rsc_op element as the controller writes it (a string)."""
    target = 7 if (task == "monitor" and interval == 0) else 0
    tkey = "%d:%d:%d:%s" % (node_action, transition, target, UUID)
    if digest is None:
        digest = op_digest(prim.params, interval,
                           prim.timeout_of(task, interval))
    reason = ' exit-reason=%s' % quoteattr(exit_reason or "")
    return ('<lrm_rsc_op id="%s" operation_key="%s_%s_%d" operation="%s" '
            'crm-debug-origin="do_update_resource" crm_feature_set="3.16.1" '
            'transition-key="%s" transition-magic="%d:%d;%s"%s call-id="%d" '
            'rc-code="%d" op-status="%d" interval="%d" last-rc-change="%d" '
            'exec-time="%d" queue-time="0" op-digest="%s"/>'
            % (key_id, prim.id, task, interval, task, tkey, op_status, rc,
               tkey, reason, call_id, rc, op_status, interval, when,
               12 if task != "monitor" else 8, digest))


class Op:
    """One executed operation; digest is taken from the definition the
    resource had when the operation ran."""
    __slots__ = ("rsc", "task", "interval", "rc", "call_id", "when",
                 "op_status", "reason", "digest")

    def __init__(self, rsc, task, interval, rc, call_id, when, op_status,
                 reason, digest):
        self.rsc, self.task, self.interval, self.rc = rsc, task, interval, rc
        self.call_id, self.when = call_id, when
        self.op_status, self.reason = op_status, reason
        self.digest = digest

    def failed(self):
        """Whether the controller would also record this result as
        <rsc>_last_failure_0: any result other than the expected one,
        including a probe that found the resource running (rc 0 where 7
        was expected), which the scheduler then takes as "active"."""
        if self.op_status != 0:
            return True
        if self.task == "monitor" and self.interval == 0:
            return self.rc != 7
        return self.rc != 0


class Node:
    def __init__(self, name, nid):
        self.name = name
        self.id = str(nid)
        self.attrs = {}          # configuration node attributes
        self.state = "online"    # online | offline | none (no node_state)
        self.ops = []            # Op history in call order
        self.seen = set()        # resources with history on this node
        self.transient = {}      # transient attributes
        self.call_id = 0


class Cib:
    """A CIB under construction.

    nodes: a count or a list of names; props: cluster properties (besides
    stonith-enabled=false, which every generated CIB sets); date: the cib
    element's execution-date ("now" for the scheduler), also the base of
    operation timestamps."""

    def __init__(self, nodes=2, props=None, quorum=True, date=DEFAULT_DATE,
                 epoch=10, feature_set="3.16.1"):
        if isinstance(nodes, int):
            nodes = ["n%d" % (i + 1) for i in range(nodes)]
        self.nodes = [Node(n, i + 1) for i, n in enumerate(nodes)]
        self.by_name = {n.name: n for n in self.nodes}
        self.props = {"stonith-enabled": "false"}
        self.props.update(props or {})
        self.quorum = quorum
        self.date = date
        self.epoch = epoch
        self.feature_set = feature_set
        self.resources = []
        self.constraints = []
        self.rsc_defaults = {}
        self.op_defaults = {}
        self.prims = {}
        self.clock = date - 3600
        self.transition = 1
        self.action = 0

    # -- configuration -------------------------------------------------
    def node(self, name):
        return self.by_name[name]

    def node_attr(self, node, name, value):
        self.node(node).attrs[name] = value
        return self

    def offline(self, node, state="offline"):
        self.node(node).state = state
        return self

    def rsc(self, xml_text):
        self.resources.append(xml_text.strip())
        tmo = interval_ms(self.op_defaults.get("timeout", "20s"))
        self.prims.update(primitives_in(xml_text, tmo))
        return self

    def cons(self, xml_text):
        self.constraints.append(xml_text.strip())
        return self

    # -- history ----------------------------------------------------------
    def tick(self, when=None):
        if when is None:
            self.clock += 10
            when = self.clock
        return when

    def op(self, rsc, node, task, interval=0, rc=0, when=None, op_status=0,
           reason=None):
        """Append one executed operation to node's history.

        A recurring monitor's later result keeps the call-id (and
        transition-key) of the monitor that was started, as Pacemaker
        records it; its _<task>_<interval> record keeps the first result
        and _last_failure_0 gets the failure."""
        n = self.node(node)
        live = None
        if interval:
            for o in reversed(n.ops):
                if o.rsc != rsc:
                    continue
                if o.interval == 0 and o.task in ("start", "stop"):
                    break
                if o.task == task and o.interval == interval:
                    live = o
                    break
        if live is None:
            n.call_id += 1
        if reason is None and rc not in (0, 7):
            reason = "injected by the test author"
        p = self.prims[rsc]
        digest = op_digest(p.params, interval, p.timeout_of(task, interval))
        n.ops.append(Op(rsc, task, interval, rc,
                        live.call_id if live else n.call_id,
                        self.tick(when), op_status, reason, digest))
        n.seen.add(rsc)
        return self

    def probe(self, rsc, node, rc=7, when=None):
        return self.op(rsc, node, "monitor", 0, rc, when)

    def _probed(self, rsc, node):
        return rsc in self.node(node).seen

    def probe_all(self, rsc, skip=()):
        """Probe rsc (not running) on every online node not yet probed."""
        for n in self.nodes:
            if n.state == "online" and n.name not in skip and \
                    not self._probed(rsc, n.name):
                self.probe(rsc, n.name)
        return self

    def start(self, rsc, node, monitors=True):
        self.op(rsc, node, "start")
        if monitors:
            for (i, _t) in self.prims[rsc].recurring():
                self.op(rsc, node, "monitor", i)
        return self

    def stop(self, rsc, node):
        return self.op(rsc, node, "stop")

    def running(self, rsc, node, monitors=True):
        """rsc was probed everywhere, then started (+ monitors) on node."""
        self.probe_all(rsc)
        if node not in [n.name for n in self.nodes if n.state == "online"]:
            self.probe(rsc, node)
        return self.start(rsc, node, monitors)

    def stopped(self, rsc):
        """rsc was probed on every online node and found stopped."""
        return self.probe_all(rsc)

    def fail(self, rsc, node, task, interval=0, rc=1, count=1, when=None,
             op_status=0):
        """A failed operation, with its fail count and last-failure."""
        self.op(rsc, node, task, interval, rc, when, op_status)
        n = self.node(node)
        key = "%s#%s_%d" % (rsc, task, interval)
        n.transient["fail-count-" + key] = str(count)
        n.transient["last-failure-" + key] = str(n.ops[-1].when)
        return self

    def transient_attr(self, node, name, value):
        self.node(node).transient[name] = value
        return self

    # -- rendering --------------------------------------------------------
    def _lrm(self, n, ind):
        by_rsc = {}
        order = []
        for o in n.ops:
            if o.rsc not in by_rsc:
                by_rsc[o.rsc] = []
                order.append(o.rsc)
            by_rsc[o.rsc].append(o)
        out = []
        for rid in order:
            prim = self.prims[rid]
            ops = by_rsc[rid]
            last = None
            recurring = {}
            failure = None
            for o in ops:
                if o.interval == 0:
                    last = o
                    if o.task in ("stop", "start") or o.rc == 7:
                        recurring = {}
                else:
                    prev = recurring.get((o.task, o.interval))
                    if prev is None or prev.call_id != o.call_id:
                        recurring[(o.task, o.interval)] = o
                if o.failed():
                    failure = o
            recs = []
            seq = 0
            for o, kid in ([(last, "%s_last_0" % rid)] if last else []) + \
                    [(o, "%s_%s_%d" % (rid, o.task, o.interval))
                     for o in recurring.values()] + \
                    ([(failure, "%s_last_failure_0" % rid)]
                     if failure else []):
                seq += 1
                recs.append(lrm_rsc_op(prim, kid, o.task, o.interval, o.rc,
                                       o.call_id, o.when, o.call_id + 2,
                                       op_status=o.op_status,
                                       exit_reason=o.reason,
                                       digest=o.digest))
            out.append("%s<lrm_resource %s>" % (ind, prim.lrm_attrs()))
            for r in recs:
                out.append("%s  %s" % (ind, r))
            out.append("%s</lrm_resource>" % ind)
        return out

    def _nvset(self, tag, sid, d, ind):
        if not d:
            return []
        out = ['%s<%s id="%s">' % (ind, tag, sid)]
        for k, v in d.items():
            nid = "%s-%s" % (sid, re.sub(r"[^A-Za-z0-9_.-]", ".", k))
            out.append('%s  <nvpair id="%s" name="%s" value="%s"/>'
                       % (ind, nid, k, v))
        out.append("%s</%s>" % (ind, tag))
        return out

    def xml(self):
        L = []
        L.append('<cib crm_feature_set="%s" validate-with="pacemaker-3.9" '
                 'epoch="%d" num_updates="0" admin_epoch="0" have-quorum="%d" '
                 'dc-uuid="1" execution-date="%d">'
                 % (self.feature_set, self.epoch, 1 if self.quorum else 0,
                    self.date))
        L.append("  <configuration>")
        L.append("    <crm_config>")
        L += self._nvset("cluster_property_set", "cib-bootstrap-options",
                         self.props, "      ")
        L.append("    </crm_config>")
        L.append("    <nodes>")
        for n in self.nodes:
            if n.attrs:
                L.append('      <node id="%s" uname="%s">' % (n.id, n.name))
                L += self._nvset("instance_attributes", "nodes-" + n.id,
                                 n.attrs, "        ")
                L.append("      </node>")
            else:
                L.append('      <node id="%s" uname="%s"/>' % (n.id, n.name))
        L.append("    </nodes>")
        L.append("    <resources>")
        for r in self.resources:
            L += ["      " + line for line in r.splitlines()]
        L.append("    </resources>")
        if self.constraints:
            L.append("    <constraints>")
            for c in self.constraints:
                L += ["      " + line for line in c.splitlines()]
            L.append("    </constraints>")
        else:
            L.append("    <constraints/>")
        if self.rsc_defaults:
            L.append("    <rsc_defaults>")
            L += self._nvset("meta_attributes", "rsc-options",
                             self.rsc_defaults, "      ")
            L.append("    </rsc_defaults>")
        if self.op_defaults:
            L.append("    <op_defaults>")
            L += self._nvset("meta_attributes", "op-options",
                             self.op_defaults, "      ")
            L.append("    </op_defaults>")
        L.append("  </configuration>")
        L.append("  <status>")
        for n in self.nodes:
            if n.state == "none":
                continue
            if n.state == "online":
                st = ('in_ccm="true" crmd="online" join="member" '
                      'expected="member"')
            else:
                st = ('in_ccm="false" crmd="offline" join="down" '
                      'expected="down"')
            L.append('    <node_state id="%s" uname="%s" %s '
                     'crm-debug-origin="do_update_resource">'
                     % (n.id, n.name, st))
            if n.transient:
                L.append('      <transient_attributes id="%s">' % n.id)
                L += self._nvset("instance_attributes", "status-" + n.id,
                                 n.transient, "        ")
                L.append("      </transient_attributes>")
            L.append('      <lrm id="%s">' % n.id)
            lrm = self._lrm(n, "          ")
            if lrm:
                L.append("        <lrm_resources>")
                L += lrm
                L.append("        </lrm_resources>")
            else:
                L.append("        <lrm_resources/>")
            L.append("      </lrm>")
            L.append("    </node_state>")
        L.append("  </status>")
        L.append("</cib>")
        return "\n".join(L) + "\n"
