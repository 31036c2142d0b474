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

/*
 * children: space-separated tokens, each one element name or several
 * joined by '|' (a choice), then a count: none for exactly one, '?' for at
 * most one, '*' for any number, '+' for at least one.
 */
static const struct shape shapes[] = {
	{"cib", "",
	 "validate-with admin_epoch epoch num_updates crm_feature_set "
	 "have-quorum dc-uuid cib-last-written update-origin update-client "
	 "update-user execution-date remote-tls-port remote-clear-port "
	 "no-quorum-panic",
	 "configuration status?"},
	{"configuration", "", "",
	 "crm_config nodes resources constraints rsc_defaults? op_defaults? "
	 "acls? alerts?"},
	{"crm_config", "", "", "cluster_property_set*"},
	{"cluster_property_set", "id", "score", "nvpair*"},
	{"nvpair", "id name", "value", ""},
	{"nodes", "", "", "node*"},
	{"node", "id uname", "type description score", "instance_attributes*"},
	{"instance_attributes", "id", "score", "nvpair* rule?"},
	{"meta_attributes", "id", "score", "nvpair*"},
	{"resources", "", "", "primitive* group* clone*"},
	{"primitive", "id class type", "provider description",
	 "meta_attributes* instance_attributes* operations?"},
	{"group", "id", "description",
	 "meta_attributes* instance_attributes* primitive+"},
	{"clone", "id", "description",
	 "meta_attributes* instance_attributes* primitive|group"},
	{"operations", "", "id", "op*"},
	{"op", "id name interval",
	 "description timeout enabled role on-fail start-delay "
	 "interval-origin record-pending",
	 "meta_attributes* instance_attributes*"},
	{"constraints", "", "", "rsc_location* rsc_colocation* rsc_order*"},
	{"rsc_location", "id rsc", "role resource-discovery score node",
	 "rule*"},
	{"rsc_colocation", "id rsc with-rsc",
	 "score rsc-role with-rsc-role influence node-attribute", ""},
	{"rsc_order", "id first then",
	 "first-action then-action kind symmetrical", ""},
	{"rule", "id", "boolean-op score score-attribute", "expression|rule+"},
	{"expression", "id attribute operation", "value type value-source", ""},
	{"rsc_defaults", "", "", "meta_attributes*"},
	{"op_defaults", "", "", "meta_attributes*"},
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

/* The element names of a children spec, without counts: "a b c". */
static char *
child_names(const char *spec)
{
	char *names = g_strdup(spec), *p;

	g_strdelimit(names, "|", ' ');
	for (p = names; *p != '\0'; p++)
		if (*p == '?' || *p == '*' || *p == '+')
			*p = ' ';
	return names;
}

/* "<a> or <b>" for the choice "a|b". */
static char *
choice_text(char **alts)
{
	GString *s = g_string_new(NULL);
	char **a;

	for (a = alts; *a != NULL; a++)
		g_string_append_printf(s, "%s<%s>", s->len ? " or " : "", *a);
	return g_string_free(s, FALSE);
}

/* How many children of n the token tok (without its count) matches. */
static int
count_children(struct cib_chk *c, xmlNodePtr n, char **alts, xmlNodePtr *second)
{
	xmlNodePtr ch;
	int k = 0;

	*second = NULL;
	for (ch = n->children; ch != NULL; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE ||
		    g_hash_table_contains(c->prune, ch) ||
		    !g_strv_contains((const char *const *)alts,
				     (const char *)ch->name))
			continue;
		if (++k == 2)
			*second = ch;
	}
	return k;
}

/* One count token of s->children against n's children. */
static void
shape_count(struct cib_chk *c, xmlNodePtr n, const struct shape *s,
	    const char *tok)
{
	size_t len = strlen(tok);
	char q = len > 0 && strchr("?*+", tok[len - 1]) ? tok[len - 1] : 0;
	char *names = g_strndup(tok, q ? len - 1 : len);
	char **alts = g_strsplit(names, "|", -1);
	char *text = choice_text(alts);
	xmlNodePtr second;
	int k = count_children(c, n, alts, &second);

	if (k == 0 && (q == 0 || q == '+'))
		cib__chk_diag(c, n, cib__sev_form(c),
			      "<%s> needs %s inside; add one (see "
			      "docs/schema.md)",
			      s->name, text);
	else if (second != NULL && (q == 0 || q == '?'))
		cib__chk_diag(c, second, cib__sev_form(c),
			      "<%s> takes only one %s; remove this one or "
			      "merge it into the first",
			      s->name, text);
	g_free(text);
	g_strfreev(alts);
	g_free(names);
}

/* The children of n: known names, and how many of each. */
static void
shape_children(struct cib_chk *c, xmlNodePtr n, const struct shape *s)
{
	char *names = child_names(s->children), **tok, **t;
	xmlNodePtr ch;

	for (ch = n->children; ch != NULL; ch = ch->next) {
		char *all;

		if (ch->type != XML_ELEMENT_NODE ||
		    g_hash_table_contains(c->prune, ch) ||
		    in_words(names, (const char *)ch->name))
			continue;
		all = words_text(names, "");
		cib__chk_diag(c, ch, cib__sev_form(c),
			      "<%s> does not belong in <%s>; fo takes %s "
			      "there (see docs/schema.md)",
			      (const char *)ch->name, s->name, all);
		g_free(all);
	}
	tok = g_strsplit(s->children, " ", -1);
	for (t = tok; *t != NULL; t++)
		if (**t != '\0')
			shape_count(c, n, s, *t);
	g_strfreev(tok);
	g_free(names);
}

static void
shape_walk(struct cib_chk *c, xmlNodePtr n)
{
	const struct shape *s;

	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    g_hash_table_contains(c->prune, n))
			continue;
		s = shape_find(n);
		if (s == NULL)
			continue; /* its parent has reported it */
		if (s->children == NULL)
			continue; /* any content: status, acls, alerts */
		if (!g_hash_table_contains(c->covered, n))
			shape_attributes(c, n, s);
		shape_children(c, n, s);
		shape_walk(c, n->children);
	}
}

void
cib__shape_scan(struct cib_chk *c, xmlNodePtr cib)
{
	shape_walk(c, cib);
}
