/*
 * schema_shape.c - which attributes and children each element may have.
 *
 * Stage: the third pass of cib_config_check() (schema.c), after the subset
 * walk and before RELAX NG. In: the copied <cib>. Out: findings through
 * cib__chk_diag(). libxml2 reports a missing or unknown attribute as
 * "Expecting an element ..., got nothing" or on a sibling element, which
 * tells a user nothing; this pass names the attribute or the child and the
 * element. The table mirrors schemas/fo-cib.rng, which stays the
 * definition: what this pass misses, the schema pass still reports.
 * Subtrees the subset walk refused, and elements that already have an
 * error, are skipped.
 */
#include <string.h>

#include "schema_int.h"

struct shape {
	const char *name;
	const char *required; /* attributes, space-separated */
	const char *optional;
	const char *children; /* NULL: not checked (any content) */
};

static const struct shape shapes[] = {
	{"cib", "",
	 "validate-with admin_epoch epoch num_updates crm_feature_set "
	 "have-quorum dc-uuid cib-last-written update-origin update-client "
	 "update-user execution-date remote-tls-port remote-clear-port "
	 "no-quorum-panic",
	 "configuration status"},
	{"configuration", "", "",
	 "crm_config nodes resources constraints rsc_defaults op_defaults "
	 "acls alerts"},
	{"crm_config", "", "", "cluster_property_set"},
	{"cluster_property_set", "id", "score", "nvpair"},
	{"nvpair", "id name", "value", ""},
	{"nodes", "", "", "node"},
	{"node", "id uname", "type description score", "instance_attributes"},
	{"instance_attributes", "id", "score", "nvpair rule"},
	{"meta_attributes", "id", "score", "nvpair"},
	{"resources", "", "", "primitive group clone"},
	{"primitive", "id class type", "provider description",
	 "meta_attributes instance_attributes operations"},
	{"group", "id", "description",
	 "meta_attributes instance_attributes primitive"},
	{"clone", "id", "description",
	 "meta_attributes instance_attributes primitive group"},
	{"operations", "", "id", "op"},
	{"op", "id name interval",
	 "description timeout enabled role on-fail start-delay "
	 "interval-origin record-pending",
	 "meta_attributes instance_attributes"},
	{"constraints", "", "", "rsc_location rsc_colocation rsc_order"},
	{"rsc_location", "id rsc", "role resource-discovery score node",
	 "rule"},
	{"rsc_colocation", "id rsc with-rsc",
	 "score rsc-role with-rsc-role influence", ""},
	{"rsc_order", "id first then",
	 "first-action then-action kind symmetrical", ""},
	{"rule", "id", "boolean-op score", "expression rule"},
	{"expression", "id attribute operation", "value type value-source", ""},
	{"rsc_defaults", "", "", "meta_attributes"},
	{"op_defaults", "", "", "meta_attributes"},
	{"status", "", "", NULL},
	{"acls", "", "", NULL},
	{"alerts", "", "", NULL},
	{NULL, NULL, NULL, NULL}};

/* Is word one of the space-separated words in list? */
static bool
in_words(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* "a b c" as "a, b, c" for messages; "nothing" when empty. */
static char *
words_text(const char *a, const char *b)
{
	char **v = g_strsplit_set(a, " ", -1), **w = g_strsplit_set(b, " ", -1);
	GString *s = g_string_new(NULL);
	char **p;

	for (p = v; *p != NULL; p++)
		if (**p != '\0')
			g_string_append_printf(s, "%s%s", s->len ? ", " : "",
					       *p);
	for (p = w; *p != NULL; p++)
		if (**p != '\0')
			g_string_append_printf(s, "%s%s", s->len ? ", " : "",
					       *p);
	g_strfreev(v);
	g_strfreev(w);
	if (s->len == 0)
		g_string_append(s, "nothing");
	return g_string_free(s, FALSE);
}

static const struct shape *
shape_find(xmlNodePtr n)
{
	const struct shape *s;

	for (s = shapes; s->name != NULL; s++)
		if (xmlStrEqual(n->name, (const xmlChar *)s->name))
			return s;
	return NULL;
}

/* Attributes of n against its shape s. */
static void
shape_attributes(struct cib_chk *c, xmlNodePtr n, const struct shape *s)
{
	char **req = g_strsplit(s->required, " ", -1), **r;
	xmlAttrPtr a;

	for (r = req; *r != NULL; r++)
		if (**r != '\0' && xmlHasProp(n, (const xmlChar *)*r) == NULL)
			cib__chk_diag(c, n, cib__sev_form(c),
				      "attribute \"%s\" is missing; add it "
				      "(see docs/schema.md)",
				      *r);
	g_strfreev(req);
	for (a = n->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		char *all;

		if (in_words(s->required, name) || in_words(s->optional, name))
			continue;
		all = words_text(s->required, s->optional);
		cib__chk_diag(c, n, cib__sev_form(c),
			      "attribute \"%s\" is not part of <%s> in fo's "
			      "format; remove it (<%s> takes: %s)",
			      name, s->name, s->name, all);
		g_free(all);
	}
}

static void
shape_walk(struct cib_chk *c, xmlNodePtr n)
{
	const struct shape *s;
	xmlNodePtr ch;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    g_hash_table_contains(c->prune, n))
			continue;
		s = shape_find(n);
		if (s == NULL)
			continue; /* its parent has reported it */
		if (!g_hash_table_contains(c->covered, n))
			shape_attributes(c, n, s);
		if (s->children == NULL)
			continue;
		for (ch = n->children; ch != NULL; ch = ch->next) {
			char *all;

			if (ch->type != XML_ELEMENT_NODE ||
			    g_hash_table_contains(c->prune, ch) ||
			    in_words(s->children, (const char *)ch->name))
				continue;
			all = words_text(s->children, "");
			cib__chk_diag(c, ch, cib__sev_form(c),
				      "<%s> does not belong in <%s>; fo "
				      "takes %s there (see docs/schema.md)",
				      (const char *)ch->name, s->name, all);
			g_free(all);
		}
		shape_walk(c, n->children);
	}
}

void
cib__shape_scan(struct cib_chk *c, xmlNodePtr cib)
{
	shape_walk(c, cib);
}
