#!/usr/bin/env python3
# gen-cases.py - write the CIBs of tests/unit/schema and their "cases" file.
#
# Each case is the template below with a hand-written snippet put in at a
# marker; the expected line of a finding is the snippet's line plus an
# offset, both fixed here by hand, never taken from fo. Each CIB is run
# through Pacemaker's crm_verify and what it said is appended to the file
# as a comment. Run it (needs crm_verify) after changing a case; commit the
# output. check_schema reads the files, not this script.
import os, subprocess, sys
out = os.path.dirname(os.path.abspath(__file__))
T = '''<cib validate-with="pacemaker-3.9" admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
@PROPS@
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
@NODES@
    </nodes>
    <resources>
      <primitive id="rsc1" class="ocf" provider="pacemaker" type="Dummy">
        <operations>
          <op id="rsc1-monitor" name="monitor" interval="10s" timeout="20s"/>
@OPS@
        </operations>
      </primitive>
      <primitive id="rsc2" class="ocf" provider="pacemaker" type="Dummy"/>
@RESOURCES@
    </resources>
    <constraints>
      <rsc_location id="loc-rsc1" rsc="rsc1" node="node1" score="100"/>
@CONSTRAINTS@
    </constraints>
@CONFIG@
  </configuration>
  <status/>
</cib>
'''
cases = []  # (name, {marker: snippet}, verdict, [(sev, marker, offset, elem, msg)])
def C(name, ins, verdict, exp, tweak=None):
    cases.append((name, ins, verdict, exp, tweak))

# ---- refused features (-FO_EUNSUPPORTED)
C('refuse-rsc-ticket', {'@CONSTRAINTS@': '      <rsc_ticket id="t1" rsc="rsc1" ticket="ticketA"/>'},
  'unsupported', [('error', '@CONSTRAINTS@', 0, '<rsc_ticket id="t1">', 'tickets')])
C('refuse-bundle', {'@RESOURCES@': '''      <bundle id="b1">
        <docker image="img"/>
      </bundle>'''}, 'unsupported', [('error', '@RESOURCES@', 0, '<bundle id="b1">', 'bundles')])
C('refuse-master', {'@RESOURCES@': '''      <master id="ms1">
        <primitive id="st1" class="ocf" provider="pacemaker" type="Stateful"/>
      </master>'''}, 'unsupported', [('error', '@RESOURCES@', 0, '<master id="ms1">', 'promotable')])
C('refuse-promotable', {'@RESOURCES@': '''      <clone id="c1">
        <meta_attributes id="c1-meta">
          <nvpair id="c1-promotable" name="promotable" value="true"/>
        </meta_attributes>
        <primitive id="st1" class="ocf" provider="pacemaker" type="Stateful"/>
      </clone>'''}, 'unsupported', [('error', '@RESOURCES@', 2, 'name="promotable"', 'promotable clones')])
C('refuse-globally-unique', {'@RESOURCES@': '''      <clone id="c1">
        <meta_attributes id="c1-meta">
          <nvpair id="c1-gu" name="globally-unique" value="true"/>
        </meta_attributes>
        <primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>
      </clone>'''}, 'unsupported', [('error', '@RESOURCES@', 2, 'name="globally-unique"', 'globally unique')])
C('refuse-utilization', {'@RESOURCES@': '''      <primitive id="rsc3" class="ocf" provider="pacemaker" type="Dummy">
        <utilization id="rsc3-util">
          <nvpair id="rsc3-cpu" name="cpu" value="2"/>
        </utilization>
      </primitive>'''}, 'unsupported', [('error', '@RESOURCES@', 1, '<utilization id="rsc3-util">', 'utilization')])
C('refuse-placement-strategy', {'@PROPS@': '        <nvpair id="opt-ps" name="placement-strategy" value="utilization"/>'},
  'unsupported', [('error', '@PROPS@', 0, 'name="placement-strategy"', 'utilization-based placement')])
C('refuse-resource-set', {'@CONSTRAINTS@': '''      <rsc_order id="o-set" kind="Mandatory">
        <resource_set id="o-set-1">
          <resource_ref id="rsc1"/>
          <resource_ref id="rsc2"/>
        </resource_set>
      </rsc_order>'''}, 'unsupported', [('error', '@CONSTRAINTS@', 1, '<resource_set id="o-set-1">', 'resource sets')])
C('refuse-fencing-topology', {'@CONFIG@': '''    <fencing-topology>
      <fencing-level id="fl1" target="node1" index="1" devices="fence1"/>
    </fencing-topology>'''}, 'unsupported', [('error', '@CONFIG@', 0, '<fencing-topology>', 'fencing topology')])
C('refuse-remote-node', {'@NODES@': '      <node id="remote1" uname="remote1" type="remote"/>'},
  'unsupported', [('error', '@NODES@', 0, '<node id="remote1">', 'remote nodes')])
C('refuse-remote-resource', {'@RESOURCES@': '''      <primitive id="remote1" class="ocf" provider="pacemaker" type="remote">
        <instance_attributes id="remote1-params">
          <nvpair id="remote1-server" name="server" value="192.0.2.10"/>
        </instance_attributes>
      </primitive>'''}, 'unsupported', [('error', '@RESOURCES@', 0, '<primitive id="remote1">', 'remote and guest nodes')])
C('refuse-guest-node', {'@RESOURCES@': '''      <primitive id="vm1" class="ocf" provider="heartbeat" type="VirtualDomain">
        <instance_attributes id="vm1-params">
          <nvpair id="vm1-config" name="config" value="/etc/libvirt/vm1.xml"/>
        </instance_attributes>
        <meta_attributes id="vm1-meta">
          <nvpair id="vm1-remote-node" name="remote-node" value="guest1"/>
        </meta_attributes>
      </primitive>'''}, 'unsupported', [('error', '@RESOURCES@', 5, 'name="remote-node"', 'guest nodes')])
C('refuse-date-rule', {'@CONSTRAINTS@': '''      <rsc_location id="loc-date" rsc="rsc2">
        <rule id="loc-date-rule" score="100">
          <date_expression id="loc-date-expr" operation="gt" start="2020-01-01"/>
        </rule>
      </rsc_location>'''}, 'unsupported', [('error', '@CONSTRAINTS@', 2, '<date_expression id="loc-date-expr">', 'date rules')])
C('refuse-template', {'@RESOURCES@': '''      <template id="tpl1" class="ocf" provider="pacemaker" type="Dummy"/>
      <primitive id="rsc3" template="tpl1"/>'''}, 'unsupported',
  [('error', '@RESOURCES@', 0, '<template id="tpl1">', 'templates'), ('error', '@RESOURCES@', 1, '<primitive id="rsc3">', 'templates')])
C('refuse-id-ref', {'@RESOURCES@': '''      <primitive id="rsc3" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="rsc3-meta">
          <nvpair id="rsc3-stick" name="resource-stickiness" value="100"/>
        </meta_attributes>
      </primitive>
      <primitive id="rsc4" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id-ref="rsc3-meta"/>
      </primitive>'''}, 'unsupported', [('error', '@RESOURCES@', 6, '<meta_attributes>', 'id-ref')])
C('refuse-rsc-pattern', {'@CONSTRAINTS@': '      <rsc_location id="loc-pat" rsc-pattern="rsc.*" node="node2" score="10"/>'},
  'unsupported', [('error', '@CONSTRAINTS@', 0, '<rsc_location id="loc-pat">', 'resource patterns')])
C('accept-serialize', {'@CONSTRAINTS@': '      <rsc_order id="o-ser" first="rsc1" then="rsc2" kind="Serialize"/>'},
  'ok', [])
C('refuse-resource-discovery', {'@CONSTRAINTS@': '      <rsc_location id="loc-ex" rsc="rsc2" node="node2" score="0" resource-discovery="exclusive"/>'},
  'unsupported', [('error', '@CONSTRAINTS@', 0, '<rsc_location id="loc-ex">', 'resource-discovery="exclusive"')])
C('refuse-promoted-colocation', {'@CONSTRAINTS@': '      <rsc_colocation id="col-p" rsc="rsc2" with-rsc="rsc1" with-rsc-role="Promoted" score="INFINITY"/>'},
  'unsupported', [('error', '@CONSTRAINTS@', 0, '<rsc_colocation id="col-p">', 'promotable clones')])
C('refuse-promoted-op', {'@OPS@': '          <op id="rsc1-monitor-p" name="monitor" interval="11s" role="Promoted"/>'},
  'unsupported', [('error', '@OPS@', 0, '<op id="rsc1-monitor-p">', 'promotable clones')])
C('refuse-systemd', {'@RESOURCES@': '      <primitive id="rsc3" class="systemd" type="sshd"/>'},
  'unsupported', [('error', '@RESOURCES@', 0, '<primitive id="rsc3">', 'class="systemd"')])
C('refuse-property-rule', {'@CONFIG@': '''    <rsc_defaults>
      <meta_attributes id="rsc-defaults-rule">
        <rule id="rsc-defaults-rule-r" score="INFINITY">
          <expression id="rsc-defaults-rule-e" attribute="#uname" operation="eq" value="node1"/>
        </rule>
        <nvpair id="rsc-defaults-stick" name="resource-stickiness" value="100"/>
      </meta_attributes>
    </rsc_defaults>'''}, 'unsupported', [('error', '@CONFIG@', 2, '<rule id="rsc-defaults-rule-r">', 'rules are supported only')])
C('accept-score-attribute', {'@CONSTRAINTS@': '''      <rsc_location id="loc-ping" rsc="rsc2">
        <rule id="loc-ping-rule" score-attribute="pingd">
          <expression id="loc-ping-expr" attribute="pingd" operation="defined"/>
        </rule>
      </rsc_location>
      <rsc_colocation id="col-attr" rsc="rsc2" with-rsc="rsc1" score="100" node-attribute="site" influence="false"/>'''}, 'ok', [])
C('refuse-tags', {'@CONFIG@': '''    <tags>
      <tag id="tag1">
        <obj_ref id="rsc1"/>
      </tag>
    </tags>'''}, 'unsupported', [('error', '@CONFIG@', 0, '<tags>', 'tags')])
C('refuse-suicide', {'@PROPS@': '        <nvpair id="opt-nqp" name="no-quorum-policy" value="suicide"/>'},
  'unsupported', [('error', '@PROPS@', 0, 'name="no-quorum-policy"', 'does not implement this policy')])
C('refuse-group-unordered', {'@RESOURCES@': '''      <group id="g1">
        <meta_attributes id="g1-meta">
          <nvpair id="g1-ordered" name="ordered" value="false"/>
        </meta_attributes>
        <primitive id="g1-a" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="g1-b" class="ocf" provider="pacemaker" type="Dummy"/>
      </group>'''}, 'unsupported', [('error', '@RESOURCES@', 2, 'name="ordered"', 'unordered groups')])

# ---- annotate-only settings: warnings, accepted
def prop(n, v): return '        <nvpair id="opt-%s" name="%s" value="%s"/>' % (n, n, v)
for n, v, m in [('dc-version', '2.1.5-a3f44794f94', 'Pacemaker'), ('cluster-infrastructure', 'corosync', 'corosync'),
                ('cluster-name', 'mycluster', 'cluster name'), ('last-lrm-refresh', '1700000000', 'Pacemaker'),
                ('batch-limit', '30', 'parallel')]:
    C('warn-' + n, {'@PROPS@': prop(n, v)}, 'ok', [('warning', '@PROPS@', 0, 'name="%s"' % n, m)])
C('warn-group-defaults', {'@RESOURCES@': '''      <group id="g1">
        <meta_attributes id="g1-meta">
          <nvpair id="g1-ordered" name="ordered" value="true"/>
          <nvpair id="g1-collocated" name="collocated" value="true"/>
        </meta_attributes>
        <primitive id="g1-a" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="g1-b" class="ocf" provider="pacemaker" type="Dummy"/>
      </group>'''}, 'ok', [('warning', '@RESOURCES@', 2, 'name="ordered"', 'default'), ('warning', '@RESOURCES@', 3, 'name="collocated"', 'default')])
C('warn-multiple-active', {'@RESOURCES@': '''      <primitive id="rsc3" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="rsc3-meta">
          <nvpair id="rsc3-ma" name="multiple-active" value="stop_only"/>
          <nvpair id="rsc3-rt" name="restart-type" value="restart"/>
        </meta_attributes>
      </primitive>'''}, 'ok', [('warning', '@RESOURCES@', 2, 'name="multiple-active"', 'recovery'), ('warning', '@RESOURCES@', 3, 'name="restart-type"', 'deprecated')])
C('warn-op-start-delay', {'@OPS@': '          <op id="rsc1-monitor-sd" name="monitor" interval="20s" start-delay="5s"/>'},
  'ok', [('warning', '@OPS@', 0, '<op id="rsc1-monitor-sd">', 'start-delay')])
C('warn-op-interval-origin', {'@OPS@': '          <op id="rsc1-monitor-io" name="monitor" interval="1h" interval-origin="2020-01-01T00:00:00"/>'},
  'ok', [('warning', '@OPS@', 0, '<op id="rsc1-monitor-io">', 'interval-origin')])
C('warn-acls', {'@CONFIG@': '''    <acls>
      <acl_role id="ro">
        <acl_permission id="ro-read" kind="read" xpath="/cib"/>
      </acl_role>
    </acls>'''}, 'ok', [('warning', '@CONFIG@', 0, '<acls>', 'not enforced')])
C('warn-unknown-property', {'@PROPS@': prop('start-failure_is_fatal', 'false')}, 'ok',
  [('warning', '@PROPS@', 0, 'name="start-failure_is_fatal"', 'did you mean "start-failure-is-fatal"')])
C('accept-underscore-meta', {'@RESOURCES@': '''      <primitive id="rsc3" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="rsc3-meta">
          <nvpair id="rsc3-tr" name="target_role" value="stopped"/>
          <nvpair id="rsc3-stick" name="resource-stickiness" value="INFINITY"/>
        </meta_attributes>
      </primitive>'''}, 'ok', [])
C('accept-rules', {'@CONSTRAINTS@': '''      <rsc_location id="loc-rule" rsc="rsc2">
        <rule id="loc-rule-r" score="-INFINITY" boolean-op="or">
          <expression id="loc-rule-e1" attribute="pingd" operation="not_defined"/>
          <expression id="loc-rule-e2" attribute="pingd" operation="lt" value="1" type="integer"/>
          <rule id="loc-rule-r2" score="0">
            <expression id="loc-rule-e3" attribute="#uname" operation="eq" value="node2"/>
          </rule>
        </rule>
      </rsc_location>
      <rsc_colocation id="col" rsc="rsc2" with-rsc="rsc1" score="-INFINITY"/>
      <rsc_order id="ord" first="rsc1" then="rsc2" kind="Optional" symmetrical="false"/>'''}, 'ok', [])

# ---- malformed values (-FO_ESCHEMA)
C('bad-score', {}, 'schema', [('error', 'loc-rsc1', 0, '<rsc_location id="loc-rsc1">', 'score="abc"')],
  tweak=('score="100"', 'score="abc"'))
C('bad-interval', {}, 'schema', [('error', 'rsc1-monitor', 0, '<op id="rsc1-monitor">', 'interval')],
  tweak=('interval="10s"', 'interval="abc"'))
C('bad-timeout', {}, 'schema', [('error', 'rsc1-monitor', 0, '<op id="rsc1-monitor">', 'timeout')],
  tweak=('timeout="20s"', 'timeout="20 parsecs"'))
C('bad-validate-with', {}, 'schema', [('error', 'cib', 0, '<cib>', 'validate-with="pacemaker-4.0"')],
  tweak=('pacemaker-3.9', 'pacemaker-4.0'))
C('bad-root', {}, 'schema', [('error', 'cib', 0, '<configuration>', 'not a CIB')],
  tweak='root')
C('bad-duplicate-id', {'@RESOURCES@': '      <primitive id="rsc1" class="ocf" provider="pacemaker" type="Dummy"/>'},
  'schema', [('error', '@RESOURCES@', 0, '<primitive id="rsc1">', 'already used')])
C('bad-boolean', {}, 'schema', [('error', 'opt-stonith', 0, 'name="stonith-enabled"', 'boolean')],
  tweak=('value="false"', 'value="maybe"'))
C('bad-element', {'@RESOURCES@': '      <service id="svc1" type="sshd"/>'}, 'schema',
  [('error', '@RESOURCES@', 0, '<service id="svc1">', 'does not belong in <resources>')])
C('bad-missing-attribute', {'@RESOURCES@': '      <primitive id="rsc3" class="ocf" provider="pacemaker"/>'}, 'schema',
  [('error', '@RESOURCES@', 0, '<primitive id="rsc3">', 'attribute "type" is missing')])
C('bad-missing-with-rsc', {'@CONSTRAINTS@': '      <rsc_colocation id="col-x" rsc="rsc2" score="INFINITY"/>'}, 'schema',
  [('error', '@CONSTRAINTS@', 0, '<rsc_colocation id="col-x">', 'attribute "with-rsc" is missing')])
C('bad-unknown-attribute', {'@OPS@': '          <op id="rsc1-start" name="start" interval="0" timeout="30s" bogus="1"/>'}, 'schema',
  [('error', '@OPS@', 0, '<op id="rsc1-start">', 'attribute "bogus" is not part of <op>')])
C('bad-clone-two-resources', {'@RESOURCES@': '''      <clone id="c1">
        <primitive id="c1-a" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="c1-b" class="ocf" provider="pacemaker" type="Dummy"/>
      </clone>'''}, 'schema', [('error', '@RESOURCES@', 2, '<primitive id="c1-b">', '<clone> takes only one <primitive> or <group>')])
C('bad-missing-nodes', {}, 'schema', [('error', 'cib', 1, '<configuration>', '<configuration> needs <nodes>')],
  tweak=('''    <nodes>
      <node id="1" uname="node1"/>
      <node id="2" uname="node2"/>
    </nodes>
''', ''))
C('bad-legacy-default', {'@PROPS@': prop('default-resource-stickiness', '100')}, 'schema',
  [('error', '@PROPS@', 0, 'name="default-resource-stickiness"', 'move it to rsc_defaults as resource-stickiness')])
C('bad-legacy-name', {'@PROPS@': prop('no_quorum_policy', 'freeze')}, 'schema',
  [('error', '@PROPS@', 0, 'name="no_quorum_policy"', 'rename it to "no-quorum-policy"')])
C('none-bad-kind', {'@CONSTRAINTS@': '      <rsc_order id="o-foo" first="rsc1" then="rsc2" kind="foo"/>'}, 'ok',
  [('warning', 'cib', 0, '<cib>', 'validate-with="none"'), ('warning', '@CONSTRAINTS@', 0, '<rsc_order id="o-foo">', 'kind')],
  tweak=('pacemaker-3.9', 'none'))

os.makedirs(out, exist_ok=True)
rows = []
for name, ins, verdict, exp, tweak in cases:
    text = T
    marker_line = {}
    lines = text.split('\n')
    # find marker lines before insertion
    res = []
    for l in lines:
        s = l.strip()
        if s.startswith('@') and s.endswith('@'):
            if s in ins:
                marker_line[s] = len(res) + 1
                res.extend(ins[s].split('\n'))
            continue
        res.append(l)
    text = '\n'.join(res)
    if isinstance(tweak, tuple):
        assert tweak[0] in text
        text = text.replace(tweak[0], tweak[1], 1)
    elif tweak == 'root':
        a = text.index('  <configuration>'); b = text.index('</configuration>') + len('</configuration>')
        text = text[a+2:b] + '\n'
    # lines of named anchors
    tl = text.split('\n')
    def anchor(a):
        if a in marker_line: return marker_line[a]
        if a == 'cib':
            return 1
        for i, l in enumerate(tl):
            if 'id="%s"' % a in l: return i + 1
        raise Exception(a)
    path = os.path.join(out, name + '.xml')
    open(path, 'w').write(text)
    r = subprocess.run(['crm_verify', '-VV', '-x', name + '.xml'], capture_output=True, text=True, cwd=out)
    said = (r.stdout + r.stderr).strip().replace('--', '-')
    sl0 = said.split('\n')
    sl = [x for x in sl0 if 'Blind faith' not in x and 'lack of quorum' not in x]
    if len(sl) != len(sl0): sl.append('(and the warnings about disabled fencing and lack of quorum that every case here gets)')
    if len(sl) > 8: sl = sl[:8] + ['(%d more lines)' % (len(sl) - 8)]
    said = '\n'.join(sl)
    said = '\n'.join('     ' + x for x in said.split('\n')) if said else '     (no output)'
    with open(path, 'a') as f:
        f.write('<!--\n  %s: %s\n  crm_verify -VV -x %s.xml (Pacemaker 2.1.5) exited %d and said:\n%s\n-->\n' %
                (name, 'made by gen-cases.py from a snippet written by hand', name, r.returncode, said))
    if not exp:
        rows.append('%s\t%s\t-\t0\t-\t-' % (name + '.xml', verdict))
    for sev, a, off, elem, msg in exp:
        rows.append('%s\t%s\t%s\t%d\t%s\t%s' % (name + '.xml', verdict, sev, anchor(a) + off, elem, msg))
    print(name, r.returncode)
open(os.path.join(out, 'cases'), 'w').write(
 '# What check_schema expects of each CIB here (tab-separated):\n'
 '# file, verdict of cib_config_check (ok | schema | unsupported), then one\n'
 '# finding that must be among the diags: severity, line, text in the element\n'
 '# description, text in the message ("-": no finding to look for).\n'
 '# Lines are where the feature was written in the file, counted by hand.\n'
 '# Each file ends with what crm_verify (Pacemaker 2.1.5) said of it. Where\n'
 '# Pacemaker accepts and fo does not, the difference is by design:\n'
 '# refuse-*: features outside fo\'s subset (DESIGN.md "Semantics");\n'
 '# bad-interval, bad-timeout: Pacemaker accepts a time it cannot parse (an\n'
 '# interval becomes 0, which turns a monitor into a probe; a timeout falls\n'
 '# back to a default without a word); fo refuses the value instead. Every ok case is one Pacemaker\n'
 '# accepts too (exit 0, or 78 for warnings only), except none-bad-kind,\n'
 '# which copies the corpus case order-wrong-kind that Pacemaker also runs.\n'
 + '\n'.join(rows) + '\n')
