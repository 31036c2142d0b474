/*
 * exec_metadata.c - an agent's meta-data: parsing and a per-agent cache.
 *
 * In: the XML an agent prints for "meta-data" (OCF resource-agent API).
 * Out: plain structs (parameters with type, default, required/unique;
 * actions with timeout, interval, depth, role), in document order. Bad
 * input gives an error naming what is wrong and where (line, element),
 * never a crash. The cache is keyed by "standard:provider:type" and lives
 * as long as the executor (exec_metadata_flush() empties it).
 */
#include <errno.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fo/common.h"
#include "exec_int.h"

int
ocf_duration_ms(const char *s, guint *ms)
{
	char *end;
	guint64 v, mult = 1000;

	if (s == NULL)
		return -FO_EINVAL;
	while (g_ascii_isspace(*s))
		s++;
	if (!g_ascii_isdigit(*s))
		return -FO_EINVAL;
	v = g_ascii_strtoull(s, &end, 10);
	while (g_ascii_isspace(*end))
		end++;
	if (*end == '\0' || strcmp(end, "s") == 0 || strcmp(end, "sec") == 0)
		mult = 1000;
	else if (strcmp(end, "ms") == 0 || strcmp(end, "msec") == 0)
		mult = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mult = 60000;
	else if (strcmp(end, "h") == 0 || strcmp(end, "hr") == 0)
		mult = 3600000;
	else
		return -FO_EINVAL;
	if (v > G_MAXUINT / mult)
		return -FO_EINVAL;
	*ms = (guint)(v * mult);
	return 0;
}

static void
param_free(void *p)
{
	struct ocf_param *x = p;

	g_free(x->name);
	g_free(x->type);
	g_free(x->dflt);
	g_free(x->shortdesc);
	g_free(x->longdesc);
	g_free(x);
}

static void
action_free(void *p)
{
	struct ocf_action *x = p;

	g_free(x->name);
	g_free(x->depth);
	g_free(x->role);
	g_free(x);
}

void
ocf_metadata_free(struct ocf_metadata *md)
{
	if (md == NULL)
		return;
	g_free(md->name);
	g_free(md->version);
	g_free(md->shortdesc);
	g_free(md->longdesc);
	g_ptr_array_free(md->params, TRUE);
	g_ptr_array_free(md->actions, TRUE);
	g_free(md);
}

static bool
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static char *
attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? g_strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

/* Text of the first child element @name, whitespace-trimmed. */
static char *
child_text(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is_elem(c, name)) {
			xmlChar *t = xmlNodeGetContent(c);
			char *s = g_strstrip(g_strdup(t ? (char *)t : ""));

			xmlFree(t);
			return s;
		}
	}
	return NULL;
}

static bool
attr_bool(const xmlNode *n, const char *name)
{
	g_autofree char *v = attr(n, name);

	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
			     strcmp(v, "yes") == 0);
}

/* The name attribute of @n into *@name; an error if it is missing. */
static int
md_name(const xmlNode *n, char **name, char **errmsg)
{
	*name = attr(n, "name");
	if (*name != NULL && **name != '\0')
		return 0;
	if (errmsg)
		*errmsg = g_strdup_printf("line %d: <%s> without a name",
					  n->line, (const char *)n->name);
	return -FO_ESYNTAX;
}

static int
md_param(const xmlNode *n, struct ocf_metadata *md, char **errmsg)
{
	struct ocf_param *p = g_new0(struct ocf_param, 1);

	g_ptr_array_add(md->params, p);
	if (md_name(n, &p->name, errmsg) < 0)
		return -FO_ESYNTAX;
	p->required = attr_bool(n, "required");
	p->unique = attr_bool(n, "unique");
	p->shortdesc = child_text(n, "shortdesc");
	p->longdesc = child_text(n, "longdesc");
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (is_elem(c, "content")) {
			p->type = attr(c, "type");
			p->dflt = attr(c, "default");
		}
	}
	return 0;
}

static int
md_duration(const xmlNode *n, const char *name, guint *ms, char **errmsg)
{
	g_autofree char *v = attr(n, name);

	if (v == NULL)
		return 0;
	if (ocf_duration_ms(v, ms) == 0)
		return 0;
	if (errmsg)
		*errmsg = g_strdup_printf("line %d: <action> %s=\"%s\" is not "
					  "a duration",
					  n->line, name, v);
	return -FO_EINVAL;
}

static int
md_action(const xmlNode *n, struct ocf_metadata *md, char **errmsg)
{
	struct ocf_action *a = g_new0(struct ocf_action, 1);
	int rc;

	g_ptr_array_add(md->actions, a);
	if (md_name(n, &a->name, errmsg) < 0)
		return -FO_ESYNTAX;
	a->depth = attr(n, "depth");
	a->role = attr(n, "role");
	if ((rc = md_duration(n, "timeout", &a->timeout_ms, errmsg)) < 0)
		return rc;
	return md_duration(n, "interval", &a->interval_ms, errmsg);
}

static int
md_walk(const xmlNode *root, struct ocf_metadata *md, char **errmsg)
{
	int rc = 0;

	md->name = attr(root, "name");
	md->version = attr(root, "version");
	md->shortdesc = child_text(root, "shortdesc");
	md->longdesc = child_text(root, "longdesc");
	for (const xmlNode *c = root->children; c && rc == 0; c = c->next) {
		if (is_elem(c, "parameters")) {
			for (const xmlNode *p = c->children; p && rc == 0;
			     p = p->next)
				if (is_elem(p, "parameter"))
					rc = md_param(p, md, errmsg);
		} else if (is_elem(c, "actions")) {
			for (const xmlNode *a = c->children; a && rc == 0;
			     a = a->next)
				if (is_elem(a, "action"))
					rc = md_action(a, md, errmsg);
		}
	}
	return rc;
}

int
ocf_metadata_parse(const char *xml, size_t len, struct ocf_metadata **md,
		   char **errmsg)
{
	xmlDoc *doc;
	xmlNode *root;
	struct ocf_metadata *m;
	int rc;

	*md = NULL;
	if (len > G_MAXINT)
		return -FO_EINVAL;
	doc = xmlReadMemory(xml, (int)len, "meta-data", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();
		g_autofree char *why =
			g_strdup(e && e->message ? e->message : "empty");

		if (errmsg)
			*errmsg = g_strdup_printf("line %d: not well-formed "
						  "XML: %s",
						  e ? e->line : 0,
						  g_strchomp(why));
		return -FO_ESYNTAX;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "resource-agent")) {
		if (errmsg)
			*errmsg = g_strdup_printf(
				"line %d: root element is "
				"<%s>, not <resource-agent>",
				root ? root->line : 0,
				root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return -FO_ESYNTAX;
	}
	m = g_new0(struct ocf_metadata, 1);
	m->params = g_ptr_array_new_with_free_func(param_free);
	m->actions = g_ptr_array_new_with_free_func(action_free);
	rc = md_walk(root, m, errmsg);
	xmlFreeDoc(doc);
	if (rc < 0) {
		ocf_metadata_free(m);
		return rc;
	}
	*md = m;
	return 0;
}

const struct ocf_action *
ocf_metadata_action(const struct ocf_metadata *md, const char *name)
{
	for (guint i = 0; i < md->actions->len; i++) {
		const struct ocf_action *a = md->actions->pdata[i];

		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

const struct ocf_param *
ocf_metadata_param(const struct ocf_metadata *md, const char *name)
{
	for (guint i = 0; i < md->params->len; i++) {
		const struct ocf_param *p = md->params->pdata[i];

		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

int
exec_metadata_get(struct exec *exec, const char *standard, const char *provider,
		  const char *type, const struct ocf_metadata **md,
		  char **errmsg)
{
	g_autofree char *key = g_strdup_printf("%s:%s:%s", standard,
					       provider ? provider : "", type);
	g_autofree char *rsc = g_strconcat("meta-data:", key, NULL);
	struct exec_op_req req = {
		.rsc = rsc,
		.standard = standard,
		.provider = provider,
		.type = type,
		.action = "meta-data",
		.timeout_ms = 30000,
	};
	struct exec_result *res = NULL;
	struct ocf_metadata *m = NULL;
	int rc;

	*md = g_hash_table_lookup(exec->mdcache, key);
	if (*md != NULL)
		return 0;
	if ((rc = exec_run_sync(exec, &req, &res)) < 0)
		return rc;
	if (res->status == EXEC_NOT_INSTALLED) {
		rc = -FO_ENOTFOUND;
		if (errmsg)
			*errmsg = g_strdup(res->exit_reason);
	} else if (res->status != EXEC_DONE || res->rc != OCF_SUCCESS) {
		rc = -FO_EINVAL;
		if (errmsg)
			*errmsg = g_strdup_printf(
				"meta-data: %s (rc %d)%s%s",
				exec_status_name(res->status), res->rc,
				res->exit_reason ? ": " : "",
				res->exit_reason ? res->exit_reason : "");
	} else if ((rc = ocf_metadata_parse(res->out, strlen(res->out), &m,
					    errmsg)) == 0) {
		g_hash_table_insert(exec->mdcache, g_steal_pointer(&key), m);
		*md = m;
	}
	exec_result_free(res);
	return rc;
}

void
exec_metadata_flush(struct exec *exec)
{
	g_hash_table_remove_all(exec->mdcache);
}
