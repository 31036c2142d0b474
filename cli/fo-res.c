/*
 * fo-res.c - the resource tool: configuration commands (move, ban, clear,
 * start, stop, add, delete), views (status, locate, failcount) and
 * cleanup, each optionally followed by --wait.
 *
 * In: the command line and the live CIB from the local fo-crmd (or, for
 * the views, a CIB file). Out: one configuration change sent to the
 * cluster with a result that says what was written, what was removed and
 * how to undo it; or a view rendered by the pure functions of
 * res_status.c. The edits are built by the pure functions of res_edit.c;
 * every one is checked against the live CIB before it is sent, and again
 * by every node.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "cli.h"
#include "fo/cib.h"
#include "fo/xmlutil.h"
#include "res_status.h"

static void
usage(FILE *f)
{
	fputs("usage: fo-res [--output-as=text|xml|json] [--wait[=TIME]]\n"
	      "              COMMAND [ARGS]\n"
	      "  status           the cluster, as crm_mon -1 shows it: DC,\n"
	      "                   quorum, nodes, resources, fail counts,\n"
	      "                   failed actions (--watch: redraw on change)\n"
	      "  locate RSC       the nodes RSC (a group, a clone) runs on\n"
	      "  failcount RSC [NODE]  RSC's fail counts per node\n"
	      "  cleanup [RSC] [--node=NODE]  forget failures and operation\n"
	      "                   history (of RSC, on NODE; default: all) so\n"
	      "                   the cluster probes again\n"
	      "  move RSC NODE    run RSC on NODE (constraint cli-prefer-RSC,\n"
	      "                   score INFINITY); it stays until `clear`\n"
	      "  move RSC         move RSC away from the node it runs on\n"
	      "                   (a ban, see below)\n"
	      "  ban RSC [NODE]   keep RSC off NODE (default: its current\n"
	      "                   node): cli-ban-RSC-on-NODE, -INFINITY\n"
	      "  clear RSC        remove every move and ban constraint of RSC\n"
	      "  start RSC        meta attribute target-role=Started\n"
	      "  stop RSC         meta attribute target-role=Stopped\n"
	      "  add ID CLASS:PROVIDER:TYPE [name=value...]\n"
	      "      [op NAME interval=DURATION [timeout=DURATION]...]...\n"
	      "      [meta name=value...]\n"
	      "                   add a primitive (lsb:TYPE, stonith:TYPE\n"
	      "                   take no provider)\n"
	      "  delete RSC       remove RSC (refused while constraints name\n"
	      "                   it; --force removes them too)\n"
	      "Options:\n"
	      "  --force, -f      move: even where RSC already runs;\n"
	      "                   start/stop: on RSC alone, even inside a\n"
	      "                   stopped parent; delete: with the\n"
	      "                   constraints that name RSC\n"
	      "  --lifetime=DURATION  refused: fo has no date rules yet\n"
	      "  --output-as=FORMAT  the result as text (default), xml, json\n"
	      "  --wait[=TIME]    then wait until the cluster is idle\n"
	      "                   (default 60 s; status, locate, failcount:\n"
	      "                   wait first)\n"
	      "  --watch, -w      status: poll every second, redraw on change\n"
	      "                   until interrupted\n"
	      "  --cib-file=FILE  status, locate, failcount: read FILE\n"
	      "                   instead of asking fo-crmd\n"
	      "  --node=NODE, -N  cleanup: only on NODE\n"
	      "  --help, -h       this text\n"
	      "Every change prints what it wrote and the command that undoes\n"
	      "it. Exit codes: 0 ok, 1 error (nothing was changed; --wait:\n"
	      "not idle in time), 2 usage, 3 no fo-crmd on this node,\n"
	      "4 permission denied.\n"
	      "See docs/cli.md.\n",
	      f);
}

struct res_args {
	const char *cmd;
	int argc;
	char **argv;
	bool force;
	enum cli_format fmt;
	const char *cib_file; /* views: read this instead of fo-crmd */
	const char *node;     /* cleanup --node */
	bool watch;
	int wait_s; /* --wait: seconds, -1 without */
};

static int
build(xmlDocPtr cib, struct cli_edit *e, char **why, void *arg)
{
	const struct res_args *a = arg;
	const char *rsc = a->argv[0];
	const char *node = a->argc > 1 ? a->argv[1] : NULL;

	if (strcmp(a->cmd, "move") == 0)
		return cli_res_move(cib, rsc, node, a->force, e, why);
	if (strcmp(a->cmd, "ban") == 0)
		return cli_res_ban(cib, rsc, node, e, why);
	if (strcmp(a->cmd, "clear") == 0)
		return cli_res_clear(cib, rsc, e, why);
	if (strcmp(a->cmd, "start") == 0 || strcmp(a->cmd, "stop") == 0)
		return cli_res_role(cib, rsc, strcmp(a->cmd, "start") == 0,
				    a->force, e, why);
	if (strcmp(a->cmd, "add") == 0)
		return cli_res_add(cib, a->argc, a->argv, e, why);
	return cli_res_delete(cib, rsc, a->force, e, why);
}

/* The number of words each command takes after its name. */
static bool
arity_ok(const char *cmd, int n)
{
	if (strcmp(cmd, "move") == 0 || strcmp(cmd, "ban") == 0 ||
	    strcmp(cmd, "failcount") == 0)
		return n == 1 || n == 2;
	if (strcmp(cmd, "clear") == 0 || strcmp(cmd, "start") == 0 ||
	    strcmp(cmd, "stop") == 0 || strcmp(cmd, "delete") == 0 ||
	    strcmp(cmd, "locate") == 0)
		return n == 1;
	if (strcmp(cmd, "add") == 0)
		return n >= 2;
	if (strcmp(cmd, "status") == 0)
		return n == 0;
	if (strcmp(cmd, "cleanup") == 0)
		return n <= 1;
	return false;
}

static bool
is_view(const char *cmd)
{
	return strcmp(cmd, "status") == 0 || strcmp(cmd, "locate") == 0 ||
	       strcmp(cmd, "failcount") == 0;
}

/*
 * The CIB model and what the daemon says about itself, from fo-crmd's
 * status request or from a CIB file. Returns an exit code; on failure
 * *err says why (g_free()).
 */
static int
view_read(const struct res_args *a, struct cib **cib, struct rs_info *info,
	  char **err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr top = NULL, cibel = NULL;
	int rc = CLI_OK;

	*cib = NULL;
	*err = NULL;
	memset(info, 0, sizeof(*info));
	if (a->cib_file) {
		doc = xmlReadFile(a->cib_file, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOBLANKS |
					  XML_PARSE_HUGE | XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING);
		if (doc == NULL && access(a->cib_file, R_OK) != 0) {
			*err = g_strdup_printf("%s: %s", a->cib_file,
					       g_strerror(errno));
			return CLI_ERROR;
		}
		if (doc == NULL) {
			*err = g_strdup_printf("%s: not well-formed XML "
					       "(xmllint %s says where)",
					       a->cib_file, a->cib_file);
			return CLI_ERROR;
		}
		top = xmlDocGetRootElement(doc);
	} else {
		rc = cli_request("status", NULL, NULL, 30000, &doc, err);
		if (rc != CLI_OK)
			return rc;
		*err = cli_reply_error(doc);
		if (*err != NULL) {
			xmlFreeDoc(doc);
			return CLI_ERROR;
		}
		top = cli_reply_payload(doc);
	}
	if (rs_info_read(top, a->cib_file, info, &cibel) != 0) {
		*err = g_strdup(a->cib_file ? "the file holds no <cib>"
					    : "fo-crmd answered the status "
					      "request without a <cib>");
		rc = CLI_ERROR;
	} else if (rs_cib_load(cibel, a->cib_file ? a->cib_file : "fo-crmd",
			       cib, err) != 0) {
		rc = CLI_ERROR;
	}
	xmlFreeDoc(doc);
	return rc;
}

/* One rendering of a view into @out. */
static int
view_render(const struct res_args *a, GString *out, char **err)
{
	struct cib *cib = NULL;
	struct rs_info info;
	int64_t now = (int64_t)time(NULL);
	int rc = view_read(a, &cib, &info, err);

	if (rc != CLI_OK) {
		rs_info_clear(&info);
		return rc;
	}
	if (strcmp(a->cmd, "status") == 0)
		rs_status(cib, &info, now, a->fmt, out);
	else if (strcmp(a->cmd, "locate") == 0)
		rc = rs_locate(cib, a->argv[0], now, a->fmt, out, err);
	else
		rc = rs_failcount(cib, a->argv[0],
				  a->argc > 1 ? a->argv[1] : NULL, a->fmt, out,
				  err);
	cib_free(cib);
	rs_info_clear(&info);
	return rc;
}

static int
view_once(const struct res_args *a)
{
	GString *out = g_string_new(NULL);
	g_autofree char *err = NULL;
	int rc = view_render(a, out, &err);

	fputs(out->str, stdout);
	if (err)
		fprintf(stderr, "fo-res %s: %s\n", a->cmd, err);
	g_string_free(out, TRUE);
	return rc;
}

struct watch {
	const struct res_args *a;
	GMainLoop *loop;
	char *last; /* what is on the screen */
	int rc;
};

static gboolean
watch_poll(gpointer data)
{
	struct watch *w = data;
	GString *out = g_string_new(NULL);
	g_autofree char *err = NULL;
	int rc = view_render(w->a, out, &err);

	if (rc != CLI_OK && w->last == NULL) {
		/* the first poll failed: nothing to watch */
		fprintf(stderr, "fo-res status: %s\n", err);
		w->rc = rc;
		g_main_loop_quit(w->loop);
		g_string_free(out, TRUE);
		return G_SOURCE_REMOVE;
	}
	if (rc != CLI_OK)
		g_string_printf(out, "fo-res status: %s\n", err);
	if (g_strcmp0(out->str, w->last) != 0) {
		time_t now = time(NULL);
		char when[64];

		if (w->a->fmt == CLI_FMT_TEXT) {
			strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y",
				 localtime(&now));
			/* home, clear screen: one frame per change */
			printf("\033[H\033[2JLast updated: %s\n\n%s", when,
			       out->str);
		} else {
			fputs(out->str, stdout);
		}
		fflush(stdout);
		g_free(w->last);
		w->last = g_string_free(g_steal_pointer(&out), FALSE);
	}
	if (out)
		g_string_free(out, TRUE);
	return G_SOURCE_CONTINUE;
}

static gboolean
watch_stop(gpointer data)
{
	struct watch *w = data;

	g_main_loop_quit(w->loop);
	return G_SOURCE_REMOVE;
}

/* status --watch: poll once a second, redraw when the output changes,
 * end on SIGINT or SIGTERM. */
static int
view_watch(const struct res_args *a)
{
	struct watch w = {a, g_main_loop_new(NULL, FALSE), NULL, CLI_OK};
	guint poll, sigint, sigterm;

	watch_poll(&w);
	poll = g_timeout_add_seconds(1, watch_poll, &w);
	sigint = g_unix_signal_add(SIGINT, watch_stop, &w);
	sigterm = g_unix_signal_add(SIGTERM, watch_stop, &w);
	if (w.rc == CLI_OK)
		g_main_loop_run(w.loop);
	g_source_remove(poll);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	g_main_loop_unref(w.loop);
	g_free(w.last);
	return w.rc;
}

/*
 * --wait: ask fo-crmd to answer once the cluster is idle (the DC has no
 * transition to run) or @seconds have passed. Text output goes to
 * stdout; with xml/json it goes to stderr so stdout stays one document.
 */
static int
wait_idle(const struct res_args *a)
{
	char ms[32];
	const char *const attrs[] = {"timeout-ms", ms, NULL};
	FILE *say = a->fmt == CLI_FMT_TEXT ? stdout : stderr;
	g_autofree char *err = NULL, *tr = NULL;
	xmlDocPtr reply = NULL;
	int rc;

	snprintf(ms, sizeof(ms), "%llu", (unsigned long long)a->wait_s * 1000);
	/* the daemon answers at its timeout; give the socket some more */
	rc = cli_request("wait-idle", attrs, NULL,
			 (unsigned)a->wait_s * 1000 + 15000, &reply, &err);
	if (rc == CLI_OK && (err = cli_reply_error(reply)) != NULL)
		rc = CLI_ERROR;
	if (rc != CLI_OK) {
		fprintf(stderr, "fo-res --wait: %s\n", err);
		xmlFreeDoc(reply);
		return rc;
	}
	tr = cli_prop(cli_child(xmlDocGetRootElement(reply), "idle"),
		      "transition");
	if (tr && *tr == '\0')
		g_clear_pointer(&tr, g_free);
	fprintf(say, "fo-res --wait: the cluster is idle%s%s%s\n",
		tr ? " (transition " : "", tr ? tr : "", tr ? ")" : "");
	xmlFreeDoc(reply);
	return CLI_OK;
}

/*
 * A line for people from one element of the cleanup reply: fo-crmd
 * answers <cleanup [rsc=] [node=]/> once it has sent the request to every
 * node (each forgets its own history; the DC then probes again).
 */
static void
cleanup_item(struct cli_edit *e, xmlNodePtr c)
{
	g_autofree char *rsc = cli_prop(c, "rsc");
	g_autofree char *node = cli_prop(c, "node");

	if (strcmp((const char *)c->name, "cleanup") != 0) {
		g_ptr_array_add(e->notes, cli_xml_string(c));
		return;
	}
	cli_edit_note(e,
		      "%s%s asked to forget the operation history and fail "
		      "counts of %s%s; the DC probes again (--wait waits for "
		      "the outcome)",
		      node ? "node " : "every node", node ? node : "",
		      rsc ? "resource " : "every resource", rsc ? rsc : "");
}

/*
 * cleanup [RSC] [--node NODE]: checks the names against the live CIB,
 * sends <request op="cleanup" [rsc=] [node=]/> and reports the reply.
 */
static int
cleanup(const struct res_args *a)
{
	const char *rsc = a->argc > 0 ? a->argv[0] : NULL;
	const char *attrs[5] = {NULL};
	g_autofree char *err = NULL;
	struct cli_edit e;
	struct cib *cib = NULL;
	struct rs_info info;
	xmlDocPtr reply = NULL;
	int n = 0, rc;

	cli_edit_init(&e);
	rc = view_read(a, &cib, &info, &err);
	if (rc == CLI_OK && rsc && cib_find_rsc(cib, rsc) == NULL) {
		err = g_strdup_printf("no resource '%s' in the configuration "
				      "or the status section; nothing was "
				      "changed",
				      rsc);
		rc = CLI_ERROR;
	}
	if (rc == CLI_OK && a->node && cib_find_node(cib, a->node) == NULL) {
		err = g_strdup_printf("no node '%s' in the CIB; nothing was "
				      "changed",
				      a->node);
		rc = CLI_ERROR;
	}
	cib_free(cib);
	rs_info_clear(&info);
	if (rsc) {
		attrs[n++] = "rsc";
		attrs[n++] = rsc;
	}
	if (a->node) {
		attrs[n++] = "node";
		attrs[n++] = a->node;
	}
	if (rc == CLI_OK)
		rc = cli_request("cleanup", attrs, NULL, 120000, &reply, &err);
	if (rc == CLI_OK && (err = cli_reply_error(reply)) != NULL)
		rc = CLI_ERROR;
	for (xmlNodePtr c = rc == CLI_OK ? cli_reply_payload(reply) : NULL; c;
	     c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			cleanup_item(&e, c);
	if (rc == CLI_OK && e.notes->len == 0)
		cli_edit_note(&e, "fo-crmd accepted the cleanup");
	rc = cli_report(a->fmt, "fo-res", "cleanup", rc, &e, err);
	xmlFreeDoc(reply);
	cli_edit_clear(&e);
	return rc;
}

static int
usage_error(const char *msg)
{
	fprintf(stderr, "fo-res: %s (fo-res --help)\n", msg);
	return CLI_USAGE;
}

/* The checks of options that belong to some commands only. */
static int
check_options(const struct res_args *a, const char *lifetime)
{
	if (lifetime && strcmp(a->cmd, "move") != 0 &&
	    strcmp(a->cmd, "ban") != 0)
		return usage_error("--lifetime belongs to move and ban");
	if (a->cib_file && !is_view(a->cmd))
		return usage_error("--cib-file belongs to status, locate and "
				   "failcount");
	if (a->cib_file && a->wait_s >= 0)
		return usage_error("--wait asks fo-crmd; it does not go with "
				   "--cib-file");
	if (a->watch && strcmp(a->cmd, "status") != 0)
		return usage_error("--watch belongs to status");
	if (a->node && strcmp(a->cmd, "cleanup") != 0)
		return usage_error("--node belongs to cleanup");
	return CLI_OK;
}

static int
run(struct res_args *a, const char *lifetime)
{
	guint64 ms;
	int rc;

	if (is_view(a->cmd)) {
		if (a->wait_s >= 0 && (rc = wait_idle(a)) != CLI_OK)
			return rc;
		return a->watch ? view_watch(a) : view_once(a);
	}
	if (lifetime && cli_duration_ms(lifetime, &ms) != 0)
		return cli_report(a->fmt, "fo-res", a->cmd, CLI_USAGE, NULL,
				  "--lifetime: not a duration (e.g. PT1H, "
				  "30min)");
	if (lifetime)
		return cli_report(a->fmt, "fo-res", a->cmd, CLI_ERROR, NULL,
				  "--lifetime is not supported: Pacemaker "
				  "writes it as a rule with a date "
				  "expression, which is outside fo's subset "
				  "(nothing would expire it); nothing was "
				  "changed. Run the command without "
				  "--lifetime and `fo-res clear RSC` when "
				  "the time is up");
	if (strcmp(a->cmd, "cleanup") == 0)
		rc = cleanup(a);
	else
		rc = cli_edit_run(a->fmt, "fo-res", a->cmd, build, a);
	if (rc == CLI_OK && a->wait_s >= 0)
		rc = wait_idle(a);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"force", no_argument, NULL, 'f'},
		{"lifetime", required_argument, NULL, 'l'},
		{"output-as", required_argument, NULL, 'o'},
		{"wait", optional_argument, NULL, 'W'},
		{"watch", no_argument, NULL, 'w'},
		{"cib-file", required_argument, NULL, 'F'},
		{"node", required_argument, NULL, 'N'},
		{NULL, 0, NULL, 0},
	};
	struct res_args a = {.fmt = CLI_FMT_TEXT, .wait_s = -1};
	const char *lifetime = NULL;
	guint64 ms;
	int c, rc;

	while ((c = getopt_long(argc, argv, "hfl:o:wN:", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return CLI_OK;
		case 'f':
			a.force = true;
			break;
		case 'l':
			lifetime = optarg;
			break;
		case 'o':
			if (cli_format_parse(optarg, &a.fmt) == 0)
				break;
			fprintf(stderr,
				"fo-res: --output-as takes text, xml "
				"or json, not '%s'\n",
				optarg);
			return CLI_USAGE;
		case 'W':
			a.wait_s = 60;
			if (optarg == NULL)
				break;
			if (cli_duration_ms(optarg, &ms) != 0 || ms == 0 ||
			    ms > 86400000ULL) {
				fprintf(stderr,
					"fo-res: --wait takes a duration "
					"between 1 s and 1 day (e.g. 30, "
					"2min), not '%s'\n",
					optarg);
				return CLI_USAGE;
			}
			a.wait_s = (int)((ms + 999) / 1000);
			break;
		case 'w':
			a.watch = true;
			break;
		case 'F':
			a.cib_file = optarg;
			break;
		case 'N':
			a.node = optarg;
			break;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	a.cmd = argv[optind];
	a.argc = argc - optind - 1;
	a.argv = argv + optind + 1;
	if (!arity_ok(a.cmd, a.argc)) {
		fprintf(stderr,
			"fo-res: unknown command or wrong number of "
			"arguments: %s (fo-res --help lists the commands)\n",
			a.cmd);
		return CLI_USAGE;
	}
	rc = check_options(&a, lifetime);
	return rc != CLI_OK ? rc : run(&a, lifetime);
}
