/*
 * schema_subset.c - which parts of a configuration fo implements.
 *
 * Stage: the second pass of cib_config_check() (schema.c). In: the copied
 * <cib>. Out: findings through cib__chk_diag(). A feature whose meaning fo
 * does not implement and that would change placement or safety is refused
 * (an error naming the element; the top-level item that holds it is taken
 * out of the copy so the schema pass stays quiet about it). A setting that
 * only annotates or tunes what fo does not have is named in a warning.
 * Nothing is ignored silently: unknown properties and meta attributes are
 * warnings too. The tables below are the subset; docs/schema.md lists it
 * for users. Walk order is document order, so findings are reproducible.
 */
#include <stdarg.h>
#include <string.h>

#include "schema_int.h"

/* How fo treats one cluster property, meta attribute or op setting. */
enum set_kind {
	SET_FREE,      /* implemented, any text */
	SET_BOOL,      /* implemented, a boolean */
	SET_SCORE,     /* implemented, a score */
	SET_DURATION,  /* implemented, a time */
	SET_COUNT,     /* implemented, a non-negative integer */
	SET_ENUM,      /* implemented: ok; refused: refused (why); else bad */
	SET_ROLE,      /* target-role / role: Started, Stopped */
	SET_FALSE,     /* only false is implemented; true is refused (why) */
	SET_TRUE_WARN, /* true (the default) warns; false is refused (why) */
	SET_WARN,      /* accepted, no effect in fo (why) */
	SET_REFUSE     /* refused (why) */
};

struct setting {
	const char *name;
	enum set_kind kind;
	const char *ok;	     /* SET_ENUM: accepted values, "|"-separated */
	const char *refused; /* SET_ENUM: refused values */
	const char *why;
};

#define TIMING "a timing of Pacemaker's controller, which fo does not have"
#define FENCING "a fencing tuning that fo does not implement"
#define NOTREAD "written by Pacemaker's tools; fo does not read it"
#define PROMOTE "promotable clones are not supported by fo"
#define REMOTE "remote and guest nodes are not supported by fo"

static const struct setting cluster_props[] = {
	{"stonith-enabled", SET_BOOL, NULL, NULL, NULL},
	{"no-quorum-policy", SET_ENUM, "stop|freeze|ignore", "suicide|demote",
	 "fo does not implement this policy"},
	{"symmetric-cluster", SET_BOOL, NULL, NULL, NULL},
	{"start-failure-is-fatal", SET_BOOL, NULL, NULL, NULL},
	{"cluster-recheck-interval", SET_DURATION, NULL, NULL, NULL},
	{"maintenance-mode", SET_BOOL, NULL, NULL, NULL},
	{"stop-all-resources", SET_BOOL, NULL, NULL, NULL},
	{"stop-grace", SET_DURATION, NULL, NULL, NULL},
	/* Pacemaker's corpus case orphan-0 needs these. */
	{"stop-orphan-resources", SET_BOOL, NULL, NULL, NULL},
	{"stop-orphan-actions", SET_BOOL, NULL, NULL, NULL},
	{"placement-strategy", SET_ENUM, "default",
	 "utilization|minimal|balanced",
	 "utilization-based placement is not supported by fo"},
	{"node-health-strategy", SET_ENUM, "none",
	 "migrate-on-red|only-green|progressive|custom",
	 "node health strategies are not supported by fo"},
	{"shutdown-lock", SET_FALSE, NULL, NULL,
	 "shutdown locks are not supported by fo"},
	{"dc-version", SET_WARN, NULL, NULL, NOTREAD},
	{"last-lrm-refresh", SET_WARN, NULL, NULL, NOTREAD},
	{"cluster-infrastructure", SET_WARN, NULL, NULL,
	 "fo always runs on corosync"},
	{"cluster-name", SET_WARN, NULL, NULL,
	 "fo does not use a cluster name"},
	{"batch-limit", SET_WARN, NULL, NULL,
	 "fo does not limit how many actions run in parallel"},
	{"node-action-limit", SET_WARN, NULL, NULL,
	 "fo does not limit how many actions run in parallel"},
	{"load-threshold", SET_WARN, NULL, NULL,
	 "fo does not throttle actions by load"},
	{"migration-limit", SET_WARN, NULL, NULL,
	 "fo does not live-migrate resources"},
	{"cluster-delay", SET_WARN, NULL, NULL, TIMING},
	{"dc-deadtime", SET_WARN, NULL, NULL, TIMING},
	{"election-timeout", SET_WARN, NULL, NULL, TIMING},
	{"shutdown-escalation", SET_WARN, NULL, NULL, TIMING},
	{"join-integration-timeout", SET_WARN, NULL, NULL, TIMING},
	{"join-finalization-timeout", SET_WARN, NULL, NULL, TIMING},
	{"transition-delay", SET_WARN, NULL, NULL, TIMING},
	{"crmd-transition-delay", SET_WARN, NULL, NULL, TIMING},
	{"crmd-integration-timeout", SET_WARN, NULL, NULL, TIMING},
	{"crmd-finalization-timeout", SET_WARN, NULL, NULL, TIMING},
	{"transition-idle-timeout", SET_WARN, NULL, NULL, TIMING},
	{"node-pending-timeout", SET_WARN, NULL, NULL, TIMING},
	{"cluster-ipc-limit", SET_WARN, NULL, NULL, TIMING},
	{"pe-input-series-max", SET_WARN, NULL, NULL,
	 "fo keeps its own configuration history"},
	{"pe-error-series-max", SET_WARN, NULL, NULL,
	 "fo keeps its own configuration history"},
	{"pe-warn-series-max", SET_WARN, NULL, NULL,
	 "fo keeps its own configuration history"},
	{"stonith-action", SET_WARN, NULL, NULL, FENCING},
	{"stonith-timeout", SET_WARN, NULL, NULL, FENCING},
	{"stonith-max-attempts", SET_WARN, NULL, NULL, FENCING},
	{"stonith-watchdog-timeout", SET_WARN, NULL, NULL, FENCING},
	{"concurrent-fencing", SET_WARN, NULL, NULL, FENCING},
	{"fence-reaction", SET_WARN, NULL, NULL, FENCING},
	{"priority-fencing-delay", SET_WARN, NULL, NULL, FENCING},
	{"startup-fencing", SET_WARN, NULL, NULL, FENCING},
	{"have-watchdog", SET_WARN, NULL, NULL, NOTREAD},
	{"enable-acl", SET_WARN, NULL, NULL, "fo does not enforce ACLs"},
	{"enable-startup-probes", SET_WARN, NULL, NULL, "fo always probes"},
	{"remove-after-stop", SET_WARN, NULL, NULL,
	 "fo does not remove stopped resources from the status"},
	{"shutdown-lock-limit", SET_WARN, NULL, NULL,
	 "shutdown locks are not supported by fo"},
	{"expected-quorum-votes", SET_WARN, NULL, NULL,
	 "quorum comes from corosync"},
	{"notification-agent", SET_WARN, NULL, NULL,
	 "fo does not run alert agents"},
	{"notification-recipient", SET_WARN, NULL, NULL,
	 "fo does not run alert agents"},
	{NULL, 0, NULL, NULL, NULL}};

/*
 * Pacemaker 1.x names of cluster properties. Pacemaker honours them only by
 * rewriting a CIB whose validate-with is older than pacemaker-3.0 (its 3.x
 * schema rejects them), so fo asks for the current form instead of
 * guessing. fix NULL: the new name is the old one with '-' for '_'.
 */
static const struct {
	const char *old, *fix;
} legacy_props[] = {
	{"cluster_recheck_interval", NULL},
	{"dc_deadtime", NULL},
	{"election_timeout", NULL},
	{"no_quorum_policy", NULL},
	{"remove_after_stop", NULL},
	{"shutdown_escalation", NULL},
	{"startup_fencing", NULL},
	{"stonith_action", NULL},
	{"stonith_enabled", NULL},
	{"stop_orphan_actions", NULL},
	{"stop_orphan_resources", NULL},
	{"symmetric_cluster", NULL},
	{"transition_idle_timeout", NULL},
	{"default-resource-stickiness",
	 "move it to rsc_defaults as resource-stickiness"},
	{"default_resource_stickiness",
	 "move it to rsc_defaults as resource-stickiness"},
	{"is-managed-default", "move it to rsc_defaults as is-managed"},
	{"is_managed_default", "move it to rsc_defaults as is-managed"},
	{"default-action-timeout", "move it to op_defaults as timeout"},
	{"default_action_timeout", "move it to op_defaults as timeout"},
	{"default-migration-threshold",
	 "set migration-threshold in rsc_defaults instead"},
	{"default_migration_threshold",
	 "set migration-threshold in rsc_defaults instead"},
	{"default-resource-failure-stickiness",
	 "set migration-threshold in rsc_defaults instead"},
	{"default_resource_failure_stickiness",
	 "set migration-threshold in rsc_defaults instead"},
	{NULL, NULL}};

/* Resource meta attributes (and rsc_defaults); '_' is read as '-'. */
static const struct setting rsc_meta[] = {
	{"target-role", SET_ROLE, NULL, NULL, NULL},
	{"is-managed", SET_BOOL, NULL, NULL, NULL},
	{"maintenance", SET_BOOL, NULL, NULL, NULL},
	{"resource-stickiness", SET_SCORE, NULL, NULL, NULL},
	{"priority", SET_SCORE, NULL, NULL, NULL},
	{"migration-threshold", SET_SCORE, NULL, NULL, NULL},
	{"failure-timeout", SET_DURATION, NULL, NULL, NULL},
	{"clone-max", SET_COUNT, NULL, NULL, NULL},
	{"clone-node-max", SET_COUNT, NULL, NULL, NULL},
	{"interleave", SET_BOOL, NULL, NULL, NULL},
	{"globally-unique", SET_FALSE, NULL, NULL,
	 "globally unique clones are not supported by fo (anonymous clones "
	 "are)"},
	{"promotable", SET_FALSE, NULL, NULL, PROMOTE},
	{"multiple-active", SET_WARN, NULL, NULL,
	 "fo applies its own recovery when a resource is active on more than "
	 "one node"},
	{"restart-type", SET_WARN, NULL, NULL,
	 "a deprecated Pacemaker setting"},
	{"resource-failure-stickiness", SET_WARN, NULL, NULL,
	 "a deprecated Pacemaker setting; use migration-threshold"},
	{"requires", SET_WARN, NULL, NULL,
	 "fo decides by its own safety rules when a resource may start"},
	{"allow-migrate", SET_WARN, NULL, NULL,
	 "fo does not live-migrate; it stops and starts instead"},
	{"notify", SET_WARN, NULL, NULL,
	 "fo does not send clone notifications"},
	{"critical", SET_BOOL, NULL, NULL, NULL},
	{"clone-min", SET_WARN, NULL, NULL, "fo does not implement clone-min"},
	{"allow-unhealthy-nodes", SET_WARN, NULL, NULL,
	 "node health strategies are not supported by fo"},
	{"promoted-max", SET_WARN, NULL, NULL,
	 "only promotable clones read it, and fo has none"},
	{"promoted-node-max", SET_WARN, NULL, NULL,
	 "only promotable clones read it, and fo has none"},
	{"master-max", SET_WARN, NULL, NULL,
	 "only promotable clones read it, and fo has none"},
	{"master-node-max", SET_WARN, NULL, NULL,
	 "only promotable clones read it, and fo has none"},
	{"remote-node", SET_REFUSE, NULL, NULL, REMOTE},
	{"remote-port", SET_REFUSE, NULL, NULL, REMOTE},
	{"remote-addr", SET_REFUSE, NULL, NULL, REMOTE},
	{"remote-connect-timeout", SET_REFUSE, NULL, NULL, REMOTE},
	{"remote-allow-migrate", SET_REFUSE, NULL, NULL, REMOTE},
	{"container", SET_REFUSE, NULL, NULL, REMOTE},
	{"container-attribute-target", SET_REFUSE, NULL, NULL, REMOTE},
	{NULL, 0, NULL, NULL, NULL}};

/* A group's ordered/collocated: only their default, true, is implemented. */
static const struct setting group_meta[] = {
	{"ordered", SET_TRUE_WARN, NULL, NULL,
	 "unordered groups are not supported by fo"},
	{"collocated", SET_TRUE_WARN, NULL, NULL,
	 "groups that are not collocated are not supported by fo"},
	{NULL, 0, NULL, NULL, NULL}};

/* A clone's ordered: a start-up tuning. */
static const struct setting clone_meta[] = {
	{"ordered", SET_WARN, NULL, NULL,
	 "fo starts clone instances in parallel"},
	{NULL, 0, NULL, NULL, NULL}};

/* Operation attributes, op meta attributes and op_defaults. */
static const struct setting op_settings[] = {
	{"id", SET_FREE, NULL, NULL, NULL},
	{"name", SET_FREE, NULL, NULL, NULL},
	{"description", SET_FREE, NULL, NULL, NULL},
	{"interval", SET_DURATION, NULL, NULL, NULL},
	{"timeout", SET_DURATION, NULL, NULL, NULL},
	{"enabled", SET_BOOL, NULL, NULL, NULL},
	{"role", SET_ROLE, NULL, NULL, NULL},
	{"on-fail", SET_ENUM, "ignore|block|stop|restart|standby|fence",
	 "demote|restart-container", "fo has no promotable clones or bundles"},
	{"start-delay", SET_WARN, NULL, NULL,
	 "fo starts recurring operations at once"},
	{"interval-origin", SET_WARN, NULL, NULL,
	 "fo schedules recurring operations from their start"},
	{"record-pending", SET_WARN, NULL, NULL,
	 "fo does not record pending operations in the status"},
	{"requires", SET_WARN, NULL, NULL,
	 "fo decides by its own safety rules when a resource may start"},
	{NULL, 0, NULL, NULL, NULL}};

/* Elements refused wherever they appear in the configuration. */
static const struct {
	const char *name;
	const char *why;
	const char *todo; /* NULL: remove it or run it under Pacemaker */
} refused_elements[] = {
	{"rsc_ticket", "tickets (rsc_ticket) are not supported by fo", NULL},
	{"bundle", "bundles are not supported by fo", NULL},
	{"master", "promotable clones (master) are not supported by fo", NULL},
	{"template", "resource templates are not supported by fo",
	 "write each primitive out in full"},
	{"resource_set", "resource sets are not supported by fo",
	 "write one constraint per pair of resources instead"},
	{"utilization", "utilization is not supported by fo", NULL},
	{"fencing-topology", "fencing topology is not supported by fo", NULL},
	{"tags", "tags are not supported by fo", NULL},
	{"date_expression", "date rules are not supported by fo", NULL},
	{"date_spec", "date rules are not supported by fo", NULL},
	{"duration", "date rules are not supported by fo", NULL},
	{"rsc_expression",
	 "resource expressions in rules are not supported by fo", NULL},
	{"op_expression",
	 "operation expressions in rules are not supported by fo", NULL},
	{"lifetime",
	 "constraint lifetimes (date rules) are not supported by fo", NULL},
	{NULL, NULL, NULL}};

/* Where a set of name/value pairs sits, which decides its names. */
enum nv_owner {
	NV_PROPS,     /* cluster_property_set */
	NV_NODE,      /* node instance_attributes: node attributes */
	NV_PARAMS,    /* resource instance_attributes: agent parameters */
	NV_OP_PARAMS, /* op instance_attributes */
	NV_RSC_META,  /* primitive meta_attributes, rsc_defaults */
	NV_GROUP_META,
	NV_CLONE_META,
	NV_OP_META /* op meta_attributes, op_defaults */
};

static const char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);

	if (a == NULL || a->children == NULL ||
	    a->children->type != XML_TEXT_NODE)
		return a != NULL ? "" : NULL;
	return a->children->content != NULL ? (const char *)a->children->content
					    : "";
}

static bool
is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       xmlStrEqual(n->name, (const xmlChar *)name);
}

/* Is value one of the "|"-separated words in list? */
static bool
in_list(const char *list, const char *value)
{
	size_t len = strlen(value);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *bar = strchr(p, '|');
		size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);

		if (n == len && strncmp(p, value, n) == 0)
			return true;
		p = bar != NULL ? bar + 1 : NULL;
	}
	return false;
}

bool
cib__parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "on", "yes", "y", "1"};
	static const char *const no[] = {"false", "off", "no", "n", "0"};
	size_t i;

	for (i = 0; s != NULL && i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (g_ascii_strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool
cib__is_count(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s))
			return false;
	return true;
}

bool
cib__is_score(const char *s)
{
	if (s == NULL)
		return false;
	if (*s == '+' || *s == '-')
		s++;
	return strcmp(s, "INFINITY") == 0 || cib__is_count(s);
}

/*
 * A score as a value of a name/value pair: what Pacemaker reads there is
 * wider than the score attributes' schema type. INFINITY in any case, and
 * a decimal fraction, which Pacemaker cuts off ("1.0" is 1).
 */
static bool
is_score_value(const char *s)
{
	const char *dot;
	char *whole;
	bool ok;

	if (*s == '+' || *s == '-')
		s++;
	if (g_ascii_strcasecmp(s, "INFINITY") == 0)
		return true;
	dot = strchr(s, '.');
	if (dot == NULL)
		return cib__is_count(s);
	whole = g_strndup(s, (gsize)(dot - s));
	ok = cib__is_count(whole) && cib__is_count(dot + 1);
	g_free(whole);
	return ok;
}

static const char *
skip_digits(const char *s)
{
	if (!g_ascii_isdigit(*s))
		return NULL;
	while (g_ascii_isdigit(*s))
		s++;
	return s;
}

/* Units in the given order, each at most once: "3Y2M" for "YMWD". */
static const char *
skip_iso_part(const char *s, const char *units)
{
	const char *q, *u;

	while ((q = skip_digits(s)) != NULL && *q != '\0' &&
	       (u = strchr(units, *q)) != NULL) {
		units = u + 1;
		s = q + 1;
	}
	return s;
}

/* An ISO 8601 duration: P[nY][nM][nW][nD][T[nH][nM][nS]]. */
static const char *
skip_iso_duration(const char *s)
{
	s = skip_iso_part(s + 1, "YMWD");
	if (*s == 'T')
		s = skip_iso_part(s + 1, "HMS");
	return s;
}

bool
cib__is_duration(const char *s)
{
	static const char *const units[] = {"msec", "ms",  "usec", "us", "sec",
					    "s",    "min", "m",	   "hr", "h"};
	size_t i;

	if (s == NULL)
		return false;
	while (g_ascii_isspace(*s))
		s++;
	if (*s == 'P') {
		s = skip_iso_duration(s);
	} else {
		if ((s = skip_digits(s)) == NULL)
			return false;
		while (g_ascii_isspace(*s))
			s++;
		for (i = 0; i < G_N_ELEMENTS(units); i++) {
			size_t n = strlen(units[i]);

			if (g_ascii_strncasecmp(s, units[i], n) == 0) {
				s += n;
				break;
			}
		}
	}
	while (g_ascii_isspace(*s))
		s++;
	return *s == '\0';
}

static const struct setting *
setting_find(const struct setting *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

/* Is role text one of the promotable roles? */
static bool
role_promotable(const char *v)
{
	return g_ascii_strcasecmp(v, "Promoted") == 0 ||
	       g_ascii_strcasecmp(v, "Unpromoted") == 0 ||
	       g_ascii_strcasecmp(v, "Master") == 0 ||
	       g_ascii_strcasecmp(v, "Slave") == 0;
}

/*
 * Check value v of setting s, named what ("meta attribute \"x\"") at n;
 * a refusal drops prune.
 */
static void
setting_check(struct cib_chk *c, xmlNodePtr n, xmlNodePtr prune,
	      const struct setting *s, const char *what, const char *v)
{
	bool b;
	const char *bad = NULL;

	if (v == NULL)
		v = "";
	if (strcmp(v, "#default") == 0)
		return; /* Pacemaker: as if not set */
	switch (s->kind) {
	case SET_FREE:
		break;
	case SET_BOOL:
		if (!cib__parse_bool(v, &b))
			bad = "a boolean (true or false)";
		break;
	case SET_SCORE:
		if (!is_score_value(v))
			bad = "a score (an integer, INFINITY or -INFINITY)";
		break;
	case SET_DURATION:
		if (!cib__is_duration(v))
			bad = "a time such as 30s, 5min, 1h or PT10S";
		break;
	case SET_COUNT:
		if (!cib__is_count(v))
			bad = "a whole number";
		break;
	case SET_ENUM:
		if (in_list(s->refused, v) || !in_list(s->ok, v)) {
			char *ok = g_strdelimit(g_strdup(s->ok), "|", '/');

			if (in_list(s->refused, v))
				cib__chk_refuse(
					c, n, prune,
					"%s=\"%s\": %s; remove it or use %s",
					what, v, s->why, ok);
			else
				cib__chk_diag(c, n, CIB_CHK_ESCHEMA,
					      "%s=\"%s\" is not valid: use %s",
					      what, v, ok);
			g_free(ok);
		}
		break;
	case SET_ROLE:
		if (role_promotable(v))
			cib__chk_refuse(c, n, prune,
					"%s=\"%s\": %s; use Started or Stopped",
					what, v, PROMOTE);
		else if (g_ascii_strcasecmp(v, "Started") != 0 &&
			 g_ascii_strcasecmp(v, "Stopped") != 0)
			bad = "Started or Stopped";
		break;
	case SET_FALSE:
		if (!cib__parse_bool(v, &b))
			bad = "a boolean (true or false)";
		else if (b)
			cib__chk_refuse(c, n, prune, "%s=\"%s\": %s; remove it",
					what, v, s->why);
		break;
	case SET_TRUE_WARN:
		if (!cib__parse_bool(v, &b))
			bad = "a boolean (true or false)";
		else if (!b)
			cib__chk_refuse(c, n, prune, "%s=\"%s\": %s; remove it",
					what, v, s->why);
		else
			cib__chk_diag(
				c, n, CIB_CHK_WARN,
				"%s=\"%s\" is the default and fo's only "
				"behaviour; remove it to silence this warning",
				what, v);
		break;
	case SET_WARN:
		cib__chk_diag(c, n, CIB_CHK_WARN,
			      "%s is accepted but has no effect: %s; remove it "
			      "to silence this warning",
			      what, s->why);
		break;
	case SET_REFUSE:
		cib__chk_refuse(c, n, prune,
				"%s: %s; remove it or run this configuration "
				"under Pacemaker",
				what, s->why);
		break;
	}
	if (bad != NULL)
		cib__chk_diag(c, n, CIB_CHK_ESCHEMA,
			      "%s has value \"%s\"; expected %s", what, v, bad);
}

/* Record id; a second element with the same id is an error. */
static void
check_id(struct cib_chk *c, xmlNodePtr n)
{
	const char *id = attr(n, "id");
	xmlNodePtr first;

	if (id == NULL || is(n, "node"))
		return;
	first = g_hash_table_lookup(c->ids, id);
	if (first == NULL) {
		g_hash_table_insert(c->ids, g_strdup(id), n);
		return;
	}
	cib__chk_diag(c, n, CIB_CHK_ESCHEMA,
		      "id \"%s\" is already used by <%s> on line %ld; every id "
		      "in the configuration must be unique",
		      id, (const char *)first->name,
		      xmlGetLineNo(first->_private != NULL ? first->_private
							   : first));
}

/*
 * Refusals that apply to any element: the table above and id-ref.
 * Returns true when n was refused (do not look inside it).
 */
static bool
check_generic(struct cib_chk *c, xmlNodePtr n, xmlNodePtr top)
{
	size_t i;

	for (i = 0; refused_elements[i].name != NULL; i++) {
		if (!is(n, refused_elements[i].name))
			continue;
		if (refused_elements[i].todo != NULL)
			cib__chk_refuse(c, n, top != NULL ? top : n, "%s; %s",
					refused_elements[i].why,
					refused_elements[i].todo);
		else
			cib__chk_refuse(c, n, top != NULL ? top : n,
					"%s; remove <%s> or run this "
					"configuration under Pacemaker",
					refused_elements[i].why,
					(const char *)n->name);
		return true;
	}
	if (attr(n, "id-ref") != NULL) {
		cib__chk_refuse(
			c, n, top != NULL ? top : n,
			"references (id-ref=\"%s\") are not supported by fo; "
			"write the referenced element out in full here",
			attr(n, "id-ref"));
		return true;
	}
	check_id(c, n);
	return false;
}

/* The name a meta attribute has for Pacemaker: '_' reads as '-'. */
static char *
meta_name(const char *name)
{
	char *s = g_strdup(name), *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	return s;
}

/* A Pacemaker 1.x property name: an error that says what to write. */
static bool
check_legacy_prop(struct cib_chk *c, xmlNodePtr nv, const char *name)
{
	size_t i;

	for (i = 0; legacy_props[i].old != NULL; i++) {
		char *dashed;

		if (strcmp(legacy_props[i].old, name) != 0)
			continue;
		dashed = meta_name(name);
		if (legacy_props[i].fix != NULL)
			cib__chk_diag(c, nv, CIB_CHK_ESCHEMA,
				      "cluster property \"%s\" is a Pacemaker "
				      "1.x setting that Pacemaker honours only "
				      "when it upgrades an old CIB; %s",
				      name, legacy_props[i].fix);
		else
			cib__chk_diag(c, nv, CIB_CHK_ESCHEMA,
				      "cluster property \"%s\" is the "
				      "Pacemaker 1.x name of \"%s\", which "
				      "Pacemaker honours only when it upgrades "
				      "an old CIB; rename it to \"%s\"",
				      name, dashed, dashed);
		g_free(dashed);
		return true;
	}
	return false;
}

static void
check_nvpair(struct cib_chk *c, xmlNodePtr nv, enum nv_owner owner)
{
	const char *name = attr(nv, "name"), *value = attr(nv, "value");
	const struct setting *s = NULL;
	char *key, *what;

	if (name == NULL)
		return; /* the schema pass says what is missing */
	switch (owner) {
	case NV_NODE:
	case NV_PARAMS:
	case NV_OP_PARAMS:
		return;
	case NV_PROPS:
		key = g_strdup(name);
		s = setting_find(cluster_props, key);
		break;
	case NV_GROUP_META:
	case NV_CLONE_META:
	case NV_RSC_META:
		key = meta_name(name);
		if (owner == NV_GROUP_META)
			s = setting_find(group_meta, key);
		else if (owner == NV_CLONE_META)
			s = setting_find(clone_meta, key);
		if (s == NULL)
			s = setting_find(rsc_meta, key);
		break;
	case NV_OP_META:
	default:
		key = meta_name(name);
		s = setting_find(op_settings, key);
		break;
	}
	what = g_strdup_printf("%s \"%s\"",
			       owner == NV_PROPS ? "cluster property"
						 : "meta attribute",
			       name);
	if (s != NULL) {
		setting_check(c, nv, nv, s, what, value);
	} else if (owner == NV_PROPS && check_legacy_prop(c, nv, name)) {
		/* reported */
	} else if (owner == NV_PROPS) {
		char *dashed = meta_name(name);

		if (strcmp(dashed, name) != 0 &&
		    setting_find(cluster_props, dashed) != NULL)
			cib__chk_diag(c, nv, CIB_CHK_WARN,
				      "unknown %s: fo ignores it; did you mean "
				      "\"%s\"?",
				      what, dashed);
		else
			cib__chk_diag(
				c, nv, CIB_CHK_WARN,
				"unknown %s: fo ignores it; check the spelling",
				what);
		g_free(dashed);
	} else {
		cib__chk_diag(c, nv, CIB_CHK_WARN,
			      "unknown %s: fo ignores it; check the spelling",
			      what);
	}
	g_free(what);
	g_free(key);
}

static void check_rule(struct cib_chk *c, xmlNodePtr rule, xmlNodePtr top);

static void
check_expression(struct cib_chk *c, xmlNodePtr e, xmlNodePtr top)
{
	const char *vs = attr(e, "value-source");

	if (vs != NULL && strcmp(vs, "literal") != 0)
		cib__chk_refuse(c, e, top,
				"value-source=\"%s\": expressions that compare "
				"with resource parameters are not supported by "
				"fo; compare with a literal value",
				vs);
}

/* A rule on node names and attributes; top is dropped on a refusal. */
static void
check_rule(struct cib_chk *c, xmlNodePtr rule, xmlNodePtr top)
{
	xmlNodePtr ch;
	const char *v;

	if ((v = attr(rule, "role")) != NULL)
		cib__chk_refuse(c, rule, top,
				"role=\"%s\" in a rule: roles in rules are not "
				"supported by fo; remove it",
				v);
	if ((v = attr(rule, "score")) != NULL && !cib__is_score(v))
		cib__chk_diag(c, rule, CIB_CHK_ESCHEMA,
			      "score=\"%s\" is not a score; use an integer, "
			      "INFINITY or -INFINITY",
			      v);
	for (ch = rule->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, top))
			continue;
		if (is(ch, "rule"))
			check_rule(c, ch, top);
		else if (is(ch, "expression"))
			check_expression(c, ch, top);
	}
}

/*
 * A set of name/value pairs (instance_attributes, meta_attributes,
 * cluster_property_set) owned as owner says; rules only where allowed.
 */
static void
check_nvset(struct cib_chk *c, xmlNodePtr set, enum nv_owner owner,
	    xmlNodePtr top)
{
	xmlNodePtr ch;
	const char *v;

	if ((v = attr(set, "score")) != NULL && !cib__is_score(v))
		cib__chk_diag(c, set, CIB_CHK_ESCHEMA,
			      "score=\"%s\" is not a score; use an integer, "
			      "INFINITY or -INFINITY",
			      v);
	for (ch = set->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, top))
			continue;
		if (is(ch, "nvpair")) {
			check_nvpair(c, ch, owner);
		} else if (is(ch, "rule")) {
			if (owner == NV_PARAMS)
				check_rule(c, ch, top);
			else
				cib__chk_refuse(
					c, ch, top,
					"rules are supported only in the "
					"instance_attributes of resources and "
					"in rsc_location; remove this <rule> "
					"from <%s>",
					(const char *)set->name);
		}
	}
}

static void
check_op(struct cib_chk *c, xmlNodePtr op, xmlNodePtr top)
{
	xmlAttrPtr a;
	xmlNodePtr ch;

	for (a = op->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const struct setting *s = setting_find(op_settings, name);
		char *what;

		if (s == NULL)
			continue; /* the schema pass names it */
		what = g_strdup_printf("attribute \"%s\"", name);
		setting_check(c, op, top, s, what, attr(op, name));
		g_free(what);
	}
	for (ch = op->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, top))
			continue;
		if (is(ch, "meta_attributes"))
			check_nvset(c, ch, NV_OP_META, top);
		else if (is(ch, "instance_attributes"))
			check_nvset(c, ch, NV_OP_PARAMS, top);
	}
}

static void check_resource(struct cib_chk *c, xmlNodePtr r, xmlNodePtr top);

static void
check_primitive(struct cib_chk *c, xmlNodePtr p, xmlNodePtr top)
{
	const char *cls = attr(p, "class"), *prov = attr(p, "provider");
	const char *type = attr(p, "type");
	xmlNodePtr ch, op;

	if (attr(p, "template") != NULL)
		cib__chk_refuse(c, p, top,
				"resource templates are not supported by fo; "
				"write the primitive out in full");
	if (cls != NULL && strcmp(cls, "ocf") != 0 && strcmp(cls, "lsb") != 0 &&
	    strcmp(cls, "stonith") != 0)
		cib__chk_refuse(c, p, top,
				"class=\"%s\": fo runs only ocf, lsb and "
				"stonith resources; use an OCF agent",
				cls);
	if (cls != NULL && strcmp(cls, "ocf") == 0 && prov == NULL)
		cib__chk_diag(c, p, cib__sev_form(c),
			      "attribute \"provider\" is missing: an ocf "
			      "resource needs one (e.g. heartbeat, pacemaker)");
	if (cls != NULL && strcmp(cls, "ocf") != 0 && prov != NULL)
		cib__chk_diag(c, p, cib__sev_form(c),
			      "attribute \"provider\" is only for "
			      "class=\"ocf\"; remove it");
	if (cls != NULL && strcmp(cls, "ocf") == 0 && prov != NULL &&
	    strcmp(prov, "pacemaker") == 0 && type != NULL &&
	    strcmp(type, "remote") == 0)
		cib__chk_refuse(c, p, top,
				"ocf:pacemaker:remote: %s; remove the resource",
				REMOTE);
	for (ch = p->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, top))
			continue;
		if (is(ch, "meta_attributes"))
			check_nvset(c, ch, NV_RSC_META, top);
		else if (is(ch, "instance_attributes"))
			check_nvset(c, ch, NV_PARAMS, top);
		else if (is(ch, "operations"))
			for (op = ch->children; op != NULL; op = op->next)
				if (op->type == XML_ELEMENT_NODE &&
				    !check_generic(c, op, top) && is(op, "op"))
					check_op(c, op, top);
	}
}

/* A group or clone: its sets and its children. */
static void
check_container(struct cib_chk *c, xmlNodePtr r, xmlNodePtr top)
{
	enum nv_owner meta = is(r, "group") ? NV_GROUP_META : NV_CLONE_META;
	xmlNodePtr ch;

	for (ch = r->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, top))
			continue;
		if (is(ch, "meta_attributes"))
			check_nvset(c, ch, meta, top);
		else if (is(ch, "instance_attributes"))
			check_nvset(c, ch, NV_PARAMS, top);
		else
			check_resource(c, ch, top);
	}
}

static void
check_resource(struct cib_chk *c, xmlNodePtr r, xmlNodePtr top)
{
	if (is(r, "primitive"))
		check_primitive(c, r, top);
	else if (is(r, "group") || is(r, "clone"))
		check_container(c, r, top);
}

static void
check_node(struct cib_chk *c, xmlNodePtr node)
{
	const char *type = attr(node, "type"), *v;
	xmlNodePtr ch;

	if (type != NULL &&
	    (strcmp(type, "remote") == 0 || strcmp(type, "ping") == 0))
		cib__chk_refuse(c, node, node,
				"type=\"%s\": %s nodes are not supported by "
				"fo; remove the node",
				type, type);
	if ((v = attr(node, "score")) != NULL && !cib__is_score(v))
		cib__chk_diag(c, node, CIB_CHK_ESCHEMA,
			      "score=\"%s\" is not a score; use an integer, "
			      "INFINITY or -INFINITY",
			      v);
	for (ch = node->children; ch != NULL; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE &&
		    !check_generic(c, ch, node) &&
		    is(ch, "instance_attributes"))
			check_nvset(c, ch, NV_NODE, node);
}

/* A role attribute of a constraint: Started only, promotable refused. */
static void
check_constraint_role(struct cib_chk *c, xmlNodePtr con, const char *name)
{
	const char *v = attr(con, name);

	if (v != NULL && role_promotable(v))
		cib__chk_refuse(c, con, con, "%s=\"%s\": %s; remove it", name,
				v, PROMOTE);
	else if (v != NULL && strcmp(v, "Started") != 0)
		cib__chk_diag(c, con, cib__sev_form(c),
			      "%s=\"%s\" is not valid here: use Started or "
			      "leave it out",
			      name, v);
}

/* Children of a constraint that has none in the subset (resource_set...). */
static void
check_children(struct cib_chk *c, xmlNodePtr con)
{
	xmlNodePtr ch;

	for (ch = con->children; ch != NULL; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			(void)check_generic(c, ch, con);
}

static void
check_location(struct cib_chk *c, xmlNodePtr con)
{
	const char *v;
	xmlNodePtr ch;
	bool has_rule = false;

	if ((v = attr(con, "rsc-pattern")) != NULL)
		cib__chk_refuse(
			c, con, con,
			"rsc-pattern=\"%s\": resource patterns are not "
			"supported by fo; write one rsc_location per resource",
			v);
	if ((v = attr(con, "resource-discovery")) != NULL &&
	    strcmp(v, "always") != 0)
		cib__chk_refuse(c, con, con,
				"resource-discovery=\"%s\": fo always probes "
				"every node; remove it",
				v);
	if ((v = attr(con, "score")) != NULL && !cib__is_score(v))
		cib__chk_diag(c, con, CIB_CHK_ESCHEMA,
			      "score=\"%s\" is not a score; use an integer, "
			      "INFINITY or -INFINITY",
			      v);
	for (ch = con->children; ch != NULL; ch = ch->next)
		if (is(ch, "rule"))
			has_rule = true;
	if (!has_rule &&
	    (attr(con, "score") == NULL || attr(con, "node") == NULL))
		cib__chk_diag(c, con, cib__sev_form(c),
			      "a location needs score= and node=, or a <rule>; "
			      "add them");
	else if (has_rule &&
		 (attr(con, "score") != NULL || attr(con, "node") != NULL))
		cib__chk_diag(c, con, cib__sev_form(c),
			      "a location takes score= and node=, or <rule>s, "
			      "not both; move the score into a rule");
	check_constraint_role(c, con, "role");
	for (ch = con->children; ch != NULL; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE &&
		    !check_generic(c, ch, con) && is(ch, "rule"))
			check_rule(c, ch, con);
}

static void
check_colocation(struct cib_chk *c, xmlNodePtr con)
{
	const char *v;
	bool b;

	if ((v = attr(con, "influence")) != NULL && !cib__parse_bool(v, &b))
		cib__chk_diag(
			c, con, CIB_CHK_ESCHEMA,
			"influence=\"%s\" is not a boolean; use true or false",
			v);
	if ((v = attr(con, "score")) != NULL && !cib__is_score(v))
		cib__chk_diag(c, con, CIB_CHK_ESCHEMA,
			      "score=\"%s\" is not a score; use an integer, "
			      "INFINITY or -INFINITY",
			      v);
	check_constraint_role(c, con, "rsc-role");
	check_constraint_role(c, con, "with-rsc-role");
	check_children(c, con);
}

static void
check_order(struct cib_chk *c, xmlNodePtr con)
{
	static const char *const actions[] = {"first-action", "then-action"};
	const char *v;
	size_t i;

	if ((v = attr(con, "score")) != NULL)
		cib__chk_refuse(c, con, con,
				"score=\"%s\" on rsc_order is not supported by "
				"fo; use kind=\"Mandatory\" (score > 0) or "
				"kind=\"Optional\" (score 0) instead",
				v);
	if ((v = attr(con, "require-all")) != NULL)
		cib__chk_refuse(c, con, con,
				"require-all=\"%s\": it applies to resource "
				"sets, which fo does not support; remove it",
				v);
	for (i = 0; i < G_N_ELEMENTS(actions); i++) {
		v = attr(con, actions[i]);
		if (v != NULL &&
		    (strcmp(v, "promote") == 0 || strcmp(v, "demote") == 0))
			cib__chk_refuse(c, con, con,
					"%s=\"%s\": %s; use start or stop",
					actions[i], v, PROMOTE);
	}
	check_children(c, con);
}

/* Check every child of a section; each child is a top-level item. */
static void
check_section(struct cib_chk *c, xmlNodePtr sec)
{
	xmlNodePtr ch;

	for (ch = sec->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || check_generic(c, ch, ch))
			continue;
		if (is(sec, "crm_config") && is(ch, "cluster_property_set"))
			check_nvset(c, ch, NV_PROPS, ch);
		else if (is(sec, "nodes") && is(ch, "node"))
			check_node(c, ch);
		else if (is(sec, "resources"))
			check_resource(c, ch, ch);
		else if (is(sec, "rsc_defaults") && is(ch, "meta_attributes"))
			check_nvset(c, ch, NV_RSC_META, ch);
		else if (is(sec, "op_defaults") && is(ch, "meta_attributes"))
			check_nvset(c, ch, NV_OP_META, ch);
		else if (is(ch, "rsc_location"))
			check_location(c, ch);
		else if (is(ch, "rsc_colocation"))
			check_colocation(c, ch);
		else if (is(ch, "rsc_order"))
			check_order(c, ch);
	}
}

void
cib__subset_scan(struct cib_chk *c, xmlNodePtr cib)
{
	static const struct {
		const char *name, *why;
	} cib_warn[] = {
		{"remote-tls-port", "fo has no remote CIB access"},
		{"remote-clear-port", "fo has no remote CIB access"},
		{"no-quorum-panic", "fo does not panic when quorum is lost"},
	};
	xmlNodePtr conf, sec;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cib_warn); i++)
		if (attr(cib, cib_warn[i].name) != NULL)
			cib__chk_diag(c, cib, CIB_CHK_WARN,
				      "%s is accepted but has no effect: %s; "
				      "remove it to silence this warning",
				      cib_warn[i].name, cib_warn[i].why);
	for (conf = cib->children; conf != NULL; conf = conf->next) {
		if (!is(conf, "configuration"))
			continue;
		for (sec = conf->children; sec != NULL; sec = sec->next) {
			if (sec->type != XML_ELEMENT_NODE ||
			    check_generic(c, sec, sec))
				continue;
			if (is(sec, "acls"))
				cib__chk_diag(
					c, sec, CIB_CHK_WARN,
					"ACLs are accepted but not enforced: "
					"fo lets root and the haclient group "
					"change everything; remove <acls> to "
					"silence this warning");
			else if (is(sec, "alerts"))
				cib__chk_diag(
					c, sec, CIB_CHK_WARN,
					"alerts are accepted but fo does not "
					"run alert agents; remove <alerts> to "
					"silence this warning");
			else
				check_section(c, sec);
		}
	}
}
