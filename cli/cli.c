/*
 * cli.c - the tools' side of a request to fo-crmd (see cli.h).
 *
 * In: an operation name and its arguments. Out: the daemon's <reply>
 * document, or an exit code with the reason printed. The answer is parsed
 * with network access and entity expansion off, like every input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "cli.h"
#include "fo/common.h"
#include "fo/ctl.h"
#include "fo/xmlutil.h"

#define CLI_TIMEOUT_MS 120000

int
cli_call(const char *op, const char *const *attrs, xmlNodePtr child,
	 xmlDocPtr *reply)
{
	xmlDocPtr req = xmlNewDoc(XC("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, XC("request"));
	g_autofree char *err = NULL;
	GBytes *answer = NULL;
	xmlChar *text = NULL;
	const char *data;
	gsize n;
	int len = 0, rc;

	*reply = NULL;
	xmlDocSetRootElement(req, root);
	xmlNewProp(root, XC("op"), XC(op));
	for (int i = 0; attrs && attrs[i] && attrs[i + 1]; i += 2)
		xmlNewProp(root, XC(attrs[i]), XC(attrs[i + 1]));
	if (child)
		xmlAddChild(root, xmlDocCopyNode(child, req, 1));
	xmlDocDumpMemory(req, &text, &len);
	xmlFreeDoc(req);
	rc = ctl_call(NULL, text, (size_t)len, CLI_TIMEOUT_MS, &answer, &err);
	xmlFree(text);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err ? err : fo_strerror(rc));
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
	    strcmp((const char *)xmlDocGetRootElement(*reply)->name,
		   "reply") != 0) {
		fprintf(stderr, "fo-crmd sent an answer that is not a "
			"<reply>; is the daemon the same version as this "
			"tool?\n");
		xmlFreeDoc(*reply);
		*reply = NULL;
		return CLI_ERROR;
	}
	return CLI_OK;
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
