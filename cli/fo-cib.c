/*
 * fo-cib.c - the configuration tool: show, verify, load, replace, diff,
 * history, rollback.
 *
 * In: files people write and the live CIB from the local fo-crmd. Out: the
 * configuration on stdout, or a change sent to the cluster. Every file is
 * checked here first (well-formed, inside fo's subset, file:line for each
 * problem) and again by every node before it is applied, so a bad file
 * changes nothing anywhere.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli.h"
#include "fo/common.h"
#include "fo/schema.h"
#include "fo/xmlutil.h"

static const char *const cib_sections[] = {
	"crm_config",	"nodes",       "resources", "constraints",
	"rsc_defaults", "op_defaults", NULL,
};

static void
usage(FILE *f)
{
	fputs("usage: fo-cib COMMAND [ARGS]\n"
	      "  show [SECTION]    print the live CIB, or one section\n"
	      "                    (configuration, status, resources, ...)\n"
	      "  verify [FILE]     check FILE (default: the live CIB)\n"
	      "  replace FILE      make FILE's configuration the cluster's\n"
	      "  load FILE         add or update, by id, every element of\n"
	      "                    FILE's configuration sections\n"
	      "  diff [SERIAL]     changes since a stored version (default:\n"
	      "                    the one before the current)\n"
	      "  history           the stored versions on this node\n"
	      "  rollback SERIAL   make a stored version current again\n"
	      "Exit codes: 0 ok, 1 error (or problems found), 2 usage,\n"
	      "3 no fo-crmd on this node, 4 permission denied.\n",
	      f);
}

struct parse_err {
	char *first;
};

static void
collect_error(void *data, xmlErrorPtr e)
{
	struct parse_err *pe = data;

	if (pe->first == NULL) {
		pe->first = g_strdup_printf(
			"%s:%d: %s", e->file ? e->file : "input", e->line,
			e->message ? e->message : "error");
		g_strchomp(pe->first);
	}
}

/* Parse a file people wrote; print the parser's complaint on failure. */
static xmlDocPtr
read_file(const char *path)
{
	struct parse_err pe = {0};
	xmlDocPtr doc;

	xmlSetStructuredErrorFunc(&pe, collect_error);
	doc = xmlReadFile(path, NULL,
			  XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				  XML_PARSE_HUGE);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		if (access(path, R_OK) != 0)
			fprintf(stderr, "fo-cib: cannot read %s: %s\n", path,
				g_strerror(errno));
		else
			fprintf(stderr,
				"fo-cib: %s is not well-formed XML: "
				"%s\n",
				path, pe.first ? pe.first : "empty");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	g_free(pe.first);
	return doc;
}

/* Print every finding; returns CLI_OK when none is an error. */
static int
check_doc(xmlDocPtr doc, const char *name, bool quiet_ok)
{
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	int rc = cib_config_check(xmlDocGetRootElement(doc), name, diags);
	unsigned errors = 0, warnings = 0;

	for (guint i = 0; i < diags->len; i++) {
		const struct cib_diag *d = diags->pdata[i];
		g_autofree char *line = cib_diag_format(d);

		fprintf(stderr, "%s\n", line);
		if (d->error)
			errors++;
		else
			warnings++;
	}
	g_ptr_array_unref(diags);
	if (rc != 0) {
		fprintf(stderr,
			"fo-cib: %s: %u error(s), %u warning(s); "
			"nothing was changed\n",
			name, errors, warnings);
		return CLI_ERROR;
	}
	if (!quiet_ok)
		printf("%s: valid for fo (%u warning(s))\n", name, warnings);
	return CLI_OK;
}

static void
print_node(xmlNodePtr n)
{
	xmlBufferPtr buf = xmlBufferCreate();

	xmlNodeDump(buf, n->doc, n, 0, 1);
	printf("%s\n", (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
}

static int
cmd_show(const char *section)
{
	const char *attrs[] = {"section", section, NULL};
	xmlDocPtr reply = NULL;
	int rc = cli_call("cib-query", section ? attrs : NULL, NULL, &reply);

	if (rc == CLI_OK && (rc = cli_reply_rc(reply, "fo-cib")) == CLI_OK)
		print_node(cli_reply_payload(reply));
	xmlFreeDoc(reply);
	return rc;
}

static xmlNodePtr
child_elem(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* Send a <change> and report the cluster's verdict. */
static int
send_change(xmlNodePtr change, const char *what)
{
	xmlDocPtr reply = NULL;
	int rc = cli_call("cib-change", NULL, change, &reply);

	if (rc == CLI_OK && (rc = cli_reply_rc(reply, "fo-cib")) == CLI_OK)
		printf("%s: applied on every node\n", what);
	xmlFreeDoc(reply);
	return rc;
}

static int
cmd_replace_or_load(const char *path, bool replace)
{
	xmlDocPtr doc = read_file(path);
	xmlNodePtr cfg, change;
	int rc;

	if (doc == NULL)
		return CLI_ERROR;
	if (strcmp((const char *)xmlDocGetRootElement(doc)->name, "cib") != 0) {
		fprintf(stderr,
			"fo-cib: %s: the root element is <%s>, not "
			"<cib>; nothing was changed\n",
			path, (const char *)xmlDocGetRootElement(doc)->name);
		xmlFreeDoc(doc);
		return CLI_ERROR;
	}
	rc = check_doc(doc, path, true);
	cfg = child_elem(xmlDocGetRootElement(doc), "configuration");
	if (rc != CLI_OK || cfg == NULL) {
		if (cfg == NULL)
			fprintf(stderr,
				"fo-cib: %s has no <configuration>; "
				"nothing was changed\n",
				path);
		xmlFreeDoc(doc);
		return CLI_ERROR;
	}
	change = xmlNewNode(NULL, XC("change"));
	if (replace) {
		xmlNodePtr r = xmlNewChild(change, NULL, XC("replace"), NULL);

		xmlAddChild(r, xmlCopyNode(cfg, 1));
	} else {
		for (int i = 0; cib_sections[i]; i++) {
			xmlNodePtr sec = child_elem(cfg, cib_sections[i]);

			for (xmlNodePtr e = sec ? sec->children : NULL; e;
			     e = e->next) {
				xmlNodePtr put;

				if (e->type != XML_ELEMENT_NODE)
					continue;
				put = xmlNewChild(change, NULL, XC("put"),
						  NULL);
				xmlNewProp(put, XC("section"),
					   XC(cib_sections[i]));
				xmlAddChild(put, xmlCopyNode(e, 1));
			}
		}
	}
	rc = send_change(change, path);
	xmlFreeNode(change);
	xmlFreeDoc(doc);
	return rc;
}

static int
cmd_verify(const char *path)
{
	xmlDocPtr doc = NULL, reply = NULL;
	int rc;

	if (path) {
		doc = read_file(path);
		if (doc == NULL)
			return CLI_ERROR;
		rc = check_doc(doc, path, false);
		xmlFreeDoc(doc);
		return rc;
	}
	rc = cli_call("cib-query", NULL, NULL, &reply);
	if (rc == CLI_OK && (rc = cli_reply_rc(reply, "fo-cib")) == CLI_OK) {
		doc = xmlNewDoc(XC("1.0"));
		xmlDocSetRootElement(
			doc, xmlDocCopyNode(cli_reply_payload(reply), doc, 1));
		rc = check_doc(doc, "live CIB", false);
		xmlFreeDoc(doc);
	}
	xmlFreeDoc(reply);
	return rc;
}

/* The stored versions, newest first, as the daemon lists them. */
static int
get_history(xmlDocPtr *reply)
{
	int rc = cli_call("cib-history", NULL, NULL, reply);

	if (rc == CLI_OK)
		rc = cli_reply_rc(*reply, "fo-cib");
	return rc;
}

static int
cmd_history(void)
{
	xmlDocPtr reply = NULL;
	int rc = get_history(&reply);

	if (rc != CLI_OK) {
		xmlFreeDoc(reply);
		return rc;
	}
	printf("%-8s %-20s %10s  %s\n", "SERIAL", "SAVED", "BYTES", "STATE");
	for (xmlNodePtr v = cli_reply_payload(reply)->children; v;
	     v = v->next) {
		g_autofree char *serial = (char *)xmlGetProp(v, XC("serial"));
		g_autofree char *t = (char *)xmlGetProp(v, XC("time"));
		g_autofree char *size = (char *)xmlGetProp(v, XC("size"));
		g_autofree char *valid = (char *)xmlGetProp(v, XC("valid"));
		time_t when = t ? (time_t)g_ascii_strtoll(t, NULL, 10) : 0;
		char stamp[32];
		struct tm tm;

		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S",
			 localtime_r(&when, &tm));
		printf("%-8s %-20s %10s  %s\n", serial, stamp, size,
		       g_strcmp0(valid, "true") == 0 ? "ok" : "CORRUPT");
	}
	xmlFreeDoc(reply);
	return CLI_OK;
}

/* A stored version's <cib>, fetched from the daemon. */
static xmlDocPtr
get_version(const char *serial)
{
	const char *attrs[] = {"serial", serial, NULL};
	xmlDocPtr reply = NULL, doc = NULL;

	if (cli_call("cib-version", attrs, NULL, &reply) == CLI_OK &&
	    cli_reply_rc(reply, "fo-cib") == CLI_OK) {
		doc = xmlNewDoc(XC("1.0"));
		xmlDocSetRootElement(
			doc, xmlDocCopyNode(cli_reply_payload(reply), doc, 1));
	}
	xmlFreeDoc(reply);
	return doc;
}

static int
cmd_rollback(const char *serial)
{
	xmlDocPtr doc = get_version(serial);
	xmlNodePtr cfg, change, r;
	g_autofree char *what = NULL;
	int rc;

	if (doc == NULL)
		return CLI_ERROR;
	cfg = child_elem(xmlDocGetRootElement(doc), "configuration");
	if (cfg == NULL) {
		fprintf(stderr, "fo-cib: version %s has no configuration\n",
			serial);
		xmlFreeDoc(doc);
		return CLI_ERROR;
	}
	change = xmlNewNode(NULL, XC("change"));
	r = xmlNewChild(change, NULL, XC("replace"), NULL);
	xmlAddChild(r, xmlCopyNode(cfg, 1));
	what = g_strdup_printf("rollback to version %s", serial);
	rc = send_change(change, what);
	xmlFreeNode(change);
	xmlFreeDoc(doc);
	return rc;
}

static char *
write_temp(xmlNodePtr n, const char *label)
{
	xmlBufferPtr buf = xmlBufferCreate();
	g_autofree char *tmpl = g_strdup_printf("fo-cib-%s-XXXXXX", label);
	char *path = NULL;
	int fd;

	if (n)
		xmlNodeDump(buf, n->doc, n, 0, 1);
	fd = g_file_open_tmp(tmpl, &path, NULL);
	if (fd >= 0) {
		if (write(fd, xmlBufferContent(buf),
			  (size_t)xmlBufferLength(buf)) < 0 ||
		    write(fd, "\n", 1) < 0) {
			g_free(path);
			path = NULL;
		}
		close(fd);
	}
	xmlBufferFree(buf);
	return path;
}

static int
cmd_diff(const char *serial)
{
	g_autofree char *old_serial = NULL, *a = NULL, *b = NULL;
	xmlDocPtr old = NULL, reply = NULL;
	int rc = CLI_ERROR, status = 0;

	if (serial == NULL) {
		xmlNodePtr h;

		if (get_history(&reply) != CLI_OK) {
			xmlFreeDoc(reply);
			return CLI_ERROR;
		}
		h = cli_reply_payload(reply)->children;
		if (h == NULL || h->next == NULL) {
			printf("no earlier version stored\n");
			xmlFreeDoc(reply);
			return CLI_OK;
		}
		old_serial = (char *)xmlGetProp(h->next, XC("serial"));
		xmlFreeDoc(reply);
		reply = NULL;
		serial = old_serial;
	}
	old = get_version(serial);
	if (old == NULL)
		return CLI_ERROR;
	if (cli_call("cib-query",
		     (const char *[]){"section", "configuration", NULL}, NULL,
		     &reply) != CLI_OK ||
	    cli_reply_rc(reply, "fo-cib") != CLI_OK)
		goto out;
	a = write_temp(child_elem(xmlDocGetRootElement(old), "configuration"),
		       "old");
	b = write_temp(cli_reply_payload(reply), "now");
	if (a && b) {
		g_autofree char *la = g_strdup_printf("version %s", serial);
		const char *argv[] = {"diff", "-u",	 "--label",
				      la,     "--label", "current",
				      a,      b,	 NULL};

		fflush(stdout);
		if (g_spawn_sync(NULL, (char **)(void *)argv, NULL,
				 G_SPAWN_SEARCH_PATH |
					 G_SPAWN_CHILD_INHERITS_STDIN,
				 NULL, NULL, NULL, NULL, &status, NULL))
			rc = CLI_OK;
		else
			fprintf(stderr, "fo-cib: cannot run diff\n");
	}
	if (a)
		unlink(a);
	if (b)
		unlink(b);
out:
	xmlFreeDoc(reply);
	xmlFreeDoc(old);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cmd;
	int c, nargs;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_OK;
		}
		usage(stderr);
		return CLI_USAGE;
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	cmd = argv[optind];
	nargs = argc - optind - 1;
	argv += optind + 1;
	if (strcmp(cmd, "show") == 0 && nargs <= 1)
		return cmd_show(nargs ? argv[0] : NULL);
	if (strcmp(cmd, "verify") == 0 && nargs <= 1)
		return cmd_verify(nargs ? argv[0] : NULL);
	if (strcmp(cmd, "replace") == 0 && nargs == 1)
		return cmd_replace_or_load(argv[0], true);
	if (strcmp(cmd, "load") == 0 && nargs == 1)
		return cmd_replace_or_load(argv[0], false);
	if (strcmp(cmd, "diff") == 0 && nargs <= 1)
		return cmd_diff(nargs ? argv[0] : NULL);
	if (strcmp(cmd, "history") == 0 && nargs == 0)
		return cmd_history();
	if (strcmp(cmd, "rollback") == 0 && nargs == 1)
		return cmd_rollback(argv[0]);
	fprintf(stderr, "fo-cib: unknown command or wrong arguments: %s\n",
		cmd);
	usage(stderr);
	return CLI_USAGE;
}
