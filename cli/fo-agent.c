/*
 * fo-agent.c - resource agents for the people who write them.
 *
 * In: an agent name (ocf:PROVIDER:TYPE or lsb:NAME), an action and
 * parameters on the command line. Out: the installed agents (list), the
 * meta-data in readable form (info), one operation run through the
 * executor exactly as the daemon runs it (run), or a conformance check
 * (test); text by default, --output-as=json or xml for scripts. Exit codes: 0
 * ok, 1 error (or test failed), 2 usage; "run" exits with the agent's OCF rc
 * when the operation completed (see docs/agents.md).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fo/common.h"
#include "fo/exec.h"

struct agent_opts {
	bool json, xml;
	guint timeout_ms, interval_ms;
	const char *rsc, *check_level, *rsctmp, *node;
	bool probe, no_cgroup;
	GHashTable *meta;
};

struct agent_name {
	char *standard, *provider, *type;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: fo-agent [--output-as=text|json|xml] COMMAND ...\n"
		   "  list [CLASS[:PROVIDER]]          installed agents (ocf, "
		   "lsb)\n"
		   "  info AGENT                       parameters and actions "
		   "from meta-data\n"
		   "  run AGENT ACTION [name=value...] run one operation as "
		   "the daemon would\n"
		   "  test AGENT [name=value...]       conformance check of an "
		   "agent\n"
		   "AGENT is ocf:PROVIDER:TYPE or lsb:NAME. Options for run "
		   "and test:\n"
		   "  --timeout=MS  --interval=MS  --resource=NAME  "
		   "--meta=name=value\n"
		   "  --check-level=N  --probe  --rsctmp=DIR  --node=NAME  "
		   "--no-cgroup\n"
		   "Environment: OCF_ROOT (default " FO_OCF_ROOT ").\n"
		   "Exit: 0 ok, 1 error or failed test, 2 usage; run: the "
		   "agent's OCF rc.\n");
}

/* Append "key":"value", with a leading comma unless first. */
static void
json_kv(GString *s, const char *k, const char *v)
{
	if (s->len > 0 && s->str[s->len - 1] != '{')
		g_string_append_c(s, ',');
	cli_json_string(s, k);
	g_string_append_c(s, ':');
	cli_json_string(s, v);
}

static void
json_ki(GString *s, const char *k, long long v)
{
	if (s->len > 0 && s->str[s->len - 1] != '{')
		g_string_append_c(s, ',');
	cli_json_string(s, k);
	g_string_append_printf(s, ":%lld", v);
}

/* printf with every %s argument escaped for XML. */
static void G_GNUC_PRINTF(1, 2) xml_print(const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	fputs(t, stdout);
	g_free(t);
}

static int
agent_parse(const char *spec, struct agent_name *a)
{
	g_auto(GStrv) f = g_strsplit(spec, ":", 3);
	guint n = g_strv_length(f);

	memset(a, 0, sizeof(*a));
	if (n == 3 && strcmp(f[0], "ocf") == 0 && *f[1] && *f[2]) {
		a->standard = g_strdup("ocf");
		a->provider = g_strdup(f[1]);
		a->type = g_strdup(f[2]);
		return 0;
	}
	if (n == 2 && strcmp(f[0], "lsb") == 0 && *f[1]) {
		a->standard = g_strdup("lsb");
		a->type = g_strdup(f[1]);
		return 0;
	}
	fprintf(stderr,
		"fo-agent: '%s' is not an agent name; use "
		"ocf:PROVIDER:TYPE (e.g. ocf:heartbeat:Dummy) or lsb:NAME\n",
		spec);
	return -1;
}

static void
agent_clear(struct agent_name *a)
{
	g_free(a->standard);
	g_free(a->provider);
	g_free(a->type);
}

/* name=value arguments into a table; returns -1 on a malformed one. */
static int
params_parse(int argc, char **argv, GHashTable *h)
{
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		g_autofree char *name = NULL;

		if (eq == NULL || eq == argv[i]) {
			fprintf(stderr,
				"fo-agent: parameter '%s' is not "
				"name=value\n",
				argv[i]);
			return -1;
		}
		name = g_strndup(argv[i], (gsize)(eq - argv[i]));
		if (!exec_param_name_ok(name)) {
			fprintf(stderr,
				"fo-agent: parameter name '%s' may "
				"only hold letters, digits, '_' and '-'\n",
				name);
			return -1;
		}
		g_hash_table_replace(h, g_steal_pointer(&name),
				     g_strdup(eq + 1));
	}
	return 0;
}

static GHashTable *
table_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static struct exec *
agent_exec(const struct agent_opts *o)
{
	struct exec_config cfg = {0};
	struct exec *exec;
	int err = 0;

	cfg.rsctmp = o->rsctmp;
	cfg.node_name = o->node;
	cfg.cgroup_base = o->no_cgroup ? "" : NULL;
	exec = exec_new(NULL, &cfg, &err);
	if (exec == NULL)
		fprintf(stderr, "fo-agent: cannot start the executor: %s\n",
			fo_strerror(err));
	return exec;
}

/*
 * The common start of info, run and test: the agent name in argv[0],
 * @fixed more arguments, then name=value parameters. Returns -1 when all
 * is ready (the caller clears @a and frees @exec), else the exit code.
 */
static int
cmd_prepare(int argc, char **argv, int fixed, const struct agent_opts *o,
	    struct agent_name *a, GHashTable *params, struct exec **exec)
{
	if (argc < 1 + fixed || (params == NULL && argc > 1 + fixed)) {
		usage(stderr);
		return 2;
	}
	if (agent_parse(argv[0], a) < 0)
		return 2;
	if (params != NULL &&
	    params_parse(argc - 1 - fixed, argv + 1 + fixed, params) < 0) {
		agent_clear(a);
		return 2;
	}
	if ((*exec = agent_exec(o)) == NULL) {
		agent_clear(a);
		return 1;
	}
	return -1;
}

static int
list_dir(const char *dir, const char *prefix, GPtrArray *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		g_autofree char *p = NULL;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		p = g_build_filename(dir, e->d_name, NULL);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(p, X_OK) == 0)
			g_ptr_array_add(out,
					g_strconcat(prefix, e->d_name, NULL));
	}
	closedir(d);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_list(int argc, char **argv, const struct agent_opts *o)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) sel = g_strsplit(argc > 0 ? argv[0] : "", ":", 2);
	const char *cls = sel[0] && *sel[0] ? sel[0] : NULL;
	const char *prov = cls && sel[1] ? sel[1] : NULL;
	const char *root = getenv("OCF_ROOT");
	g_autofree char *rd = NULL;

	if (argc > 1 || (cls && strcmp(cls, "ocf") && strcmp(cls, "lsb"))) {
		usage(stderr);
		return 2;
	}
	rd = g_build_filename(root && *root ? root : FO_OCF_ROOT, "resource.d",
			      NULL);
	if (cls == NULL || strcmp(cls, "ocf") == 0) {
		g_autoptr(GPtrArray) provs =
			g_ptr_array_new_with_free_func(g_free);
		DIR *d = opendir(rd);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' &&
			    (prov == NULL || strcmp(prov, e->d_name) == 0))
				g_ptr_array_add(provs, g_strdup(e->d_name));
		if (d)
			closedir(d);
		for (guint i = 0; i < provs->len; i++) {
			g_autofree char *dir =
				g_build_filename(rd, provs->pdata[i], NULL);
			g_autofree char *pre = g_strdup_printf(
				"ocf:%s:", (char *)provs->pdata[i]);

			(void)list_dir(dir, pre, out);
		}
	}
	if (cls == NULL || strcmp(cls, "lsb") == 0)
		(void)list_dir("/etc/init.d", "lsb:", out);
	g_ptr_array_sort(out, cmp_str);
	if (o->xml) {
		printf("<agents>\n");
		for (guint i = 0; i < out->len; i++)
			xml_print("  <agent id=\"%s\"/>\n",
				  (const char *)out->pdata[i]);
		printf("</agents>\n");
	} else if (o->json) {
		GString *s = g_string_new("{\"agents\":[");

		for (guint i = 0; i < out->len; i++) {
			if (i)
				g_string_append_c(s, ',');
			cli_json_string(s, out->pdata[i]);
		}
		g_string_append(s, "]}");
		puts(s->str);
		g_string_free(s, TRUE);
	} else {
		for (guint i = 0; i < out->len; i++)
			puts(out->pdata[i]);
	}
	return 0;
}

static void
info_text(const struct ocf_metadata *md, const char *spec)
{
	printf("%s - %s\n", spec, md->shortdesc ? md->shortdesc : "");
	if (md->longdesc)
		printf("\n%s\n", md->longdesc);
	printf("\nParameters:\n");
	for (guint i = 0; i < md->params->len; i++) {
		const struct ocf_param *p = md->params->pdata[i];

		printf("  %s (%s%s%s)%s%s%s\n      %s\n", p->name,
		       p->type ? p->type : "string",
		       p->required ? ", required" : "",
		       p->unique ? ", unique" : "",
		       p->dflt && *p->dflt ? " [default: " : "",
		       p->dflt && *p->dflt ? p->dflt : "",
		       p->dflt && *p->dflt ? "]" : "",
		       p->shortdesc ? p->shortdesc : "");
	}
	printf("\nActions:\n");
	for (guint i = 0; i < md->actions->len; i++) {
		const struct ocf_action *a = md->actions->pdata[i];

		printf("  %-14s timeout %us", a->name, a->timeout_ms / 1000);
		if (a->interval_ms)
			printf("  interval %gs", a->interval_ms / 1000.0);
		if (a->depth)
			printf("  depth %s", a->depth);
		if (a->role)
			printf("  role %s", a->role);
		printf("\n");
	}
}

static void
info_json(const struct ocf_metadata *md, const char *spec)
{
	GString *s = g_string_new("{");

	json_kv(s, "agent", spec);
	json_kv(s, "shortdesc", md->shortdesc);
	json_kv(s, "longdesc", md->longdesc);
	g_string_append(s, ",\"parameters\":[");
	for (guint i = 0; i < md->params->len; i++) {
		const struct ocf_param *p = md->params->pdata[i];

		g_string_append(s, i ? ",{" : "{");
		json_kv(s, "name", p->name);
		json_kv(s, "type", p->type ? p->type : "string");
		json_kv(s, "default", p->dflt);
		g_string_append_printf(s, ",\"required\":%s,\"unique\":%s",
				       p->required ? "true" : "false",
				       p->unique ? "true" : "false");
		json_kv(s, "shortdesc", p->shortdesc);
		g_string_append_c(s, '}');
	}
	g_string_append(s, "],\"actions\":[");
	for (guint i = 0; i < md->actions->len; i++) {
		const struct ocf_action *a = md->actions->pdata[i];

		g_string_append(s, i ? ",{" : "{");
		json_kv(s, "name", a->name);
		json_ki(s, "timeout_ms", a->timeout_ms);
		json_ki(s, "interval_ms", a->interval_ms);
		if (a->depth)
			json_kv(s, "depth", a->depth);
		if (a->role)
			json_kv(s, "role", a->role);
		g_string_append_c(s, '}');
	}
	g_string_append(s, "]}");
	puts(s->str);
	g_string_free(s, TRUE);
}

static void
info_xml(const struct ocf_metadata *md, const char *spec)
{
	xml_print("<agent id=\"%s\" shortdesc=\"%s\">\n  <parameters>\n", spec,
		  md->shortdesc ? md->shortdesc : "");
	for (guint i = 0; i < md->params->len; i++) {
		const struct ocf_param *p = md->params->pdata[i];

		xml_print("    <parameter name=\"%s\" type=\"%s\" "
			  "default=\"%s\" required=\"%s\" unique=\"%s\" "
			  "shortdesc=\"%s\"/>\n",
			  p->name, p->type ? p->type : "string",
			  p->dflt ? p->dflt : "", p->required ? "1" : "0",
			  p->unique ? "1" : "0",
			  p->shortdesc ? p->shortdesc : "");
	}
	printf("  </parameters>\n  <actions>\n");
	for (guint i = 0; i < md->actions->len; i++) {
		const struct ocf_action *a = md->actions->pdata[i];

		xml_print("    <action name=\"%s\"", a->name);
		printf(" timeout-ms=\"%u\" interval-ms=\"%u\"", a->timeout_ms,
		       a->interval_ms);
		if (a->depth)
			xml_print(" depth=\"%s\"", a->depth);
		if (a->role)
			xml_print(" role=\"%s\"", a->role);
		printf("/>\n");
	}
	printf("  </actions>\n</agent>\n");
}

static int
cmd_info(int argc, char **argv, const struct agent_opts *o)
{
	struct agent_name a;
	const struct ocf_metadata *md = NULL;
	g_autofree char *err = NULL;
	struct exec *exec;
	int rc;

	if ((rc = cmd_prepare(argc, argv, 0, o, &a, NULL, &exec)) >= 0)
		return rc;
	rc = exec_metadata_get(exec, a.standard, a.provider, a.type, &md, &err);
	if (rc < 0)
		fprintf(stderr, "fo-agent: %s: meta-data: %s\n", argv[0],
			err ? err : fo_strerror(rc));
	else if (o->xml)
		info_xml(md, argv[0]);
	else if (o->json)
		info_json(md, argv[0]);
	else
		info_text(md, argv[0]);
	exec_free(exec);
	agent_clear(&a);
	return rc < 0 ? 1 : 0;
}

static void
result_json(GString *s, const struct exec_result *r)
{
	g_string_append_c(s, '{');
	json_kv(s, "resource", r->rsc);
	json_kv(s, "action", r->action);
	json_ki(s, "interval_ms", r->interval_ms);
	json_ki(s, "rc", r->rc);
	json_kv(s, "rc_text", ocf_rc_name(r->rc));
	json_ki(s, "op_status", r->status);
	json_kv(s, "status", exec_status_name(r->status));
	json_ki(s, "exit_code", r->exit_code);
	json_ki(s, "signal", r->signo);
	json_ki(s, "exec_ms", r->exec_ms);
	json_ki(s, "queue_ms", r->queue_ms);
	if (r->exit_reason)
		json_kv(s, "exit_reason", r->exit_reason);
	json_kv(s, "stdout", r->out);
	json_kv(s, "stderr", r->err);
	g_string_append_c(s, '}');
}

/* The result as Pacemaker records it (lrm_rsc_op), plus the output. */
static void
result_xml(const struct exec_result *r)
{
	xml_print("<result>\n  <lrm_rsc_op id=\"%s_%s_%u\" operation=\"%s\"",
		  r->rsc, r->action, r->interval_ms, r->action);
	printf(" call-id=\"%" G_GUINT64_FORMAT "\" rc-code=\"%d\" "
	       "op-status=\"%d\" interval=\"%u\" last-run=\"%" G_GINT64_FORMAT
	       "\" last-rc-change=\"%" G_GINT64_FORMAT "\" exec-time=\"%u\" "
	       "queue-time=\"%u\"",
	       r->call_id, r->rc, (int)r->status, r->interval_ms, r->t_run,
	       r->t_run, r->exec_ms, r->queue_ms);
	if (r->exit_reason)
		xml_print(" exit-reason=\"%s\"", r->exit_reason);
	xml_print("/>\n  <stdout>%s</stdout>\n  <stderr>%s</stderr>\n"
		  "</result>\n",
		  r->out ? r->out : "", r->err ? r->err : "");
}

static void
result_text(const struct exec_result *r, const char *spec)
{
	printf("%s %s (resource %s): rc %d (%s), %s, %u ms\n", spec, r->action,
	       r->rsc, r->rc, ocf_rc_name(r->rc), exec_status_name(r->status),
	       r->exec_ms);
	if (r->exit_reason)
		printf("exit reason: %s\n", r->exit_reason);
	if (r->out && *r->out)
		printf("--- stdout%s\n%s%s",
		       r->out_dropped ? " (truncated)" : "", r->out,
		       g_str_has_suffix(r->out, "\n") ? "" : "\n");
	if (r->err && *r->err)
		printf("--- stderr%s\n%s%s",
		       r->err_dropped ? " (truncated)" : "", r->err,
		       g_str_has_suffix(r->err, "\n") ? "" : "\n");
}

static void
req_init(struct exec_op_req *req, const struct agent_name *a,
	 const struct agent_opts *o, const char *action, GHashTable *params)
{
	memset(req, 0, sizeof(*req));
	req->rsc = o->rsc ? o->rsc : a->type;
	req->standard = a->standard;
	req->provider = a->provider;
	req->type = a->type;
	req->action = action;
	req->timeout_ms = o->timeout_ms;
	req->interval_ms = o->interval_ms;
	req->params = params;
	req->meta = o->meta;
	req->check_level = o->check_level;
	req->probe = o->probe;
}

static int
cmd_run(int argc, char **argv, const struct agent_opts *o)
{
	struct agent_name a;
	g_autoptr(GHashTable) params = table_new();
	struct exec_op_req req;
	struct exec_result *res = NULL;
	struct exec *exec;
	int rc;

	if ((rc = cmd_prepare(argc, argv, 1, o, &a, params, &exec)) >= 0)
		return rc;
	req_init(&req, &a, o, argv[1], params);
	rc = exec_run_sync(exec, &req, &res);
	if (rc < 0) {
		fprintf(stderr, "fo-agent: cannot run %s %s: %s\n", argv[0],
			argv[1], fo_strerror(rc));
		rc = 2;
	} else if (o->xml) {
		result_xml(res);
	} else if (o->json) {
		GString *s = g_string_new(NULL);

		result_json(s, res);
		puts(s->str);
		g_string_free(s, TRUE);
	} else {
		result_text(res, argv[0]);
	}
	if (res != NULL)
		rc = res->status == EXEC_DONE ? res->rc : 1;
	exec_result_free(res);
	exec_free(exec);
	agent_clear(&a);
	return rc;
}

/* fo-agent test: one conformance step and its verdict. */
struct test_ctx {
	struct exec *exec;
	struct agent_name *a;
	const struct agent_opts *o;
	const struct ocf_metadata *md;
	GString *json;
	bool xml;
	int failed, steps;
};

static void
test_report(struct test_ctx *t, const char *what, bool pass, const char *detail)
{
	t->steps++;
	if (!pass)
		t->failed++;
	if (t->xml) {
		xml_print("  <step name=\"%s\" pass=\"%s\" detail=\"%s\"/>\n",
			  what, pass ? "true" : "false", detail);
	} else if (t->json != NULL) {
		GString *s = t->json;

		if (s->str[s->len - 1] != '[')
			g_string_append_c(s, ',');
		g_string_append_c(s, '{');
		json_kv(s, "step", what);
		g_string_append_printf(s, ",\"pass\":%s",
				       pass ? "true" : "false");
		json_kv(s, "detail", detail);
		g_string_append_c(s, '}');
	} else {
		printf("%s  %-40s %s\n", pass ? "PASS" : "FAIL", what, detail);
	}
}

/* Run ACTION; pass if rc is one of @want (terminated by -1). */
static bool
test_op(struct test_ctx *t, const char *what, const char *action,
	GHashTable *params, bool probe, const int *want)
{
	const struct ocf_action *ma = ocf_metadata_action(t->md, action);
	struct exec_op_req req;
	struct exec_result *res = NULL;
	g_autofree char *detail = NULL;
	bool pass = false;
	guint limit;

	req_init(&req, t->a, t->o, action, params);
	req.probe = probe;
	limit = ma && ma->timeout_ms ? ma->timeout_ms : 20000;
	if (t->o->timeout_ms)
		limit = t->o->timeout_ms;
	req.timeout_ms = limit;
	if (exec_run_sync(t->exec, &req, &res) < 0) {
		test_report(t, what, false, "request refused");
		return false;
	}
	for (const int *w = want; *w >= 0; w++)
		if (res->status == EXEC_DONE && res->rc == *w)
			pass = true;
	if (res->exec_ms > limit)
		pass = false;
	detail = g_strdup_printf("rc %d (%s), %s, %u ms of %u%s%s", res->rc,
				 ocf_rc_name(res->rc),
				 exec_status_name(res->status), res->exec_ms,
				 limit, res->exit_reason ? ": " : "",
				 res->exit_reason ? res->exit_reason : "");
	test_report(t, what, pass, detail);
	exec_result_free(res);
	return pass;
}

static void
test_metadata(struct test_ctx *t)
{
	static const char *const need[] = {"start", "stop", "monitor",
					   "meta-data"};
	GString *missing = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(need); i++)
		if (ocf_metadata_action(t->md, need[i]) == NULL)
			g_string_append_printf(missing, " %s", need[i]);
	for (guint i = 0; i < t->md->actions->len; i++) {
		const struct ocf_action *a = t->md->actions->pdata[i];

		if (a->timeout_ms == 0)
			g_string_append_printf(missing, " timeout of %s",
					       a->name);
	}
	test_report(t, "meta-data lists start, stop, monitor",
		    missing->len == 0,
		    missing->len ? missing->str + 1
				 : "well-formed, all present with timeouts");
	g_string_free(missing, TRUE);
}

/* Parameters that validate-all must reject: required ones dropped, or an
 * integer parameter set to a word. NULL when the agent has neither. */
static GHashTable *
test_bad_params(const struct test_ctx *t, GHashTable *good, char **how)
{
	GHashTable *bad = table_new();
	GHashTableIter it;
	gpointer k, v;
	bool changed = false;

	g_hash_table_iter_init(&it, good);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_insert(bad, g_strdup(k), g_strdup(v));
	for (guint i = 0; i < t->md->params->len; i++) {
		const struct ocf_param *p = t->md->params->pdata[i];

		if (p->required) {
			g_hash_table_remove(bad, p->name);
			*how = g_strdup_printf("without required %s", p->name);
			changed = true;
			break;
		}
	}
	for (guint i = 0; !changed && i < t->md->params->len; i++) {
		const struct ocf_param *p = t->md->params->pdata[i];

		if (g_strcmp0(p->type, "integer") == 0) {
			g_hash_table_replace(bad, g_strdup(p->name),
					     g_strdup("not-a-number"));
			*how = g_strdup_printf("%s=not-a-number", p->name);
			changed = true;
		}
	}
	if (!changed)
		g_clear_pointer(&bad, g_hash_table_destroy);
	return bad;
}

static int
cmd_test(int argc, char **argv, const struct agent_opts *o)
{
	static const int ok[] = {0, -1}, stopped[] = {7, -1},
			 invalid[] = {2, 5, 6, -1};
	struct agent_name a;
	g_autoptr(GHashTable) params = table_new();
	g_autofree char *err = NULL;
	struct test_ctx t = {0};
	int rc;

	if ((rc = cmd_prepare(argc, argv, 0, o, &a, params, &t.exec)) >= 0)
		return rc;
	t.a = &a;
	t.o = o;
	if (o->json)
		t.json = g_string_new("{\"steps\":[");
	t.xml = o->xml;
	if (t.xml)
		xml_print("<test agent=\"%s\">\n", argv[0]);
	rc = exec_metadata_get(t.exec, a.standard, a.provider, a.type, &t.md,
			       &err);
	if (rc < 0) {
		test_report(&t, "meta-data is well-formed", false,
			    err ? err : fo_strerror(rc));
		goto out;
	}
	test_metadata(&t);
	if (ocf_metadata_action(t.md, "validate-all") != NULL)
		test_op(&t, "validate-all accepts the parameters",
			"validate-all", params, false, ok);
	if (!test_op(&t, "probe says not running", "monitor", params, true,
		     stopped))
		goto out;
	if (!test_op(&t, "start", "start", params, false, ok))
		goto out;
	test_op(&t, "monitor after start says running", "monitor", params,
		false, ok);
	test_op(&t, "start again (idempotent)", "start", params, false, ok);
	test_op(&t, "monitor says running", "monitor", params, false, ok);
	test_op(&t, "stop", "stop", params, false, ok);
	test_op(&t, "stop again (idempotent)", "stop", params, false, ok);
	test_op(&t, "monitor after stop says not running", "monitor", params,
		false, stopped);
	if (ocf_metadata_action(t.md, "validate-all") != NULL) {
		g_autofree char *how = NULL;
		GHashTable *bad = test_bad_params(&t, params, &how);
		g_autofree char *what = NULL;

		if (bad != NULL) {
			what = g_strdup_printf("validate-all rejects %s", how);
			test_op(&t, what, "validate-all", bad, false, invalid);
			g_hash_table_destroy(bad);
		}
	}
out:
	if (t.json != NULL) {
		g_string_append_printf(t.json, "],\"agent\":");
		cli_json_string(t.json, argv[0]);
		g_string_append_printf(t.json,
				       ",\"steps_run\":%d,"
				       "\"failed\":%d,\"pass\":%s}",
				       t.steps, t.failed,
				       t.failed ? "false" : "true");
		puts(t.json->str);
		g_string_free(t.json, TRUE);
	} else if (t.xml) {
		printf("  <verdict pass=\"%s\" steps=\"%d\" failed=\"%d\"/>\n"
		       "</test>\n",
		       t.failed ? "false" : "true", t.steps, t.failed);
	} else {
		printf("%s: %s (%d steps, %d failed)\n", argv[0],
		       t.failed ? "FAIL" : "PASS", t.steps, t.failed);
	}
	exec_free(t.exec);
	agent_clear(&a);
	return t.failed ? 1 : 0;
}

static int
opt_uint(const char *name, const char *v, guint *out)
{
	if (ocf_duration_ms(v, out) == 0 && g_ascii_isdigit(*v)) {
		/* plain numbers are milliseconds on the command line */
		if (strspn(v, "0123456789") == strlen(v))
			*out = (guint)g_ascii_strtoull(v, NULL, 10);
		return 0;
	}
	fprintf(stderr,
		"fo-agent: --%s=%s is not a duration (ms, or with a "
		"unit: 20s, 500ms)\n",
		name, v);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"output-as", required_argument, NULL, 'O'},
		{"timeout", required_argument, NULL, 't'},
		{"interval", required_argument, NULL, 'i'},
		{"resource", required_argument, NULL, 'r'},
		{"meta", required_argument, NULL, 'm'},
		{"check-level", required_argument, NULL, 'c'},
		{"probe", no_argument, NULL, 'p'},
		{"rsctmp", required_argument, NULL, 'T'},
		{"node", required_argument, NULL, 'n'},
		{"no-cgroup", no_argument, NULL, 'G'},
		{"verbose", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0}};
	struct agent_opts o = {0};
	int c, verbose = 0, rc;
	char *m;

	o.meta = table_new();
	while ((c = getopt_long(argc, argv, "hvO:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'O':
			if (strcmp(optarg, "json") == 0)
				o.json = true;
			else if (strcmp(optarg, "xml") == 0)
				o.xml = true;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "fo-agent: --output-as takes "
						"text, json or xml\n");
				return 2;
			}
			break;
		case 't':
			if (opt_uint("timeout", optarg, &o.timeout_ms) < 0)
				return 2;
			break;
		case 'i':
			if (opt_uint("interval", optarg, &o.interval_ms) < 0)
				return 2;
			break;
		case 'r':
			o.rsc = optarg;
			break;
		case 'm':
			m = strchr(optarg, '=');
			if (m == NULL || m == optarg) {
				fprintf(stderr, "fo-agent: --meta takes "
						"name=value\n");
				return 2;
			}
			g_hash_table_replace(
				o.meta, g_strndup(optarg, (gsize)(m - optarg)),
				g_strdup(m + 1));
			break;
		case 'c':
			o.check_level = optarg;
			break;
		case 'p':
			o.probe = true;
			break;
		case 'T':
			o.rsctmp = optarg;
			break;
		case 'n':
			o.node = optarg;
			break;
		case 'G':
			o.no_cgroup = true;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	log_init("fo-agent", true, verbose);
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "list") == 0)
		rc = cmd_list(argc - 1, argv + 1, &o);
	else if (strcmp(argv[0], "info") == 0)
		rc = cmd_info(argc - 1, argv + 1, &o);
	else if (strcmp(argv[0], "run") == 0)
		rc = cmd_run(argc - 1, argv + 1, &o);
	else if (strcmp(argv[0], "test") == 0)
		rc = cmd_test(argc - 1, argv + 1, &o);
	else {
		fprintf(stderr, "fo-agent: unknown command '%s'\n", argv[0]);
		usage(stderr);
		rc = 2;
	}
	g_hash_table_destroy(o.meta);
	return rc;
}
