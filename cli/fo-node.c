/*
 * fo-node.c - the node tool: list, standby, online, maintenance.
 *
 * In: the command line and the live CIB from the local fo-crmd. Out: the
 * nodes with their membership (from the status section's node_state) and
 * their standby/maintenance attributes, or one change to a node's
 * instance_attributes sent to the cluster (node_edit.c builds it), with
 * what was written and how to undo it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fo/xmlutil.h"

static void
usage(FILE *f)
{
	fputs("usage: fo-node [--output-as=text|xml|json] COMMAND [ARGS]\n"
	      "  list                   the nodes: membership, standby,\n"
	      "                         maintenance\n"
	      "  standby NODE           node attribute standby=on: no\n"
	      "                         resources may run on NODE\n"
	      "  online NODE            remove the standby attribute\n"
	      "  maintenance NODE on|off  node attribute maintenance=on, or\n"
	      "                         remove it: the cluster leaves NODE's\n"
	      "                         resources alone while it is on\n"
	      "Options:\n"
	      "  --output-as=FORMAT     text (default), xml or json\n"
	      "  --help, -h             this text\n"
	      "Exit codes: 0 ok, 1 error (nothing was changed), 2 usage,\n"
	      "3 no fo-crmd on this node, 4 permission denied.\n"
	      "See docs/cli.md.\n",
	      f);
}

static void
list_text(GPtrArray *rows)
{
	printf("%-16s %-6s %-22s %-8s %s\n", "NODE", "ID", "STATE", "STANDBY",
	       "MAINTENANCE");
	for (guint i = 0; i < rows->len; i++) {
		const struct cli_node_row *r = rows->pdata[i];

		printf("%-16s %-6s %-22s %-8s %s%s\n", r->name, r->id, r->state,
		       r->standby ? "on" : "off", r->maintenance ? "on" : "off",
		       r->configured ? "" : "  (not in <nodes>)");
	}
}

static void
list_xml(GPtrArray *rows)
{
	xmlNodePtr top = xmlNewNode(NULL, XC("nodes"));
	g_autofree char *s = NULL;

	for (guint i = 0; i < rows->len; i++) {
		const struct cli_node_row *r = rows->pdata[i];
		xmlNodePtr n = xmlNewChild(top, NULL, XC("node"), NULL);

		xmlNewProp(n, XC("name"), XC(r->name));
		xmlNewProp(n, XC("id"), XC(r->id));
		xmlNewProp(n, XC("state"), XC(r->state));
		xmlNewProp(n, XC("standby"), XC(r->standby ? "true" : "false"));
		xmlNewProp(n, XC("maintenance"),
			   XC(r->maintenance ? "true" : "false"));
		xmlNewProp(n, XC("configured"),
			   XC(r->configured ? "true" : "false"));
	}
	s = cli_xml_string(top);
	printf("%s\n", s);
	xmlFreeNode(top);
}

static void
list_json(GPtrArray *rows)
{
	GString *j = g_string_new("{\"nodes\":[");

	for (guint i = 0; i < rows->len; i++) {
		const struct cli_node_row *r = rows->pdata[i];

		g_string_append(j, i ? ",{\"name\":" : "{\"name\":");
		cli_json_string(j, r->name);
		g_string_append(j, ",\"id\":");
		cli_json_string(j, r->id);
		g_string_append(j, ",\"state\":");
		cli_json_string(j, r->state);
		g_string_append_printf(j,
				       ",\"standby\":%s,\"maintenance\":%s,"
				       "\"configured\":%s}",
				       r->standby ? "true" : "false",
				       r->maintenance ? "true" : "false",
				       r->configured ? "true" : "false");
	}
	g_string_append(j, "]}");
	printf("%s\n", j->str);
	g_string_free(j, TRUE);
}

static int
cmd_list(enum cli_format fmt)
{
	g_autofree char *err = NULL;
	xmlDocPtr cib = NULL;
	GPtrArray *rows;
	int rc = cli_query(&cib, &err);

	if (rc != CLI_OK)
		return cli_report(fmt, "fo-node", "list", rc, NULL, err);
	rows = cli_node_rows(cib);
	if (fmt == CLI_FMT_XML)
		list_xml(rows);
	else if (fmt == CLI_FMT_JSON)
		list_json(rows);
	else
		list_text(rows);
	g_ptr_array_unref(rows);
	xmlFreeDoc(cib);
	return CLI_OK;
}

struct node_args {
	const char *node;
	const char *name;
	const char *value; /* NULL: remove */
	char *undo;
};

static int
build(xmlDocPtr cib, struct cli_edit *e, char **why, void *arg)
{
	const struct node_args *a = arg;
	int rc =
		cli_node_attr(cib, a->node, a->name, a->value, a->undo, e, why);

	if (rc == CLI_OK && !cli_edit_empty(e) && a->value &&
	    strcmp(a->name, "standby") == 0)
		cli_edit_note(e,
			      "%s stays in standby, across restarts, until "
			      "`fo-node online %s`",
			      a->node, a->node);
	if (rc == CLI_OK && !cli_edit_empty(e) && a->value &&
	    strcmp(a->name, "maintenance") == 0)
		cli_edit_note(e,
			      "the cluster neither starts, stops nor "
			      "monitors resources on %s until `fo-node "
			      "maintenance %s off`",
			      a->node, a->node);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"output-as", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = CLI_FMT_TEXT;
	struct node_args a = {0};
	const char *cmd;
	int c, n, rc;

	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return CLI_OK;
		}
		if (c == 'o' && cli_format_parse(optarg, &fmt) == 0)
			continue;
		if (c == 'o')
			fprintf(stderr,
				"fo-node: --output-as takes text, xml "
				"or json, not '%s'\n",
				optarg);
		else
			usage(stderr);
		return CLI_USAGE;
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	cmd = argv[optind];
	n = argc - optind - 1;
	argv += optind + 1;
	if (strcmp(cmd, "list") == 0 && n == 0)
		return cmd_list(fmt);
	if (strcmp(cmd, "standby") == 0 && n == 1) {
		a = (struct node_args){
			argv[0], "standby", "on",
			g_strdup_printf("fo-node online %s", argv[0])};
	} else if (strcmp(cmd, "online") == 0 && n == 1) {
		a = (struct node_args){
			argv[0], "standby", NULL,
			g_strdup_printf("fo-node standby %s", argv[0])};
	} else if (strcmp(cmd, "maintenance") == 0 && n == 2 &&
		   (strcmp(argv[1], "on") == 0 ||
		    strcmp(argv[1], "off") == 0)) {
		bool on = strcmp(argv[1], "on") == 0;

		a = (struct node_args){argv[0], "maintenance", on ? "on" : NULL,
				       g_strdup_printf("fo-node maintenance "
						       "%s %s",
						       argv[0],
						       on ? "off" : "on")};
	} else {
		fprintf(stderr,
			"fo-node: unknown command or wrong "
			"arguments: %s (fo-node --help lists them)\n",
			cmd);
		return CLI_USAGE;
	}
	rc = cli_edit_run(fmt, "fo-node", cmd, build, &a);
	g_free(a.undo);
	return rc;
}
