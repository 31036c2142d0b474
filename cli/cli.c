/*
 * cli.c - the tools' side of a request to fo-crmd (see cli.h).
 *
 * In: an operation name and its arguments. Out: the daemon's <reply>
 * document, or an exit code with the reason printed. The answer is parsed
 * with network access and entity expansion off, like every input.
 * A configuration edit is checked here against the live CIB (applied to a
 * local copy and validated) before it is sent, and fo-crmd checks it again
 * on every node, so an invalid edit changes nothing anywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "cli.h"
#include "fo/cibrepl.h"
#include "fo/common.h"
#include "fo/ctl.h"
#include "fo/schema.h"
#include "fo/xmlutil.h"

#define CLI_TIMEOUT_MS 120000

int
cli_request(const char *op, const char *const *attrs, xmlNodePtr child,
	    unsigned timeout_ms, xmlDocPtr *reply, char **err)
{
	xmlDocPtr req = xmlNewDoc(XC("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, XC("request"));
	GBytes *answer = NULL;
	xmlChar *text = NULL;
	const char *data;
	gsize n;
	int len = 0, rc;

	*reply = NULL;
	*err = NULL;
	xmlDocSetRootElement(req, root);
	xmlNewProp(root, XC("op"), XC(op));
	for (int i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2)
		xmlNewProp(root, XC(attrs[i]), XC(attrs[i + 1]));
	if (child)
		xmlAddChild(root, xmlDocCopyNode(child, req, 1));
	xmlDocDumpMemory(req, &text, &len);
	xmlFreeDoc(req);
	rc = ctl_call(NULL, text, (size_t)len, timeout_ms, &answer, err);
	xmlFree(text);
	if (rc != 0) {
		if (*err == NULL)
			*err = g_strdup(fo_strerror(rc));
		if (rc == -EACCES)
			return CLI_DENIED;
		if (rc == -ENOENT || rc == -ECONNREFUSED)
			return CLI_NODAEMON;
		return CLI_ERROR;
	}
	data = g_bytes_get_data(answer, &n);
	*reply = xmlReadMemory(data, (int)n, "reply", NULL,
			       XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				       XML_PARSE_HUGE | XML_PARSE_NOERROR);
	g_bytes_unref(answer);
	if (*reply == NULL || xmlDocGetRootElement(*reply) == NULL ||
	    strcmp((const char *)xmlDocGetRootElement(*reply)->name, "reply") !=
		    0) {
		*err = g_strdup("fo-crmd sent an answer that is not a "
				"<reply>; is the daemon the same version as "
				"this tool?");
		xmlFreeDoc(*reply);
		*reply = NULL;
		return CLI_ERROR;
	}
	return CLI_OK;
}

int
cli_call(const char *op, const char *const *attrs, xmlNodePtr child,
	 xmlDocPtr *reply)
{
	g_autofree char *err = NULL;
	int rc = cli_request(op, attrs, child, CLI_TIMEOUT_MS, reply, &err);

	if (rc != CLI_OK)
		fprintf(stderr, "%s\n", err);
	return rc;
}

int
cli_reply_rc(xmlDocPtr reply, const char *tool)
{
	xmlNodePtr root = xmlDocGetRootElement(reply);
	g_autofree char *rc = (char *)xmlGetProp(root, XC("rc"));
	g_autofree char *err = (char *)xmlGetProp(root, XC("error"));

	if (g_strcmp0(rc, "0") == 0)
		return CLI_OK;
	fprintf(stderr, "%s: %s\n", tool, err ? err : "request failed");
	return CLI_ERROR;
}

xmlNodePtr
cli_reply_payload(xmlDocPtr reply)
{
	for (xmlNodePtr c = xmlDocGetRootElement(reply)->children; c;
	     c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

char *
cli_reply_error(xmlDocPtr reply)
{
	xmlNodePtr root = xmlDocGetRootElement(reply);
	g_autofree char *rc = cli_prop(root, "rc");
	char *err;

	if (g_strcmp0(rc, "0") == 0)
		return NULL;
	err = cli_prop(root, "error");
	return err ? err : g_strdup("the request failed");
}

int
cli_query(xmlDocPtr *cib, char **err)
{
	xmlDocPtr reply = NULL;
	xmlNodePtr payload;
	int rc = cli_call("cib-query", NULL, NULL, &reply);

	*cib = NULL;
	*err = NULL;
	if (rc != CLI_OK) {
		*err = g_strdup("cannot read the CIB from fo-crmd (see above)");
		return rc;
	}
	*err = cli_reply_error(reply);
	payload = *err ? NULL : cli_reply_payload(reply);
	if (*err == NULL && (payload == NULL ||
			     strcmp((const char *)payload->name, "cib") != 0))
		*err = g_strdup("fo-crmd answered cib-query without a <cib>");
	if (*err == NULL) {
		*cib = xmlNewDoc(XC("1.0"));
		xmlDocSetRootElement(*cib, xmlDocCopyNode(payload, *cib, 1));
	}
	xmlFreeDoc(reply);
	return *err ? CLI_ERROR : CLI_OK;
}

void
cli_diag_errors(GString *msg, const GPtrArray *diags, const char *sep)
{
	g_autofree char *last = NULL;

	for (guint i = 0; i < diags->len; i++) {
		const struct cib_diag *d = diags->pdata[i];
		char *line;

		if (!d->error)
			continue;
		line = cib_diag_format(d);
		/* the schema and the unpacker may both report one problem */
		if (g_strcmp0(line, last) != 0)
			g_string_append_printf(msg, "%s%s", msg->len ? sep : "",
					       line);
		g_free(last);
		last = line;
	}
}

int
cli_edit_check(xmlDocPtr cib, const struct cli_edit *e, char **err)
{
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	g_autofree char *why = NULL;
	xmlDocPtr next = NULL;
	GString *msg;
	int rc;

	rc = cib_patch_apply(cib, e->change, &next, &why);
	if (rc != 0) {
		*err = g_strdup_printf("%s; nothing was changed", why);
		g_ptr_array_unref(diags);
		return CLI_ERROR;
	}
	rc = cib_config_check(xmlDocGetRootElement(next), NULL, diags);
	xmlFreeDoc(next);
	if (rc == 0) {
		g_ptr_array_unref(diags);
		return CLI_OK;
	}
	msg = g_string_new("the result would not be a valid configuration:");
	cli_diag_errors(msg, diags, "\n  ");
	g_string_append(msg, "\nnothing was changed");
	*err = g_string_free(msg, FALSE);
	g_ptr_array_unref(diags);
	return CLI_ERROR;
}

int
cli_apply(xmlDocPtr cib, const struct cli_edit *e, char **err)
{
	xmlDocPtr reply = NULL;
	int rc;

	*err = NULL;
	rc = cli_edit_check(cib, e, err);
	if (rc != CLI_OK)
		return rc;
	rc = cli_call("cib-change", NULL, e->change, &reply);
	if (rc != CLI_OK) {
		*err = g_strdup("the change was not sent (see above)");
		return rc;
	}
	*err = cli_reply_error(reply);
	xmlFreeDoc(reply);
	return *err ? CLI_ERROR : CLI_OK;
}

static void
json_list(GString *out, const char *key, GPtrArray *a)
{
	g_string_append_printf(out, ",\"%s\":[", key);
	for (guint i = 0; a && i < a->len; i++) {
		if (i)
			g_string_append_c(out, ',');
		cli_json_string(out, a->pdata[i]);
	}
	g_string_append_c(out, ']');
}

static void
xml_list(xmlNodePtr parent, const char *name, GPtrArray *a)
{
	for (guint i = 0; a && i < a->len; i++)
		xmlNewTextChild(parent, NULL, XC(name), XC(a->pdata[i]));
}

static void
report_text(const struct cli_edit *e)
{
	for (guint i = 0; i < e->wrote->len; i++)
		printf("wrote:   %s\n", (const char *)e->wrote->pdata[i]);
	for (guint i = 0; i < e->removed->len; i++)
		printf("removed: %s\n", (const char *)e->removed->pdata[i]);
	for (guint i = 0; i < e->notes->len; i++)
		printf("note:    %s\n", (const char *)e->notes->pdata[i]);
	if (e->undo)
		printf("undo:    %s\n", e->undo);
}

int
cli_report(enum cli_format fmt, const char *tool, const char *command, int rc,
	   const struct cli_edit *e, const char *err)
{
	char code[16];

	if (err)
		fprintf(stderr, "%s %s: %s\n", tool, command, err);
	snprintf(code, sizeof(code), "%d", rc);
	if (fmt == CLI_FMT_TEXT) {
		if (rc == CLI_OK && e)
			report_text(e);
	} else if (fmt == CLI_FMT_XML) {
		xmlNodePtr r = xmlNewNode(NULL, XC("result"));
		g_autofree char *s = NULL;

		xmlNewProp(r, XC("tool"), XC(tool));
		xmlNewProp(r, XC("command"), XC(command));
		xmlNewProp(r, XC("rc"), XC(code));
		if (err)
			xmlNewProp(r, XC("error"), XC(err));
		if (e && rc == CLI_OK) {
			xml_list(r, "wrote", e->wrote);
			xml_list(r, "removed", e->removed);
			xml_list(r, "note", e->notes);
			if (e->undo)
				xmlNewTextChild(r, NULL, XC("undo"),
						XC(e->undo));
		}
		s = cli_xml_string(r);
		printf("%s\n", s);
		xmlFreeNode(r);
	} else {
		GString *j = g_string_new("{\"tool\":");

		cli_json_string(j, tool);
		g_string_append(j, ",\"command\":");
		cli_json_string(j, command);
		g_string_append_printf(j, ",\"rc\":%d", rc);
		if (err) {
			g_string_append(j, ",\"error\":");
			cli_json_string(j, err);
		}
		if (e && rc == CLI_OK) {
			json_list(j, "wrote", e->wrote);
			json_list(j, "removed", e->removed);
			json_list(j, "notes", e->notes);
			if (e->undo) {
				g_string_append(j, ",\"undo\":");
				cli_json_string(j, e->undo);
			}
		}
		g_string_append(j, "}");
		printf("%s\n", j->str);
		g_string_free(j, TRUE);
	}
	return rc;
}

int
cli_edit_run(enum cli_format fmt, const char *tool, const char *command,
	     cli_build_fn build, void *arg)
{
	g_autofree char *err = NULL;
	struct cli_edit e;
	xmlDocPtr cib = NULL;
	int rc;

	cli_edit_init(&e);
	rc = cli_query(&cib, &err);
	if (rc == CLI_OK)
		rc = build(cib, &e, &err, arg);
	if (rc == CLI_OK && !cli_edit_empty(&e))
		rc = cli_apply(cib, &e, &err);
	rc = cli_report(fmt, tool, command, rc, &e, err);
	xmlFreeDoc(cib);
	cli_edit_clear(&e);
	return rc;
}
