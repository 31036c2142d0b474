/*
 * res_edit.c - what fo-res writes into the configuration (pure).
 *
 * In: the live CIB and the words of one fo-res command. Out: a struct
 * cli_edit (the <change> for fo-crmd plus its description), or the reason
 * it cannot be done. The shapes are Pacemaker's: crm_resource's
 * cli-prefer-RSC / cli-ban-RSC-on-NODE location constraints and the
 * target-role meta attribute, so a Pacemaker user recognises them. The
 * primitive of a clone stands for its clone (as every instance of it);
 * a group member is never moved or banned alone. docs/cli.md has the rules.
 */
#include <string.h>

#include "cli.h"
#include "fo/xmlutil.h"

static bool
is_named(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static bool
is_resource(xmlNodePtr n)
{
	return is_named(n, "primitive") || is_named(n, "group") ||
	       is_named(n, "clone");
}

static xmlNodePtr
find_rsc(xmlDocPtr cib, const char *id, char **why)
{
	xmlNodePtr r = cli_find_id(cli_section(cib, "resources"), id);

	if (r && is_resource(r))
		return r;
	*why = g_strdup_printf("no resource '%s' in the configuration "
			       "(`fo-cib show resources` lists them)",
			       id);
	return NULL;
}

static char *
id_of(xmlNodePtr n)
{
	return cli_prop(n, "id");
}

/*
 * The resource a placement command acts on: the clone for a clone's
 * primitive, the resource itself otherwise. A group member is refused.
 */
static xmlNodePtr
placement_target(xmlDocPtr cib, const char *rsc, const char *cmd,
		 struct cli_edit *e, char **why)
{
	xmlNodePtr r = find_rsc(cib, rsc, why);
	g_autofree char *pid = NULL;

	if (r == NULL)
		return NULL;
	pid = id_of(r->parent);
	if (is_named(r->parent, "group")) {
		*why = g_strdup_printf("'%s' is a member of group '%s', which "
				       "is placed as a unit: fo-res %s %s "
				       "NODE",
				       rsc, pid, cmd, pid);
		return NULL;
	}
	if (is_named(r->parent, "clone")) {
		cli_edit_note(e,
			      "'%s' is the resource of clone '%s'; the "
			      "constraint is on '%s', for every instance",
			      rsc, pid, pid);
		return r->parent;
	}
	return r;
}

/* NODE must be a node the CIB knows; refuse with the list otherwise. */
static bool
known_node(xmlDocPtr cib, const char *node, char **why)
{
	g_autofree char *names = NULL;

	if (cli_node_by_name(cib, node) || cli_node_state(cib, node, NULL))
		return true;
	names = cli_node_names(cib);
	*why = g_strdup_printf("no node '%s' in the CIB (known nodes: %s)",
			       node, names);
	return false;
}

static xmlNodePtr
location(const char *id, const char *rsc, const char *node, const char *score)
{
	xmlNodePtr l = xmlNewNode(NULL, XC("rsc_location"));

	xmlNewProp(l, XC("id"), XC(id));
	xmlNewProp(l, XC("rsc"), XC(rsc));
	xmlNewProp(l, XC("role"), XC("Started"));
	xmlNewProp(l, XC("node"), XC(node));
	xmlNewProp(l, XC("score"), XC(score));
	return l;
}

static xmlNodePtr
constraint(xmlDocPtr cib, const char *id)
{
	xmlNodePtr c = cli_find_id(cli_section(cib, "constraints"), id);

	return is_named(c, "rsc_location") ? c : NULL;
}

static bool
in_list(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], s) == 0)
			return true;
	return false;
}

/* The one node @t runs on, from the status section; NULL and *why else. */
static char *
current_node(xmlDocPtr cib, xmlNodePtr t, const char *cmd, char **why)
{
	g_autofree char *tid = id_of(t);
	g_autofree char *first = NULL;
	GPtrArray *on;
	char *node = NULL;

	if (is_named(t, "clone")) {
		*why = g_strdup_printf("'%s' is a clone, which runs on many "
				       "nodes; name the node: fo-res %s %s "
				       "NODE",
				       tid, cmd, tid);
		return NULL;
	}
	if (is_named(t, "group"))
		first = id_of(cli_child(t, "primitive"));
	on = cli_res_active_nodes(cib, first ? first : tid);
	if (on->len == 1)
		node = g_strdup(on->pdata[0]);
	else if (on->len == 0)
		*why = g_strdup_printf(
			"the status section shows '%s' active on no node, "
			"so there is no current node to move it away from; "
			"name the node: fo-res %s %s NODE",
			tid, cmd, tid);
	else
		*why = g_strdup_printf("'%s' is active on %u nodes; name the "
				       "node: fo-res %s %s NODE",
				       tid, on->len, cmd, tid);
	g_ptr_array_unref(on);
	return node;
}

/*
 * "cli-ban-RSC-on-NODE", with every character an XML id cannot hold
 * replaced by '.', as Pacemaker sanitises the ids it builds.
 */
static char *
ban_id(const char *rsc, const char *node)
{
	char *id = g_strdup_printf("cli-ban-%s-on-%s", rsc, node);

	for (char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && strchr("_-.", *p) == NULL)
			*p = '.';
	return id;
}

static int
ban_target(xmlDocPtr cib, xmlNodePtr t, const char *node, struct cli_edit *e)
{
	g_autofree char *tid = id_of(t);
	g_autofree char *id = ban_id(tid, node);

	cli_edit_put(e, "constraints", location(id, tid, node, "-INFINITY"));
	cli_edit_note(e,
		      "'%s' cannot run on %s until you run `fo-res clear "
		      "%s`, even if %s is the last node left",
		      tid, node, tid, node);
	if (constraint(cib, id))
		cli_edit_note(e,
			      "this replaces the constraint '%s' that was "
			      "there",
			      id);
	e->undo = g_strdup_printf("fo-res clear %s", tid);
	return CLI_OK;
}

int
cli_res_ban(xmlDocPtr cib, const char *rsc, const char *node,
	    struct cli_edit *e, char **why)
{
	xmlNodePtr t = placement_target(cib, rsc, "ban", e, why);
	g_autofree char *cur = NULL;

	if (t == NULL)
		return CLI_ERROR;
	if (node == NULL &&
	    (node = cur = current_node(cib, t, "ban", why)) == NULL)
		return CLI_ERROR;
	if (!known_node(cib, node, why))
		return CLI_ERROR;
	return ban_target(cib, t, node, e);
}

int
cli_res_move(xmlDocPtr cib, const char *rsc, const char *node, bool force,
	     struct cli_edit *e, char **why)
{
	xmlNodePtr t = placement_target(cib, rsc, "move", e, why), old;
	g_autofree char *tid = NULL, *id = NULL, *ban = NULL, *prev = NULL;
	GPtrArray *on;
	bool there;

	if (t == NULL)
		return CLI_ERROR;
	tid = id_of(t);
	if (node == NULL) {
		g_autofree char *cur = current_node(cib, t, "move", why);

		if (cur == NULL)
			return CLI_ERROR;
		cli_edit_note(e,
			      "move without a node bans '%s' from the node "
			      "it runs on, %s",
			      tid, cur);
		return ban_target(cib, t, cur, e);
	}
	if (is_named(t, "clone")) {
		*why = g_strdup_printf("'%s' is a clone, which runs on every "
				       "node it may; keep it off a node with "
				       "fo-res ban %s NODE",
				       tid, tid);
		return CLI_ERROR;
	}
	if (!known_node(cib, node, why))
		return CLI_ERROR;
	on = cli_res_active_nodes(cib, tid);
	there = on->len == 1 && in_list(on, node);
	g_ptr_array_unref(on);
	if (there && !force) {
		*why = g_strdup_printf("'%s' is already active on %s; nothing "
				       "was changed (--force writes the "
				       "constraint anyway)",
				       tid, node);
		return CLI_ERROR;
	}
	id = g_strdup_printf("cli-prefer-%s", tid);
	old = constraint(cib, id);
	prev = cli_prop(old, "node");
	cli_edit_put(e, "constraints", location(id, tid, node, "INFINITY"));
	if (prev)
		cli_edit_note(e,
			      "this replaces the earlier move of '%s' to "
			      "%s",
			      tid, prev);
	ban = ban_id(tid, node);
	if ((old = constraint(cib, ban)) != NULL) {
		g_autofree char *s = cli_xml_string(old);

		cli_edit_delete(e, ban, s);
	}
	cli_edit_note(e,
		      "the constraint stays until you run `fo-res clear "
		      "%s`: until then '%s' runs on %s whenever %s can run "
		      "it, and moves back there after any failover",
		      tid, tid, node, node);
	e->undo = g_strdup_printf("fo-res clear %s", tid);
	return CLI_OK;
}

static bool
is_cli_constraint(const char *cid, const char *rsc)
{
	g_autofree char *prefer = g_strdup_printf("cli-prefer-%s", rsc);
	g_autofree char *ban = g_strdup_printf("cli-ban-%s-on-", rsc);

	return strcmp(cid, prefer) == 0 || g_str_has_prefix(cid, ban);
}

int
cli_res_clear(xmlDocPtr cib, const char *rsc, struct cli_edit *e, char **why)
{
	xmlNodePtr r = cli_find_id(cli_section(cib, "resources"), rsc);
	g_autofree char *clone = NULL;

	if (r && is_named(r->parent, "clone"))
		clone = id_of(r->parent);
	for (xmlNodePtr c = cli_child(cli_section(cib, "constraints"), NULL); c;
	     c = c->next) {
		g_autofree char *cid = id_of(c), *crsc = NULL, *s = NULL;

		if (!is_named(c, "rsc_location") || cid == NULL)
			continue;
		crsc = cli_prop(c, "rsc");
		if (g_strcmp0(crsc, rsc) != 0 && g_strcmp0(crsc, clone) != 0)
			continue;
		if (!is_cli_constraint(cid, crsc))
			continue;
		s = cli_xml_string(c);
		cli_edit_delete(e, cid, s);
	}
	if (cli_edit_empty(e)) {
		if (r == NULL || !is_resource(r)) {
			*why = g_strdup_printf("no resource '%s' and no move "
					       "or ban constraint for it",
					       rsc);
			return CLI_ERROR;
		}
		cli_edit_note(e,
			      "no move or ban constraint for '%s'; nothing "
			      "to remove",
			      rsc);
		return CLI_OK;
	}
	cli_edit_note(e,
		      "'%s' is placed again by the configured constraints "
		      "and stickiness alone",
		      rsc);
	return CLI_OK;
}

/* The value of @name in @r's first meta_attributes, or NULL. */
static char *
meta_value(xmlNodePtr r, const char *name)
{
	xmlNodePtr set = cli_child(r, "meta_attributes");

	for (xmlNodePtr nv = cli_child(set, "nvpair"); nv; nv = nv->next) {
		g_autofree char *n = cli_prop(nv, "name");

		if (is_named(nv, "nvpair") && g_strcmp0(n, name) == 0)
			return cli_prop(nv, "value");
	}
	return NULL;
}

/*
 * As crm_resource does for a meta attribute: every resource below @t that
 * has its own target-role gets the same value, since its own value would
 * otherwise override what it inherits from @t.
 */
static void
set_member_roles(xmlNodePtr t, const char *role, struct cli_edit *e)
{
	for (xmlNodePtr c = t->children; c; c = c->next) {
		g_autofree char *v = NULL, *cid = NULL;

		if (!is_resource(c))
			continue;
		set_member_roles(c, role, e);
		v = meta_value(c, "target-role");
		if (v == NULL)
			continue;
		cid = id_of(c);
		cli_edit_nvpair(e, cid, cid, "meta_attributes", "target-role",
				role);
		cli_edit_note(e,
			      "'%s' inside it had its own target-role=%s, "
			      "which would override the inherited one; set "
			      "too",
			      cid, v);
	}
}

int
cli_res_role(xmlDocPtr cib, const char *rsc, bool start, bool force,
	     struct cli_edit *e, char **why)
{
	const char *role = start ? "Started" : "Stopped";
	xmlNodePtr t = find_rsc(cib, rsc, why);
	g_autofree char *tid = NULL, *own = NULL;

	if (t == NULL)
		return CLI_ERROR;
	own = meta_value(t, "target-role");
	if (!force && own == NULL && is_named(t->parent, "clone")) {
		t = t->parent;
		tid = id_of(t);
		cli_edit_note(e,
			      "'%s' is the resource of clone '%s'; "
			      "target-role is set on the clone",
			      rsc, tid);
		g_clear_pointer(&tid, g_free);
	}
	tid = id_of(t);
	for (xmlNodePtr p = t->parent; start && is_resource(p); p = p->parent) {
		g_autofree char *v = meta_value(p, "target-role");
		g_autofree char *pid = id_of(p);

		if (v == NULL || g_ascii_strcasecmp(v, "Stopped") != 0)
			continue;
		if (!force) {
			*why = g_strdup_printf(
				"'%s' is in '%s', whose target-role=%s keeps "
				"it stopped whatever '%s' says; start the "
				"parent: fo-res start %s (--force sets it on "
				"'%s' anyway); nothing was changed",
				tid, pid, v, tid, pid, tid);
			return CLI_ERROR;
		}
		cli_edit_note(e,
			      "'%s' stays stopped while '%s' has "
			      "target-role=%s",
			      tid, pid, v);
	}
	cli_edit_nvpair(e, tid, tid, "meta_attributes", "target-role", role);
	if (!force)
		set_member_roles(t, role, e);
	cli_edit_note(e, "target-role=%s stays until `fo-res %s %s`", role,
		      start ? "stop" : "start", tid);
	e->undo =
		g_strdup_printf("fo-res %s %s", start ? "stop" : "start", tid);
	return CLI_OK;
}

/* An id the schema takes (an XML NCName, ASCII only). */
static bool
valid_id(const char *s)
{
	if (!g_ascii_isalpha(*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && strchr("_-.", *s) == NULL)
			return false;
	return true;
}

/* Append <nvpair id="SET-NAME"> to @set; refuse a name given twice. */
static int
add_nvpair(xmlNodePtr set, const char *arg, const char *where, char **why)
{
	g_autofree char *name = NULL, *value = NULL, *sid = NULL, *id = NULL;
	xmlNodePtr nv;

	if (cli_nvpair_parse(arg, &name, &value) != 0) {
		*why = g_strdup_printf("'%s' %s is not name=value", arg, where);
		return CLI_USAGE;
	}
	sid = id_of(set);
	id = g_strdup_printf("%s-%s", sid, name);
	if (cli_find_id(set, id)) {
		*why = g_strdup_printf("'%s' is given twice %s", name, where);
		return CLI_USAGE;
	}
	nv = xmlNewChild(set, NULL, XC("nvpair"), NULL);
	xmlNewProp(nv, XC("id"), XC(id));
	xmlNewProp(nv, XC("name"), XC(name));
	xmlNewProp(nv, XC("value"), XC(value));
	return CLI_OK;
}

static xmlNodePtr
ensure_set(xmlNodePtr prim, const char *kind)
{
	g_autofree char *pid = id_of(prim);
	g_autofree char *sid = g_strdup_printf("%s-%s", pid, kind);
	xmlNodePtr set = cli_child(prim, kind);

	if (set == NULL) {
		set = xmlNewChild(prim, NULL, XC(kind), NULL);
		xmlNewProp(set, XC("id"), XC(sid));
	}
	return set;
}

/* CLASS:PROVIDER:TYPE, or lsb:TYPE / stonith:TYPE. */
static int
set_agent(xmlNodePtr prim, const char *spec, char **why)
{
	g_auto(GStrv) p = g_strsplit(spec, ":", 0);
	guint n = g_strv_length(p);

	if (n >= 1 && strcmp(p[0], "ocf") != 0 && strcmp(p[0], "lsb") != 0 &&
	    strcmp(p[0], "stonith") != 0) {
		*why = g_strdup_printf("unknown agent class '%s' in '%s': fo "
				       "runs ocf, lsb and stonith agents "
				       "(e.g. ocf:heartbeat:Dummy, lsb:cron)",
				       p[0], spec);
		return CLI_USAGE;
	}
	if (n < 2 || (strcmp(p[0], "ocf") == 0) != (n == 3) || n > 3 ||
	    *p[n - 1] == '\0' || (n == 3 && *p[1] == '\0')) {
		*why = g_strdup_printf("'%s' is not an agent: write "
				       "ocf:PROVIDER:TYPE, lsb:TYPE or "
				       "stonith:TYPE",
				       spec);
		return CLI_USAGE;
	}
	xmlNewProp(prim, XC("class"), XC(p[0]));
	if (n == 3)
		xmlNewProp(prim, XC("provider"), XC(p[1]));
	xmlNewProp(prim, XC("type"), XC(p[n - 1]));
	return CLI_OK;
}

/* A duration attribute of an op: present, a duration, and in range. */
static int
op_duration(xmlNodePtr op, const char *attr, const char *opname, guint64 *ms,
	    char **why)
{
	g_autofree char *v = cli_prop(op, attr);

	if (v && cli_duration_ms(v, ms) == 0)
		return CLI_OK;
	*why = g_strdup_printf("op %s: %s='%s' is not a duration (e.g. 10s, "
			       "2min, 500ms, PT10S)",
			       opname, attr, v ? v : "");
	return CLI_USAGE;
}

/*
 * Rebuild @op's attributes in Pacemaker's order: id, name, interval, then
 * the others as given. @interval may be NULL (then "0s").
 */
static void
order_op(xmlNodePtr op, const char *id, const char *name, const char *interval)
{
	GPtrArray *rest = g_ptr_array_new_with_free_func(g_free);

	for (xmlAttrPtr a = op->properties; a; a = a->next) {
		const char *n = (const char *)a->name;

		if (strcmp(n, "id") == 0 || strcmp(n, "name") == 0 ||
		    strcmp(n, "interval") == 0)
			continue;
		g_ptr_array_add(rest, g_strdup(n));
		g_ptr_array_add(rest, cli_prop(op, n));
	}
	while (op->properties)
		xmlRemoveProp(op->properties);
	xmlNewProp(op, XC("id"), XC(id));
	xmlNewProp(op, XC("name"), XC(name));
	xmlNewProp(op, XC("interval"), XC(interval ? interval : "0s"));
	for (guint i = 0; i + 1 < rest->len; i += 2)
		xmlNewProp(op, XC(rest->pdata[i]), XC(rest->pdata[i + 1]));
	g_ptr_array_unref(rest);
}

/* Check one finished <op> and give it its id NAME-interval-INTERVAL. */
static int
finish_op(xmlNodePtr ops, xmlNodePtr op, const char *rsc, char **why)
{
	g_autofree char *name = cli_prop(op, "name");
	g_autofree char *interval = cli_prop(op, "interval");
	g_autofree char *id = NULL;
	bool monitor = strcmp(name, "monitor") == 0;
	guint64 ms = 0, tmo;
	int rc;

	if (interval == NULL && monitor) {
		*why = g_strdup("op monitor needs interval= (e.g. op monitor "
				"interval=10s timeout=20s)");
		return CLI_USAGE;
	}
	if (interval && (rc = op_duration(op, "interval", name, &ms, why)))
		return rc;
	if (monitor && ms == 0) {
		*why = g_strdup("op monitor: interval must be above 0 (the "
				"one-off check, the probe, is run by fo "
				"itself)");
		return CLI_USAGE;
	}
	if (!monitor && ms != 0) {
		*why = g_strdup_printf("op %s: only monitors recur; leave "
				       "out interval= or make it 0",
				       name);
		return CLI_USAGE;
	}
	if (xmlHasProp(op, XC("timeout")) &&
	    ((rc = op_duration(op, "timeout", name, &tmo, why)) != 0 ||
	     tmo == 0)) {
		if (rc == 0)
			*why = g_strdup_printf("op %s: timeout must be above "
					       "0",
					       name);
		return CLI_USAGE;
	}
	id = g_strdup_printf("%s-%s-interval-%s", rsc, name,
			     interval ? interval : "0s");
	if (cli_find_id(ops, id)) {
		*why = g_strdup_printf("op %s interval=%s is given twice", name,
				       interval ? interval : "0s");
		return CLI_USAGE;
	}
	order_op(op, id, name, interval);
	return CLI_OK;
}

static xmlNodePtr
new_op(xmlNodePtr prim, const char *name)
{
	xmlNodePtr ops = cli_child(prim, "operations");
	xmlNodePtr op;

	if (ops == NULL)
		ops = xmlNewChild(prim, NULL, XC("operations"), NULL);
	op = xmlNewChild(ops, NULL, XC("op"), NULL);
	xmlNewProp(op, XC("name"), XC(name));
	return op;
}

/* The name=value words after the agent, into @prim. */
static int
add_words(xmlNodePtr prim, const char *id, int argc, char *const *argv,
	  char **why)
{
	xmlNodePtr op = NULL, set = NULL;
	int rc = CLI_OK;

	for (int i = 0; i < argc && rc == CLI_OK; i++) {
		g_autofree char *name = NULL, *value = NULL;
		g_autofree char *where = NULL;

		if (strcmp(argv[i], "op") == 0 ||
		    strcmp(argv[i], "meta") == 0) {
			if (op)
				rc = finish_op(op->parent, op, id, why);
			op = NULL;
			set = NULL;
			if (rc != CLI_OK)
				break;
			if (strcmp(argv[i], "meta") == 0) {
				set = ensure_set(prim, "meta_attributes");
				continue;
			}
			if (i + 1 >= argc || strchr(argv[i + 1], '=')) {
				*why = g_strdup("'op' must be followed by "
						"the operation's name (e.g. "
						"op monitor interval=10s)");
				return CLI_USAGE;
			}
			op = new_op(prim, argv[++i]);
			continue;
		}
		if (op) {
			if (cli_nvpair_parse(argv[i], &name, &value) != 0) {
				*why = g_strdup_printf("'%s' after op is not "
						       "name=value",
						       argv[i]);
				return CLI_USAGE;
			}
			if (strcmp(name, "id") == 0 ||
			    xmlHasProp(op, XC(name))) {
				*why = g_strdup_printf("op: '%s' given twice "
						       "or not settable",
						       name);
				return CLI_USAGE;
			}
			xmlNewProp(op, XC(name), XC(value));
			continue;
		}
		where = g_strdup(set ? "in meta" : "in the parameters");
		rc = add_nvpair(set ? set
				    : ensure_set(prim, "instance_attributes"),
				argv[i], where, why);
	}
	if (rc == CLI_OK && op)
		rc = finish_op(op->parent, op, id, why);
	return rc;
}

int
cli_res_add(xmlDocPtr cib, int argc, char *const *argv, struct cli_edit *e,
	    char **why)
{
	const char *id;
	xmlNodePtr prim, ia, ma, ops;
	int rc;

	if (argc < 2) {
		*why = g_strdup("add needs ID and CLASS:PROVIDER:TYPE");
		return CLI_USAGE;
	}
	id = argv[0];
	if (!valid_id(id)) {
		*why = g_strdup_printf("'%s' is not a valid id (a letter or "
				       "'_' first, then letters, digits, "
				       "'_', '-', '.')",
				       id);
		return CLI_USAGE;
	}
	if (cli_find_id(cli_section(cib, "configuration"), id)) {
		*why = g_strdup_printf("the id '%s' is already used in the "
				       "configuration; nothing was changed",
				       id);
		return CLI_ERROR;
	}
	prim = xmlNewNode(NULL, XC("primitive"));
	xmlNewProp(prim, XC("id"), XC(id));
	rc = set_agent(prim, argv[1], why);
	if (rc == CLI_OK)
		rc = add_words(prim, id, argc - 2, argv + 2, why);
	if (rc != CLI_OK) {
		xmlFreeNode(prim);
		return rc;
	}
	/* Pacemaker's order: parameters, meta attributes, operations. */
	ia = cli_child(prim, "instance_attributes");
	ma = cli_child(prim, "meta_attributes");
	ops = cli_child(prim, "operations");
	for (xmlNodePtr s = ia ? ia : ma; s; s = NULL) {
		xmlUnlinkNode(s);
		xmlAddChild(prim, s);
	}
	if (ia && ma) {
		xmlUnlinkNode(ma);
		xmlAddChild(prim, ma);
	}
	if (ops) {
		xmlUnlinkNode(ops);
		xmlAddChild(prim, ops);
	}
	cli_edit_put(e, "resources", prim);
	e->undo = g_strdup_printf("fo-res delete %s", id);
	return CLI_OK;
}

/* Does @c name one of @ids in rsc, with-rsc, first or then? */
static bool
references(xmlNodePtr c, GPtrArray *ids)
{
	static const char *const attrs[] = {"rsc", "with-rsc", "first", "then",
					    NULL};

	for (int i = 0; attrs[i]; i++) {
		g_autofree char *v = cli_prop(c, attrs[i]);

		if (v && in_list(ids, v))
			return true;
	}
	return false;
}

static void
collect_ids(xmlNodePtr r, GPtrArray *ids)
{
	if (!is_resource(r))
		return;
	g_ptr_array_add(ids, id_of(r));
	for (xmlNodePtr c = r->children; c; c = c->next)
		collect_ids(c, ids);
}

int
cli_res_delete(xmlDocPtr cib, const char *rsc, bool force, struct cli_edit *e,
	       char **why)
{
	xmlNodePtr r = find_rsc(cib, rsc, why), p;
	GPtrArray *ids, *refs;
	g_autofree char *pid = NULL, *s = NULL;
	int rc = CLI_OK;

	if (r == NULL)
		return CLI_ERROR;
	p = r->parent;
	pid = id_of(p);
	if (is_named(p, "clone") || is_named(p, "group")) {
		bool only = true;

		for (xmlNodePtr c = p->children; c; c = c->next)
			if (c != r && is_resource(c))
				only = false;
		if (only) {
			*why = g_strdup_printf("'%s' is the only resource of "
					       "%s '%s'; delete that instead: "
					       "fo-res delete %s",
					       rsc, (const char *)p->name, pid,
					       pid);
			return CLI_ERROR;
		}
	}
	ids = g_ptr_array_new_with_free_func(g_free);
	refs = g_ptr_array_new();
	collect_ids(r, ids);
	for (xmlNodePtr c = cli_child(cli_section(cib, "constraints"), NULL); c;
	     c = c->next)
		if (c->type == XML_ELEMENT_NODE && references(c, ids))
			g_ptr_array_add(refs, c);
	if (refs->len && !force) {
		GString *l = g_string_new(NULL);

		for (guint i = 0; i < refs->len; i++) {
			xmlNodePtr c = refs->pdata[i];
			g_autofree char *cid = id_of(c);

			g_string_append_printf(l, "%s<%s id=\"%s\">",
					       i ? ", " : "",
					       (const char *)c->name, cid);
		}
		*why = g_strdup_printf("'%s' is named by %u constraint(s): "
				       "%s; remove them first, or use "
				       "--force to delete them with it; "
				       "nothing was changed",
				       rsc, refs->len, l->str);
		g_string_free(l, TRUE);
		rc = CLI_ERROR;
		goto out;
	}
	for (guint i = 0; i < refs->len; i++) {
		g_autofree char *cid = id_of(refs->pdata[i]);
		g_autofree char *cs = cli_xml_string(refs->pdata[i]);

		cli_edit_delete(e, cid, cs);
	}
	s = cli_xml_string(r);
	cli_edit_delete(e, rsc, s);
	cli_edit_note(e, "to get it back: `fo-cib history` lists the stored "
			 "versions, `fo-cib rollback SERIAL` restores one");
out:
	g_ptr_array_unref(refs);
	g_ptr_array_unref(ids);
	return rc;
}

/* Is the last operation of this lrm_resource one that leaves it active? */
static bool
lrm_active(xmlNodePtr lr)
{
	xmlNodePtr last = NULL;
	gint64 best = G_MININT64;
	g_autofree char *op = NULL, *rc = NULL;

	for (xmlNodePtr o = cli_child(lr, "lrm_rsc_op"); o; o = o->next) {
		g_autofree char *cid = cli_prop(o, "call-id");
		gint64 v = cid ? g_ascii_strtoll(cid, NULL, 10) : -1;

		if (is_named(o, "lrm_rsc_op") && v >= best) {
			best = v;
			last = o;
		}
	}
	if (last == NULL)
		return false;
	op = cli_prop(last, "operation");
	rc = cli_prop(last, "rc-code");
	if (g_strcmp0(rc, "7") == 0)
		return false;
	return !(g_strcmp0(op, "stop") == 0 && g_strcmp0(rc, "0") == 0);
}

GPtrArray *
cli_res_active_nodes(xmlDocPtr cib, const char *rsc)
{
	GPtrArray *on = g_ptr_array_new_with_free_func(g_free);

	for (xmlNodePtr ns = cli_child(cli_section(cib, "status"), NULL); ns;
	     ns = ns->next) {
		xmlNodePtr lrm = cli_child(ns, "lrm");
		xmlNodePtr lr =
			cli_child(cli_child(lrm, "lrm_resources"), NULL);

		if (!is_named(ns, "node_state"))
			continue;
		for (; lr; lr = lr->next) {
			g_autofree char *id = id_of(lr);

			if (is_named(lr, "lrm_resource") &&
			    g_strcmp0(id, rsc) == 0 && lrm_active(lr)) {
				g_ptr_array_add(on, cli_prop(ns, "uname"));
				break;
			}
		}
	}
	return on;
}
