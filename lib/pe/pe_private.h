/*
 * pe_private.h - the policy engine's working set (lib/pe only).
 *
 * pe_compute() builds a struct pe_ws from the CIB model: per-node and
 * per-resource working state in arrays indexed like the model (node->idx,
 * rsc->idx), allocation scores as int arrays, actions and orderings. Each
 * concept lives in its own file (location, colocation, ordering, group,
 * assign, actions, probes, summary); they meet only through this struct.
 */
#ifndef FO_PE_PRIVATE_H
#define FO_PE_PRIVATE_H

#include <string.h>

#include "fo/arena.h"
#include "fo/cib.h"
#include "fo/graph.h"
#include "fo/pe.h"

#define INF CIB_INFINITY

struct pe_node {
	struct cib_node *cfg;
	int idx;
	bool avail;    /* can run resources */
	int num_rsc;   /* resources assigned so far */
	bool failures; /* has fail-count-* or last-failure-* attributes */
};

/* An array of pointers whose storage is in the arena (a GPtrArray
 * per list of each resource was a malloc() and free() per list: 6
 * of them for each of 10^4 resources). */
struct pe_vec {
	void **v;
	guint len, cap;
};

/* pe_compute.c: room for at least @cap items; a vector that moves
 * leaves its old storage to the arena */
void pe__vec_reserve(struct fo_arena *ar, struct pe_vec *v, guint cap);

/* Append @p to @v (storage from @ar, twice the room when full). */
static inline void
pe__vec_add(struct fo_arena *ar, struct pe_vec *v, void *p)
{
	if (v->len == v->cap)
		pe__vec_reserve(ar, v, v->cap > 0 ? v->cap * 2 : 4);
	v->v[v->len++] = p;
}

struct pe_rsc;

struct pe_coloc {
	const char *id;
	struct pe_rsc *dep, *pri;
	int score;
	const char *attr; /* node-attribute, NULL: #uname */
	bool influence;
	enum cib_role dep_role, pri_role;
};

struct pe_rsc {
	struct cib_rsc *cfg;
	int idx;
	const char *id;
	enum cib_rsc_kind kind;
	struct pe_rsc *parent;
	struct pe_vec children;	  /* struct pe_rsc * */
	int *w;			  /* allocation score per node */
	bool *allowed;		  /* node present in allowed_nodes */
	bool *known;		  /* history exists on node */
	struct pe_vec running_on; /* struct pe_node * */
	enum cib_role role, next_role;
	bool failed, need_stop, block, managed, orphan, pending;
	bool failure_ignored;
	bool provisional, allocating, merging;
	struct pe_node *assigned;
	int priority, stickiness;
	struct pe_vec this_with; /* pe_coloc *: this is dependent */
	struct pe_vec with_this; /* pe_coloc *: this is primary */
	struct pe_vec actions;	 /* struct pe_action * */
	bool reload;		 /* parameters change by agent reload */
	/* actions_of() memo: the uncancelled interval-0 actions of task
	 * memo_task among the first memo_scanned of actions (actions are
	 * only appended, and their task, interval and cancel flag are set
	 * when they are made) */
	const char *memo_task;
	guint memo_scanned;
	struct pe_vec memo;
};

enum pe_aflag {
	PA_OPTIONAL = 1 << 0,
	PA_RUNNABLE = 1 << 1,
	PA_PSEUDO = 1 << 2,
	PA_PRINT = 1 << 3,
};

/* ordering flags (Pacemaker's pe_ordering subset) */
enum pe_oflag {
	PO_OPTIONAL = 1 << 0,
	PO_IMPLIES_THEN = 1 << 1,
	PO_IMPLIES_FIRST = 1 << 2,
	PO_RUNNABLE_LEFT = 1 << 3,
	PO_RESTART = 1 << 4,
	PO_ASYMMETRICAL = 1 << 5,
	PO_SERIALIZE = 1 << 6,
	PO_IMPLIES_THEN_PRINTED = 1 << 7,
	PO_IMPLIES_FIRST_PRINTED = 1 << 8,
	PO_ONE_OR_MORE = 1 << 9,
};

enum pe_akind {
	PK_RSC = 0,
	PK_PSEUDO,
	PK_CRM,
};

struct pe_action {
	int id;
	enum pe_akind kind;
	struct pe_rsc *rsc;
	const char *task; /* a literal or the CIB's: not copied */
	uint64_t interval;
	struct pe_node *node;
	char *key; /* in the arena */
	unsigned flags;
	char *reason;
	bool cancel;	       /* cancel a recurring op */
	int target_rc;	       /* expected result (7: not running) */
	const char *extra;     /* clear_failcount: resource */
	int required_runnable; /* one-or-more inputs */
	struct pe_vec before;  /* struct pe_edge *: we are then */
	struct pe_vec after;   /* struct pe_edge *: we are first */
	int gid;	       /* graph id, -1 */
};

struct pe_edge {
	struct pe_action *first, *then;
	unsigned type;
};

/* An ordering between resource actions, resolved after actions exist. */
struct pe_ospec {
	struct pe_rsc *first_rsc, *then_rsc;
	/* "start", ...: literals or the CIB's strings, which outlive
	 * the working set (not copied: one ospec per probe) */
	const char *first_task, *then_task;
	struct pe_action *first_action, *then_action;
	unsigned type;
};

struct pe_ws {
	struct cib *cib;
	int64_t now;
	int nn;		       /* number of nodes */
	struct pe_node *nodes; /* [nn] */
	struct pe_rsc **rscs;  /* [cib->all->len] by idx */
	guint nr;
	GPtrArray *top;	    /* top-level pe_rsc *, doc order */
	GPtrArray *colocs;  /* struct pe_coloc * */
	GPtrArray *actions; /* struct pe_action * */
	GPtrArray *ospecs;  /* struct pe_ospec * (in the arena) */
	GPtrArray *scores;  /* char * or NULL */
	GPtrArray *warnings;
	int64_t recheck;
	bool have_quorum;
	struct pe_node *prefer; /* clone pre-assignment preference */
	GHashTable *digests;	/* digest text -> op-digest (pe_digest.c) */
	GString *digest_text;	/* where pe_digest.c builds a text */
	struct fo_arena *arena; /* actions, keys, edges, ospecs, the
				 * resources' lists */
};

/* Task names compare often (every ordering looks its actions up by
 * task): the first byte rules most candidates out without a call. */
static inline bool
pe__task_is(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

/* cib_fail_count() of @rsc on @node; most nodes have no failures at
 * all, and then their attributes are not searched once per resource. */
static inline int
pe__fail_count(const struct pe_node *node, const struct cib_rsc *rsc,
	       int64_t *last_failure)
{
	if (!node->failures) {
		if (last_failure != NULL)
			*last_failure = 0;
		return 0;
	}
	return cib_fail_count(node->cfg, rsc, last_failure);
}

/* Score arrays hold one int per node, at least one (a CIB may have no
 * nodes); copy them with these. */
static inline int *
pe__wdup(const struct pe_ws *ws, const int *w)
{
	return g_memdup2(w, sizeof(int) * (ws->nn > 0 ? ws->nn : 1));
}

static inline void
pe__wcopy(const struct pe_ws *ws, int *dst, const int *src)
{
	memcpy(dst, src, sizeof(int) * (ws->nn > 0 ? ws->nn : 1));
}

/* pe_location.c */
void pe__apply_locations(struct pe_ws *ws);
void pe__rsc_location(struct pe_ws *ws, struct pe_rsc *rsc,
		      struct pe_node *node, int score);
void pe__apply_stickiness_and_failures(struct pe_ws *ws);

/* pe_colocation.c */
void pe__unpack_colocations(struct pe_ws *ws);
void pe__apply_coloc(struct pe_ws *ws, struct pe_rsc *dep, struct pe_rsc *pri,
		     const struct pe_coloc *c);
int *pe__merge_weights(struct pe_ws *ws, struct pe_rsc *rsc, int *nodes,
		       const char *attr, double factor, unsigned flags);
#define PW_FORWARD 1
#define PW_INIT 2
#define PW_ROLLBACK 4
#define PW_POSITIVE 8

/* pe_assign.c */
void pe__sort_and_assign(struct pe_ws *ws);
struct pe_node *pe__assign(struct pe_ws *ws, struct pe_rsc *rsc);
struct pe_node *pe__current_node(const struct pe_rsc *rsc);
void pe__score_lines(struct pe_ws *ws, const char *fn, struct pe_rsc *rsc);

/* pe_group.c */
struct pe_node *pe__group_assign(struct pe_ws *ws, struct pe_rsc *rsc);
void pe__group_internal(struct pe_ws *ws, struct pe_rsc *rsc);
void pe__group_colocations(struct pe_ws *ws, struct pe_rsc *rsc);

/* pe_clone.c */
struct pe_node *pe__clone_assign(struct pe_ws *ws, struct pe_rsc *rsc);
void pe__clone_internal(struct pe_ws *ws, struct pe_rsc *rsc);
struct pe_rsc *pe__clone_probe_instance(struct pe_rsc *clone,
					struct pe_node *node);

/* pe_actions.c; @task is kept, not copied: a literal or a string of
 * the CIB (an operation's name) */
struct pe_action *pe__action(struct pe_ws *ws, struct pe_rsc *rsc,
			     const char *task, uint64_t interval,
			     struct pe_node *node, bool optional);
struct pe_action *pe__pseudo(struct pe_ws *ws, struct pe_rsc *rsc,
			     const char *task, bool optional);
struct pe_action *pe__find_action(struct pe_rsc *rsc, const char *task,
				  uint64_t interval, struct pe_node *node);
void pe__create_actions(struct pe_ws *ws, struct pe_rsc *rsc);
void pe__create_probes(struct pe_ws *ws);
void pe__clear_failcount(struct pe_ws *ws, struct pe_rsc *rsc,
			 struct pe_node *node);
void pe__set_reason(struct pe_action *a, const char *reason, bool overwrite);

/* pe_ordering.c; the tasks given to pe__order() must outlive the
 * working set (literals, or strings of the CIB) */
void pe__order(struct pe_ws *ws, struct pe_rsc *first_rsc,
	       const char *first_task, struct pe_action *first,
	       struct pe_rsc *then_rsc, const char *then_task,
	       struct pe_action *then, unsigned type);
void pe__order_actions(struct pe_ws *ws, struct pe_action *first,
		       struct pe_action *then, unsigned type);
void pe__unpack_orders(struct pe_ws *ws);
void pe__apply_ospecs(struct pe_ws *ws);
void pe__update_actions(struct pe_ws *ws);

/* pe_digest.c: MD5 of the parameters an operation runs with, as
 * Pacemaker's op-digest (owned by the working set: not freed) */
const char *pe__digest(const struct pe_ws *ws, const struct pe_rsc *rsc,
		       const struct cib_op_cfg *op, uint64_t interval_ms);
/* the same over only the parameters named in @only (space-separated),
 * Pacemaker's restart digest */
const char *pe__digest_only(const struct pe_ws *ws, const struct pe_rsc *rsc,
			    const struct cib_op_cfg *op, uint64_t interval_ms,
			    const char *only);

/* pe_summary.c */
void pe__summary(struct pe_ws *ws, GPtrArray *out);

#endif /* FO_PE_PRIVATE_H */
