/*
 * fo-res.c - the resource tool's configuration commands: move, ban, clear,
 * start, stop, add, delete.
 *
 * In: the command line and the live CIB from the local fo-crmd. Out: one
 * configuration change sent to the cluster, and a result that says what
 * was written, what was removed and how to undo it. The edits themselves
 * are built by the pure functions of res_edit.c; every one is checked
 * against the live CIB before it is sent, and again by every node.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fo/xmlutil.h"

static void
usage(FILE *f)
{
	fputs("usage: fo-res [--output-as=text|xml|json] COMMAND [ARGS]\n"
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
	      "  --help, -h       this text\n"
	      "Every change prints what it wrote and the command that undoes\n"
	      "it. Exit codes: 0 ok, 1 error (nothing was changed), 2 usage,\n"
	      "3 no fo-crmd on this node, 4 permission denied.\n"
	      "See docs/cli.md.\n",
	      f);
}

struct res_args {
	const char *cmd;
	int argc;
	char **argv;
	bool force;
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
	if (strcmp(cmd, "move") == 0 || strcmp(cmd, "ban") == 0)
		return n == 1 || n == 2;
	if (strcmp(cmd, "clear") == 0 || strcmp(cmd, "start") == 0 ||
	    strcmp(cmd, "stop") == 0 || strcmp(cmd, "delete") == 0)
		return n == 1;
	if (strcmp(cmd, "add") == 0)
		return n >= 2;
	return false;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"force", no_argument, NULL, 'f'},
		{"lifetime", required_argument, NULL, 'l'},
		{"output-as", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = CLI_FMT_TEXT;
	struct res_args a = {0};
	const char *lifetime = NULL;
	guint64 ms;
	int c;

	while ((c = getopt_long(argc, argv, "hfl:o:", longopts, NULL)) != -1) {
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
			if (cli_format_parse(optarg, &fmt) == 0)
				break;
			fprintf(stderr,
				"fo-res: --output-as takes text, xml "
				"or json, not '%s'\n",
				optarg);
			return CLI_USAGE;
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
	if (lifetime && strcmp(a.cmd, "move") != 0 &&
	    strcmp(a.cmd, "ban") != 0) {
		fprintf(stderr, "fo-res: --lifetime belongs to move and ban\n");
		return CLI_USAGE;
	}
	if (lifetime && cli_duration_ms(lifetime, &ms) != 0)
		return cli_report(fmt, "fo-res", a.cmd, CLI_USAGE, NULL,
				  "--lifetime: not a duration (e.g. PT1H, "
				  "30min)");
	if (lifetime)
		return cli_report(fmt, "fo-res", a.cmd, CLI_ERROR, NULL,
				  "--lifetime is not supported: Pacemaker "
				  "writes it as a rule with a date "
				  "expression, which is outside fo's subset "
				  "(nothing would expire it); nothing was "
				  "changed. Run the command without "
				  "--lifetime and `fo-res clear RSC` when "
				  "the time is up");
	return cli_edit_run(fmt, "fo-res", a.cmd, build, &a);
}
