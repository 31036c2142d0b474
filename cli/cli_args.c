/*
 * cli_args.c - the pure half of the tools' shared code (see cli.h).
 *
 * In: command-line words and a parsed CIB. Out: parsed values (durations,
 * name=value pairs), lookups in the CIB, and the struct cli_edit that
 * collects a <change> together with its description for people. Nothing
 * here talks to the daemon or prints, so the unit tests drive it directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "fo/common.h"
#include "fo/exec.h"
#include "fo/xmlutil.h"

int
cli_format_parse(const char *s, enum cli_format *fmt)
{
	if (g_strcmp0(s, "text") == 0)
		*fmt = CLI_FMT_TEXT;
	else if (g_strcmp0(s, "xml") == 0)
		*fmt = CLI_FMT_XML;
	else if (g_strcmp0(s, "json") == 0)
		*fmt = CLI_FMT_JSON;
	else
		return -FO_EINVAL;
	return 0;
}

void
cli_edit_init(struct cli_edit *e)
{
	memset(e, 0, sizeof(*e));
	e->change = xmlNewNode(NULL, XC("change"));
	e->wrote = g_ptr_array_new_with_free_func(g_free);
	e->removed = g_ptr_array_new_with_free_func(g_free);
	e->notes = g_ptr_array_new_with_free_func(g_free);
}

void
cli_edit_clear(struct cli_edit *e)
{
	if (e == NULL)
		return;
	xmlFreeNode(e->change);
	if (e->wrote)
		g_ptr_array_unref(e->wrote);
	if (e->removed)
		g_ptr_array_unref(e->removed);
	if (e->notes)
		g_ptr_array_unref(e->notes);
	g_free(e->undo);
	memset(e, 0, sizeof(*e));
}

void
cli_edit_put(struct cli_edit *e, const char *section, xmlNodePtr elem)
{
	xmlNodePtr put = xmlNewChild(e->change, NULL, XC("put"), NULL);

	xmlNewProp(put, XC("section"), XC(section));
	xmlAddChild(put, elem);
	g_ptr_array_add(e->wrote, cli_xml_string(elem));
}

void
cli_edit_delete(struct cli_edit *e, const char *id, const char *what)
{
	xmlNodePtr d = xmlNewChild(e->change, NULL, XC("delete"), NULL);

	xmlNewProp(d, XC("id"), XC(id));
	xmlNewProp(d, XC("if-exists"), XC("1"));
	g_ptr_array_add(e->removed, g_strdup(what ? what : id));
}

void
cli_edit_nvpair(struct cli_edit *e, const char *label, const char *parent_id,
		const char *set, const char *name, const char *value)
{
	xmlNodePtr op =
		xmlNewChild(e->change, NULL,
			    XC(value ? "nvpair-set" : "nvpair-unset"), NULL);

	xmlNewProp(op, XC("parent-id"), XC(parent_id));
	xmlNewProp(op, XC("set"), XC(set));
	xmlNewProp(op, XC("name"), XC(name));
	if (value) {
		xmlNewProp(op, XC("value"), XC(value));
		g_ptr_array_add(e->wrote, g_strdup_printf("%s: %s %s=%s", label,
							  set, name, value));
	} else {
		g_ptr_array_add(e->removed,
				g_strdup_printf("%s: %s %s", label, set, name));
	}
}

void
cli_edit_note(struct cli_edit *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(e->notes, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

bool
cli_edit_empty(const struct cli_edit *e)
{
	return cli_child(e->change, NULL) == NULL;
}

/* PnW or P[nD][T[nH][nM][nS]]; years and months have no fixed length. */
static int
iso_duration_ms(const char *s, guint64 *ms)
{
	guint64 total = 0;
	bool in_time = false, any = false, time_part = false;

	if (*s++ != 'P')
		return -FO_EINVAL;
	while (*s) {
		guint64 v, unit;
		char *end;

		if (*s == 'T' && !in_time) {
			in_time = true;
			s++;
			continue;
		}
		if (!g_ascii_isdigit(*s))
			return -FO_EINVAL;
		v = g_ascii_strtoull(s, &end, 10);
		switch (*end) {
		case 'W':
			unit = in_time ? 0 : 7 * 86400000ULL;
			break;
		case 'D':
			unit = in_time ? 0 : 86400000ULL;
			break;
		case 'H':
			unit = in_time ? 3600000ULL : 0;
			break;
		case 'M': /* months before T: no fixed length */
			unit = in_time ? 60000ULL : 0;
			break;
		case 'S':
			unit = in_time ? 1000ULL : 0;
			break;
		default:
			unit = 0;
		}
		if (unit == 0 || v > (G_MAXUINT64 - total) / unit)
			return -FO_EINVAL;
		total += v * unit;
		any = true;
		time_part = in_time;
		s = end + 1;
	}
	if (!any || (in_time && !time_part))
		return -FO_EINVAL;
	*ms = total;
	return 0;
}

int
cli_duration_ms(const char *s, guint64 *ms)
{
	g_autofree char *t = g_strstrip(g_strdup(s ? s : ""));
	guint v;
	int rc;

	if (*t == 'P')
		return iso_duration_ms(t, ms);
	rc = ocf_duration_ms(t, &v);
	if (rc == 0)
		*ms = v;
	return rc;
}

int
cli_nvpair_parse(const char *arg, char **name, char **value)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;

	*name = *value = NULL;
	if (eq == NULL || eq == arg)
		return -FO_EINVAL;
	for (const char *p = arg; p < eq; p++)
		if (!g_ascii_isalnum(*p) && strchr("_-.:", *p) == NULL)
			return -FO_EINVAL;
	*name = g_strndup(arg, (gsize)(eq - arg));
	*value = g_strdup(eq + 1);
	return 0;
}

xmlNodePtr
cli_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (name == NULL || strcmp((const char *)c->name, name) == 0))
			return c;
	return NULL;
}

char *
cli_prop(xmlNodePtr n, const char *name)
{
	return n ? (char *)xmlGetProp(n, XC(name)) : NULL;
}

xmlNodePtr
cli_find_id(xmlNodePtr top, const char *id)
{
	g_autofree char *v = NULL;

	if (top == NULL || top->type != XML_ELEMENT_NODE)
		return NULL;
	v = cli_prop(top, "id");
	if (g_strcmp0(v, id) == 0)
		return top;
	for (xmlNodePtr c = top->children; c; c = c->next) {
		xmlNodePtr hit = cli_find_id(c, id);

		if (hit)
			return hit;
	}
	return NULL;
}

xmlNodePtr
cli_section(xmlDocPtr cib, const char *name)
{
	xmlNodePtr root = cib ? xmlDocGetRootElement(cib) : NULL;
	xmlNodePtr cfg = cli_child(root, "configuration");

	if (strcmp(name, "configuration") == 0)
		return cfg;
	if (strcmp(name, "status") == 0)
		return cli_child(root, "status");
	return cli_child(cfg, name);
}

xmlNodePtr
cli_node_by_name(xmlDocPtr cib, const char *name)
{
	for (xmlNodePtr n = cli_child(cli_section(cib, "nodes"), "node"); n;
	     n = n->next) {
		g_autofree char *u = cli_prop(n, "uname");

		if (n->type == XML_ELEMENT_NODE && g_strcmp0(u, name) == 0)
			return n;
	}
	return NULL;
}

xmlNodePtr
cli_node_state(xmlDocPtr cib, const char *name, const char *id)
{
	for (xmlNodePtr n = cli_child(cli_section(cib, "status"), NULL); n;
	     n = n->next) {
		g_autofree char *v = cli_prop(n, name ? "uname" : "id");

		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "node_state") == 0 &&
		    g_strcmp0(v, name ? name : id) == 0)
			return n;
	}
	return NULL;
}

char *
cli_node_names(xmlDocPtr cib)
{
	GString *s = g_string_new(NULL);

	for (xmlNodePtr n = cli_child(cli_section(cib, "nodes"), "node"); n;
	     n = n->next) {
		g_autofree char *u = cli_prop(n, "uname");

		if (n->type != XML_ELEMENT_NODE || u == NULL)
			continue;
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", u);
	}
	if (s->len == 0)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

char *
cli_xml_string(xmlNodePtr n)
{
	xmlBufferPtr buf = xmlBufferCreate();
	char *s;

	xmlNodeDump(buf, n->doc, n, 0, 0);
	s = g_strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return s;
}

void
cli_json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else if (*p == '\t')
			g_string_append(out, "\\t");
		else if (*p == '\r')
			g_string_append(out, "\\r");
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}
