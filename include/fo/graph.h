/*
 * graph.h - the transition graph: actions and the actions they wait for.
 *
 * Stage 4 -> 5 of the pipeline: the policy engine produces a struct graph;
 * the transition engine (and fo-sim -S) walks it: an action is ready when
 * every input is done; results mark actions done or failed; a failure or
 * an outside event aborts the rest. The graph serialises to Pacemaker's
 * transition_graph XML shape and to Graphviz dot.
 */
#ifndef FO_GRAPH_H
#define FO_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

enum graph_kind {
	GRAPH_RSC_OP = 0, /* an operation on a resource, on a node */
	GRAPH_PSEUDO,	  /* a pseudo-action (group start, ...) */
	GRAPH_CRM,	  /* a controller action (do_shutdown, ...) */
};

enum graph_state {
	GRAPH_PENDING = 0,
	GRAPH_RUNNING,
	GRAPH_DONE,
	GRAPH_FAILED,
	GRAPH_SKIPPED, /* not run because the graph was aborted */
};

struct graph_action {
	int id;	   /* index in the graph */
	int pe_id; /* the policy engine's action number */
	enum graph_kind kind;
	char *key;	/* rsc_task_interval or pseudo name */
	char *task;	/* start, stop, monitor, ... */
	char *rsc;	/* resource name as shown (for a clone
			 * instance: the id in its history) */
	char *rsc_long; /* resource id in the configuration */
	char *rsc_class, *rsc_provider, *rsc_type;
	char *node; /* node name, NULL for pseudo */
	char *node_id;
	uint64_t interval_ms;
	int target_rc; /* 7 for probes, else 0 */
	char *extra;   /* CRM: the resource for clear_failcount */
	/* ids of the actions to wait for, n_inputs of them (in the pool
	 * of a pooled graph, else g_malloc()ed) */
	int *inputs;
	guint n_inputs, inputs_cap;
	enum graph_state state;
};

struct fo_arena;

struct graph {
	GPtrArray *actions;    /* struct graph_action *, id == index */
	GStringChunk *strings; /* graph_new_pooled(): owns every string */
	struct fo_arena *pool; /* graph_new_pooled(): owns every action */
	int64_t recheck;       /* next time to re-run, -1 none */
	bool aborted;
};

/** graph_new() - an empty graph; free with graph_free(). */
struct graph *graph_new(void);

/**
 * graph_new_pooled() - an empty graph whose actions and their strings
 * all belong to the graph (one copy of each distinct text, all freed
 * with the graph, none alone):
 * every string given to graph_add() or stored in an action must then come
 * from graph_strdup() or graph_strdup_once(). For big graphs (the policy
 * engine's): 10^5 actions share a few node, agent and resource names.
 */
struct graph *graph_new_pooled(void);

/**
 * graph_strdup() - a copy of @s (NULL for NULL) for an action of @g: a
 * shared copy in a pooled graph, else g_strdup(s).
 */
char *graph_strdup(struct graph *g, const char *s);

/**
 * graph_strdup_once() - the same for a text that no other action shares
 * (an action's key): copied without looking for a copy to share.
 */
char *graph_strdup_once(struct graph *g, const char *s);

/** graph_free() - free a graph and its actions; NULL is fine. */
void graph_free(struct graph *g);

/**
 * graph_add() - append an action; the graph takes ownership of the
 * strings passed in (from graph_strdup(), or g_strdup for a graph that
 * is not pooled; or NULL).
 * Returns the new action (its id is its index).
 */
struct graph_action *graph_add(struct graph *g, enum graph_kind kind, char *key,
			       char *task, char *rsc, char *node,
			       uint64_t interval_ms);

/** graph_add_input() - @then waits for @first (duplicates ignored). */
void graph_add_input(struct graph *g, int then, int first);

/**
 * graph_find_loop() - detect a cycle among the inputs.
 * Returns NULL when there is none, else a newly allocated description
 * "a -> b -> ... -> a" of one cycle (g_free()).
 */
char *graph_find_loop(const struct graph *g);

/**
 * graph_to_xml() - Pacemaker's transition_graph shape: one synapse per
 * action with its inputs. Returns a newly allocated string (g_free()).
 */
char *graph_to_xml(const struct graph *g);

/**
 * graph_write_xml() - the same text as graph_to_xml(), written to @f as
 * it is produced (a graph of 100 000 actions is ~50 MB of XML).
 * Returns 0, or -EIO when a write failed (the caller closes @f).
 */
int graph_write_xml(const struct graph *g, FILE *f);

/** graph_to_dot() - Graphviz text, one edge per input (g_free()). */
char *graph_to_dot(const struct graph *g);

/**
 * graph_ready() - actions that may start now: pending, every input done.
 * @out: [out] filled with struct graph_action * in id order (cleared
 *       first). Returns the number of ready actions; 0 with nothing
 *       running means the graph is complete (or stuck on a failure).
 */
guint graph_ready(const struct graph *g, GPtrArray *out);

/** graph_mark() - record the result of action @id (DONE or FAILED);
 * a failure aborts the graph. Returns 0 or -FO_EINVAL for a bad id. */
int graph_mark(struct graph *g, int id, enum graph_state state);

/** graph_abort() - stop starting new actions; pending ones are skipped. */
void graph_abort(struct graph *g);

/** graph_complete() - true when no action is pending or running. */
bool graph_complete(const struct graph *g);

#endif /* FO_GRAPH_H */
