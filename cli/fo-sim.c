/*
 * fo-sim.c - the policy engine offline: read a CIB file, compute the
 * transition, and show it as Pacemaker's crm_simulate does.
 *
 * In: a CIB file, optional changes (node up/down/fail, injected operation
 * results) and a time. Out: the cluster status, the transition summary,
 * the actions as the graph is walked with every action succeeding (or
 * failing where --op-fail says), the status afterwards; or the graph as
 * XML/dot, or allocation scores. Exit: 0 ok, 1 error, 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "fo/cib.h"
#include "fo/common.h"
#include "fo/graph.h"
#include "fo/pe.h"
#include "sim.h"

#define EXIT_USAGE 2

/*
 * A run that succeeded leaves the model and the result to the system at
 * exit: freeing them object by object was 15% of the instructions of a
 * run with 5000 actions. Builds with AddressSanitizer still free them,
 * so LeakSanitizer keeps checking everything else.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SIM_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_FREE_AT_EXIT 1
#endif
#endif
#ifndef SIM_FREE_AT_EXIT
#define SIM_FREE_AT_EXIT 0
#endif

/*
 * fo-sim allocates its whole model and result in one go and exits. A
 * page fault per 4 KB of heap was a third of the time of a run with
 * 5000 actions (the kernel's side of it), so where the system gives
 * transparent huge pages on request (THP "madvise" or "always"), the
 * heap is grown once by @bytes and asked for huge pages: a fault then
 * brings 2 MB. Memory not touched is not used; malloc keeps the heap
 * instead of trimming it. Nothing is done under AddressSanitizer,
 * whose allocator is not malloc's.
 */
static void
heap_prepare(size_t bytes)
{
#if !SIM_FREE_AT_EXIT
	uintptr_t huge = 2u << 20, from, to;
	char *start;
	void *p;

	/* below the largest mmap threshold (32 MB), so it comes from brk */
	if (mallopt(M_MMAP_THRESHOLD, 32 << 20) == 0 ||
	    mallopt(M_TRIM_THRESHOLD, INT32_MAX) == 0)
		return;
	start = sbrk(0);
	p = malloc(bytes);
	if (p == NULL || start == (void *)-1)
		return;
	free(p);
	from = ((uintptr_t)start + huge - 1) & ~(huge - 1);
	to = (uintptr_t)sbrk(0) & ~(huge - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
	/* the heap's head, up to the first 2 MB boundary, stays in 4 KB
	 * pages: fault it in with one call instead of one trap each (256
	 * of them in a run with 5000 actions) */
	if (from > (uintptr_t)start)
		(void)madvise(start, from - (uintptr_t)start,
			      MADV_POPULATE_WRITE);
#endif
#else
	(void)bytes;
#endif
}

struct opts {
	char *xml;
	gboolean simulate;
	gboolean scores;
	char *graph_file;
	char *dot_file;
	char *time;
	char **node_up, **node_down, **node_fail;
	char **op_inject, **op_fail;
	char *output_as;
	gboolean quiet;
};

static int
parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	const char *end;
	char *e;
	long long v;

	v = strtoll(s, &e, 10);
	if (*e == '\0' && e != s && strlen(s) > 8) {
		*out = v;
		return 0;
	}
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (end == NULL)
		end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
	}
	if (end == NULL || (*end != '\0' && *end != 'Z'))
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* "RSC_TASK_INTERVAL@NODE=RC" as crm_simulate takes it. */
struct op_spec {
	char *rsc, *task, *node;
	uint64_t interval;
	int rc;
};

static int
parse_op_spec(const char *spec, struct op_spec *o)
{
	const char *at = strrchr(spec, '@'), *eq;
	char *key, *p, *q;
	char *end;

	memset(o, 0, sizeof(*o));
	if (at == NULL || (eq = strchr(at, '=')) == NULL)
		return -1;
	o->rc = (int)strtol(eq + 1, &end, 10);
	if (*end != '\0' || end == eq + 1)
		return -1;
	o->node = g_strndup(at + 1, (gsize)(eq - at - 1));
	key = g_strndup(spec, (gsize)(at - spec));
	p = strrchr(key, '_');
	if (p == NULL) {
		g_free(key);
		return -1;
	}
	o->interval = strtoull(p + 1, &end, 10);
	if (*end != '\0') {
		g_free(key);
		return -1;
	}
	*p = '\0';
	q = strrchr(key, '_');
	if (q == NULL) {
		g_free(key);
		return -1;
	}
	*q = '\0';
	o->task = g_strdup(q + 1);
	o->rsc = g_strdup(key);
	g_free(key);
	/* tasks with an underscore (migrate_to) */
	if (g_str_has_suffix(o->rsc, "_migrate") ||
	    g_str_has_suffix(o->rsc, "_clear")) {
		char *u = strrchr(o->rsc, '_');
		char *t = g_strdup_printf("%s_%s", u + 1, o->task);

		*u = '\0';
		g_free(o->task);
		o->task = t;
	}
	return 0;
}

static void
op_spec_clear(struct op_spec *o)
{
	g_free(o->rsc);
	g_free(o->task);
	g_free(o->node);
}

static int
apply_node_changes(struct cib *cib, char **names, enum cib_node_event ev,
		   const char *opt)
{
	for (; names != NULL && *names != NULL; names++) {
		struct cib_node *n = cib_find_node(cib, *names);

		if (n == NULL) {
			fprintf(stderr,
				"fo-sim: %s %s: no such node in the "
				"CIB\n",
				opt, *names);
			return -1;
		}
		cib_node_inject(cib, n, ev);
	}
	return 0;
}

static int
inject_ops(struct cib *cib, char **specs)
{
	for (; specs != NULL && *specs != NULL; specs++) {
		struct op_spec o;
		struct cib_node *n;
		struct cib_rsc *r;
		struct cib_lrm_op *op;

		if (parse_op_spec(*specs, &o) != 0) {
			fprintf(stderr,
				"fo-sim: --op-inject '%s': expected "
				"RSC_TASK_INTERVAL@NODE=RC\n",
				*specs);
			return -1;
		}
		n = cib_find_node(cib, o.node);
		r = cib_find_rsc(cib, o.rsc);
		if (n == NULL || r == NULL || r->kind != CIB_PRIMITIVE) {
			fprintf(stderr,
				"fo-sim: --op-inject '%s': unknown "
				"%s\n",
				*specs, n == NULL ? "node" : "resource");
			op_spec_clear(&o);
			return -1;
		}
		op = cib_lrm_append(cib, n, r, o.task, o.interval, o.rc,
				    CIB_EXEC_DONE);
		op->target_rc = -1;
		op_spec_clear(&o);
	}
	return 0;
}

static bool
op_fails(char **specs, const struct graph_action *a, int *rc)
{
	for (; specs != NULL && *specs != NULL; specs++) {
		struct op_spec o;
		bool match;

		if (parse_op_spec(*specs, &o) != 0)
			continue;
		match = a->rsc != NULL && a->node != NULL &&
			strcmp(o.rsc, a->rsc) == 0 &&
			strcmp(o.task, a->task) == 0 &&
			o.interval == a->interval_ms &&
			strcmp(o.node, a->node) == 0;
		*rc = o.rc;
		op_spec_clear(&o);
		if (match)
			return true;
	}
	return false;
}

static void
print_action(const struct graph_action *a, GString *out)
{
	if (a->kind == GRAPH_PSEUDO) {
		g_string_append_printf(out, "  * Pseudo action:   %s\n",
				       a->key);
	} else if (a->kind == GRAPH_CRM) {
		if (a->extra != NULL)
			g_string_append_printf(out,
					       "  * Cluster action:  %s "
					       "for %s on %s\n",
					       a->task, a->extra, a->node);
		else
			g_string_append_printf(out,
					       "  * Cluster action:  %s "
					       "on %s\n",
					       a->task, a->node);
	} else if (a->interval_ms > 0) {
		g_string_append_printf(out,
				       "  * Resource action: %-15s "
				       "%s=%llu on %s\n",
				       a->rsc, a->task,
				       (unsigned long long)a->interval_ms,
				       a->node);
	} else {
		g_string_append_printf(out,
				       "  * Resource action: %-15s %s on "
				       "%s\n",
				       a->rsc, a->task, a->node);
	}
}

/* Record an executed action's result in the model's history. */
static void
record(struct cib *cib, const struct graph_action *a, int rc)
{
	struct cib_node *n = a->node ? cib_find_node(cib, a->node) : NULL;
	struct cib_rsc *r = a->rsc_long ? cib_find_rsc(cib, a->rsc_long) : NULL;
	struct cib_lrm_op *op;

	if (n == NULL)
		return;
	if (a->kind == GRAPH_CRM) {
		if (strcmp(a->task, "clear_failcount") == 0 && a->extra) {
			char *p1 = g_strdup_printf("fail-count-%s", a->extra);
			char *p2 = g_strdup_printf("last-failure-%s", a->extra);
			GHashTableIter it;
			gpointer k;

			g_hash_table_iter_init(&it, n->attrs);
			while (g_hash_table_iter_next(&it, &k, NULL))
				if (g_str_has_prefix(k, p1) ||
				    g_str_has_prefix(k, p2))
					g_hash_table_iter_remove(&it);
			g_free(p1);
			g_free(p2);
		}
		return;
	}
	if (r == NULL || a->kind != GRAPH_RSC_OP)
		return;
	if (strcmp(a->task, "cancel") == 0)
		return;
	if (strcmp(a->task, "delete") == 0) {
		cib_lrm_delete(n, r);
		return;
	}
	op = cib_lrm_append(cib, n, r, a->task, a->interval_ms, rc,
			    CIB_EXEC_DONE);
	op->target_rc = a->target_rc;
}

/* A failed action: bump its fail count as the controller would. */
static void
record_failure(struct cib *cib, const struct graph_action *a, int rc,
	       int64_t now, GString *out)
{
	struct cib_node *n = cib_find_node(cib, a->node);
	char *fc, *lf;
	const char *old;
	int v = 0;

	g_string_append_printf(out,
			       "Pretending action %d failed with "
			       "rc=%d\n",
			       a->pe_id, rc);
	if (n == NULL || a->rsc_long == NULL)
		return;
	fc = g_strdup_printf("fail-count-%s#%s_%llu", a->rsc_long, a->task,
			     (unsigned long long)a->interval_ms);
	lf = g_strdup_printf("last-failure-%s#%s_%llu", a->rsc_long, a->task,
			     (unsigned long long)a->interval_ms);
	g_string_append_printf(out,
			       "  * Injecting attribute %s=value++ into "
			       "/node_state '%s'\n",
			       fc, n->id);
	g_string_append_printf(out,
			       "  * Injecting attribute %s=%lld into "
			       "/node_state '%s'\n",
			       lf, (long long)now, n->id);
	old = g_hash_table_lookup(n->attrs, fc);
	if (old != NULL && cib_parse_score(old, &v) != 0)
		v = 0;
	g_hash_table_replace(n->attrs, fc,
			     g_strdup_printf("%d", cib_add_scores(v, 1)));
	g_hash_table_replace(n->attrs, lf,
			     g_strdup_printf("%lld", (long long)now));
}

static void
simulate(struct cib *cib, struct graph *g, char **fail, int64_t now,
	 GString *out)
{
	GPtrArray *ready = g_ptr_array_new();

	g_string_append(out, "\nExecuting Cluster Transition:\n");
	while (graph_ready(g, ready) > 0) {
		guint i;

		for (i = 0; i < ready->len; i++) {
			struct graph_action *a = g_ptr_array_index(ready, i);
			int rc = a->target_rc;
			bool failed = op_fails(fail, a, &rc);

			print_action(a, out);
			record(cib, a, failed ? rc : a->target_rc);
			if (failed)
				record_failure(cib, a, rc, now, out);
			graph_mark(g, a->id,
				   failed ? GRAPH_FAILED : GRAPH_DONE);
		}
	}
	g_ptr_array_free(ready, TRUE);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF) {
		fprintf(stderr, "fo-sim: cannot write %s: %s\n", path,
			g_strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "fo-sim: cannot write %s: %s\n", path,
			g_strerror(errno));
		return -1;
	}
	return 0;
}

/* The graph streams to the file: it can be larger than the model. */
static int
write_graph(const char *path, const struct graph *g)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (f == NULL) {
		fprintf(stderr, "fo-sim: cannot write %s: %s\n", path,
			g_strerror(errno));
		return -1;
	}
	rc = graph_write_xml(g, f);
	if (fclose(f) != 0 || rc != 0) {
		fprintf(stderr, "fo-sim: cannot write %s: %s\n", path,
			rc != 0 ? fo_strerror(rc) : g_strerror(errno));
		return -1;
	}
	return 0;
}

static void
json_str(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			g_string_append_printf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			g_string_append_printf(out, "\\u%04x", *s);
		else
			g_string_append_c(out, *s);
	}
	g_string_append_c(out, '"');
}

static void
json_output(const struct pe_result *res, GString *out)
{
	guint i;

	g_string_append(out, "{\n  \"transition_summary\": [");
	for (i = 0; i < res->summary->len; i++) {
		char *l = g_strdup(g_ptr_array_index(res->summary, i));

		g_strstrip(l);
		g_string_append(out, i ? ", " : "");
		json_str(out, l);
		g_free(l);
	}
	g_string_append(out, "],\n  \"actions\": [");
	for (i = 0; i < res->graph->actions->len; i++) {
		const struct graph_action *a =
			g_ptr_array_index(res->graph->actions, i);

		g_string_append(out, i ? ",\n    " : "\n    ");
		g_string_append(out, "{\"id\": ");
		g_string_append_printf(out, "%d, \"key\": ", a->id);
		json_str(out, a->key);
		g_string_append(out, ", \"task\": ");
		json_str(out, a->task);
		if (a->rsc) {
			g_string_append(out, ", \"resource\": ");
			json_str(out, a->rsc);
		}
		if (a->node) {
			g_string_append(out, ", \"node\": ");
			json_str(out, a->node);
		}
		g_string_append_printf(out, ", \"interval_ms\": %llu}",
				       (unsigned long long)a->interval_ms);
	}
	g_string_append_printf(out, "\n  ],\n  \"recheck\": %lld\n}\n",
			       (long long)res->recheck);
}

static const char *summary_text =
	"Exit status: 0 success, 1 error (unreadable or invalid CIB, "
	"ordering loop,\nunwritable output), 2 usage error.\n"
	"SPEC for --op-inject/--op-fail: RSC_TASK_INTERVALMS@NODE=RC, "
	"e.g. rsc1_monitor_10000@node1=7";

int
main(int argc, char **argv)
{
	struct opts o = {0};
	GOptionEntry entries[] = {
		{"xml-file", 'x', 0, G_OPTION_ARG_FILENAME, &o.xml,
		 "CIB file to read", "FILE"},
		{"simulate", 'S', 0, G_OPTION_ARG_NONE, &o.simulate,
		 "Simulate the transition and show the resulting status", NULL},
		{"show-scores", 's', 0, G_OPTION_ARG_NONE, &o.scores,
		 "Show allocation scores", NULL},
		{"save-graph", 'G', 0, G_OPTION_ARG_FILENAME, &o.graph_file,
		 "Write the transition graph (XML) to FILE", "FILE"},
		{"save-dotfile", 'D', 0, G_OPTION_ARG_FILENAME, &o.dot_file,
		 "Write the transition graph (Graphviz) to FILE", "FILE"},
		{"set-datetime", 't', 0, G_OPTION_ARG_STRING, &o.time,
		 "Time to use as now (\"YYYY-MM-DD HH:MM:SS\" UTC, or "
		 "seconds)",
		 "TIME"},
		{"node-up", 'u', 0, G_OPTION_ARG_STRING_ARRAY, &o.node_up,
		 "Bring a node online", "NODE"},
		{"node-down", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o.node_down,
		 "Take a node offline", "NODE"},
		{"node-fail", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &o.node_fail,
		 "Mark a node as failed", "NODE"},
		{"op-inject", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &o.op_inject,
		 "Inject an operation result before computing", "SPEC"},
		{"op-fail", 'F', 0, G_OPTION_ARG_STRING_ARRAY, &o.op_fail,
		 "Make an action of the transition fail", "SPEC"},
		{"output-as", 0, 0, G_OPTION_ARG_STRING, &o.output_as,
		 "Output format: text (default) or json", "FORMAT"},
		{"quiet", 'Q', 0, G_OPTION_ARG_NONE, &o.quiet,
		 "Print nothing but errors (with -G/-D)", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *ctx = g_option_context_new("- run fo's policy "
						   "engine on a CIB file");
	GError *err = NULL;
	GPtrArray *diags =
		g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
	struct cib *cib = NULL;
	struct pe_result *res = NULL;
	GString *out = g_string_new(NULL);
	int64_t now;
	char *date_note = NULL;
	int rc, status = 1;
	bool json;
	guint i;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, summary_text);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "fo-sim: %s (see --help)\n", err->message);
		g_error_free(err);
		status = EXIT_USAGE;
		goto done;
	}
	if (o.xml == NULL || argc > 1) {
		fprintf(stderr, "fo-sim: %s (see --help)\n",
			o.xml == NULL ? "-x FILE is required"
				      : "unexpected argument");
		status = EXIT_USAGE;
		goto done;
	}
	json = o.output_as != NULL && strcmp(o.output_as, "json") == 0;
	if (o.output_as != NULL && !json && strcmp(o.output_as, "text")) {
		fprintf(stderr, "fo-sim: --output-as must be text or json\n");
		status = EXIT_USAGE;
		goto done;
	}
	heap_prepare(30u << 20);
	rc = cib_load_file(o.xml, diags, &cib);
	for (i = 0; i < diags->len; i++) {
		char *m = cib_diag_format(g_ptr_array_index(diags, i));

		fprintf(stderr, "fo-sim: %s\n", m);
		g_free(m);
	}
	if (rc != 0) {
		fprintf(stderr, "fo-sim: %s: %s\n", o.xml, fo_strerror(rc));
		goto done;
	}
	if (o.time != NULL) {
		if (parse_time(o.time, &now) != 0) {
			fprintf(stderr,
				"fo-sim: bad time '%s' (use "
				"\"YYYY-MM-DD HH:MM:SS\")\n",
				o.time);
			status = EXIT_USAGE;
			goto done;
		}
	} else if (cib->execution_date >= 0 && !o.simulate) {
		now = cib->execution_date;
	} else if (cib->execution_date >= 0) {
		time_t t;
		struct tm tm;
		char buf[64];

		now = cib->execution_date;
		t = (time_t)now;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%SZ", &tm);
		/* crm_simulate says so before each status it prints */
		date_note = g_strdup_printf("Using the original execution "
					    "date of: %s\n",
					    buf);
	} else {
		now = (int64_t)time(NULL);
	}
	if (o.simulate && !json) {
		cib_history_derive(cib, now);
		if (date_note != NULL)
			g_string_append(out, date_note);
		g_string_append(out, "Current cluster status:\n");
		sim_status(cib, out);
	}
	if (apply_node_changes(cib, o.node_up, CIB_NODE_UP, "--node-up") ||
	    apply_node_changes(cib, o.node_down, CIB_NODE_DOWN,
			       "--node-down") ||
	    apply_node_changes(cib, o.node_fail, CIB_NODE_FAIL,
			       "--node-fail") ||
	    inject_ops(cib, o.op_inject)) {
		status = EXIT_USAGE;
		goto done;
	}
	rc = pe_compute(cib, now, o.scores, &res);
	for (i = 0; i < res->warnings->len; i++)
		fprintf(stderr, "fo-sim: %s: %s\n", o.xml,
			(char *)g_ptr_array_index(res->warnings, i));
	if (rc != 0)
		goto done;
	if (o.graph_file != NULL) {
		rc = write_graph(o.graph_file, res->graph);
		if (rc != 0)
			goto done;
	}
	if (o.dot_file != NULL) {
		char *d = graph_to_dot(res->graph);

		rc = write_file(o.dot_file, d);
		g_free(d);
		if (rc != 0)
			goto done;
	}
	if (json) {
		json_output(res, out);
	} else {
		if (o.scores) {
			if (out->len == 0)
				g_string_append(out, "Allocation scores:\n");
			for (i = 0; i < res->scores->len; i++)
				g_string_append_printf(
					out, "%s\n",
					(char *)g_ptr_array_index(res->scores,
								  i));
		}
		if (o.simulate || (!o.scores && o.graph_file == NULL &&
				   o.dot_file == NULL && !o.quiet)) {
			g_string_append(out, "\nTransition Summary:\n");
			for (i = 0; i < res->summary->len; i++)
				g_string_append_printf(
					out, "  * %s\n",
					(char *)g_ptr_array_index(res->summary,
								  i));
		}
		if (o.simulate) {
			simulate(cib, res->graph, o.op_fail, now, out);
			if (date_note != NULL)
				g_string_append(out, date_note);
			cib_history_derive(cib, now);
			g_string_append(out, "\nRevised Cluster Status:\n");
			sim_status(cib, out);
		}
	}
	fputs(out->str, stdout);
	status = 0;
	if (!SIM_FREE_AT_EXIT) {
		fflush(stdout);
		res = NULL; /* left to the system: see SIM_FREE_AT_EXIT */
		cib = NULL;
	}
done:
	pe_result_free(res);
	cib_free(cib);
	g_ptr_array_free(diags, TRUE);
	g_string_free(out, TRUE);
	g_option_context_free(ctx);
	g_free(date_note);
	g_free(o.xml);
	g_free(o.graph_file);
	g_free(o.dot_file);
	g_free(o.time);
	g_free(o.output_as);
	g_strfreev(o.node_up);
	g_strfreev(o.node_down);
	g_strfreev(o.node_fail);
	g_strfreev(o.op_inject);
	g_strfreev(o.op_fail);
	return status;
}
