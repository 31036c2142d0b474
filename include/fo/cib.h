/*
 * cib.h - the CIB model: Pacemaker's XML configuration and status as
 * plain C structs.
 *
 * Stage 3/4 of the pipeline: cib_load_file()/cib_load_memory() read a CIB
 * (configuration with a DOM, the status section element by element, with
 * no tree, by the tokenizer of lib/cib/cib_xml.c) into a struct cib; the
 * policy engine
 * (pe.h) only ever reads these structs, never XML. Everything keeps the
 * CIB's document order (arrays, never hash-table iteration); the hash
 * tables here are lookup indexes only.
 *
 * cib_history_derive() turns each resource's lrm_rsc_op history (ordered
 * by call-id) into its role on each node; it is pure (takes "now").
 */
#ifndef FO_CIB_H
#define FO_CIB_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <glib.h>

#include "fo/schema.h"

#define CIB_INFINITY 1000000

enum cib_role {
	CIB_ROLE_UNKNOWN = 0,
	CIB_ROLE_STOPPED,
	CIB_ROLE_STARTED,
	CIB_ROLE_UNPROMOTED,
	CIB_ROLE_PROMOTED,
};

/* Failure responses, in Pacemaker's order of severity. */
enum cib_on_fail {
	CIB_FAIL_IGNORE = 0,
	CIB_FAIL_DEMOTE,
	CIB_FAIL_RESTART,
	CIB_FAIL_MIGRATE,
	CIB_FAIL_BLOCK,
	CIB_FAIL_STOP,
	CIB_FAIL_STANDBY,
	CIB_FAIL_FENCE,
};

enum cib_nq_policy {
	CIB_NQ_STOP = 0,
	CIB_NQ_FREEZE,
	CIB_NQ_IGNORE,
	CIB_NQ_DEMOTE,
};

enum cib_rsc_kind {
	CIB_PRIMITIVE = 0,
	CIB_GROUP,
	CIB_CLONE,
};

enum cib_order_kind {
	CIB_ORDER_MANDATORY = 0,
	CIB_ORDER_OPTIONAL,
	CIB_ORDER_SERIALIZE,
};

/* Operation execution status codes as Pacemaker records them. */
enum cib_exec_status {
	CIB_EXEC_PENDING = -1,
	CIB_EXEC_DONE = 0,
	CIB_EXEC_CANCELLED = 1,
	CIB_EXEC_TIMEOUT = 2,
	CIB_EXEC_NOT_SUPPORTED = 3,
	CIB_EXEC_ERROR = 4,
	CIB_EXEC_ERROR_HARD = 5,
	CIB_EXEC_ERROR_FATAL = 6,
	CIB_EXEC_NOT_INSTALLED = 7,
};

struct cib_rsc;

/* One lrm_rsc_op record. */
/* The strings marked "interned" belong to the CIB's string pool
 * (cib->strings): shared by every record that has the same text, freed
 * with the CIB, never by themselves. */
/* One lrm_rsc_op. Records and their strings belong to the CIB's
 * arena (cib->records): never free them alone. */
struct cib_lrm_op {
	char *id;
	const char *task; /* start, stop, monitor, ... (interned) */
	uint64_t interval_ms;
	int call_id;
	int rc;
	int status;		    /* enum cib_exec_status */
	int target_rc;		    /* from transition-key, -1 unknown */
	int transition_id;	    /* from transition-key, -2 unknown */
	int64_t last_rc_change;	    /* seconds, 0 unknown */
	const char *op_digest;	    /* interned, as the three below */
	const char *restart_digest; /* op-restart-digest */
	const char *force_restart;  /* op-force-restart */
	char *exit_reason;	    /* exit-reason, NULL when none */
	int64_t exec_ms;	    /* exec-time, -1 unknown */
	bool synthetic;		    /* added by cib_lrm_append() */
	int line;
};

/* One lrm_resource: the history of one resource on one node. */
struct cib_lrm_rsc {
	char *id;			   /* as recorded (may be "rsc:0") */
	const char *cls, *provider, *type; /* interned */
	struct cib_lrm_op **ops;	   /* n_ops records, by call-id */
	guint n_ops, ops_cap;		   /* ops is the model's */
	struct cib_rsc *rsc;		   /* resolved; orphans get their own */
	struct cib_rsc *tmpl; /* clone template this history is of */
	int line;
};

struct cib_node {
	int idx; /* position in cib->nodes */
	char *id;
	char *uname;
	GHashTable *attrs; /* name -> value: node + transient */
	bool have_state;   /* a node_state was found */
	int status_pos;	   /* position of its node_state */
	bool in_ccm, crmd_online, join_member, expected_member;
	bool online, unclean, standby, maintenance, shutdown;
	GPtrArray *lrm; /* struct cib_lrm_rsc *, doc order */
	int line;
};

struct cib_op_cfg {
	char *id;
	char *name;
	uint64_t interval_ms;
	enum cib_role role; /* UNKNOWN: any */
	enum cib_on_fail on_fail;
	bool on_fail_set;
	bool enabled;
	uint64_t timeout_ms; /* 0: not set */
	GHashTable *params;  /* the op's instance_attributes */
	int line;
};

/* A rule of rsc_location (#uname / node attribute expressions). */
struct cib_expr {
	char *attribute;
	char *operation; /* eq ne lt gt lte gte defined not_defined */
	char *value;
	char *type; /* string integer number version */
};

struct cib_rule {
	char *id;
	int score;
	char *score_attribute;
	bool and_op;	  /* boolean-op: true and, false or */
	GPtrArray *exprs; /* struct cib_expr * */
};

struct cib_rsc {
	int idx; /* position in cib->all */
	char *id;
	enum cib_rsc_kind kind;
	char *cls, *provider, *type;
	struct cib_rsc *parent;
	GPtrArray *children; /* struct cib_rsc * */
	GHashTable *meta;    /* effective meta (with defaults) */
	GHashTable *params;
	GPtrArray *ops;		  /* struct cib_op_cfg * */
	bool orphan;		  /* found only in the status section */
	struct cib_rsc *tmpl;	  /* clone instance: its template */
	struct cib_rsc *clone_of; /* template: the clone it is in */
	int instance;		  /* clone instance number, -1 */
	char *clone_name;	  /* history id mapped to this instance
				   * (cib_history_derive()), or NULL */
	int line;

	/* meta attributes, resolved */
	int priority;
	int stickiness;
	enum cib_role target_role; /* UNKNOWN: not set */
	bool managed;
	bool maintenance;
	int migration_threshold;
	int64_t failure_timeout; /* seconds, 0 none */
	bool critical;
	char *multiple_active;
	int clone_max, clone_node_max; /* clones */
	bool interleave;
	bool ordered, colocated; /* groups */
};

struct cib_location {
	char *id;
	struct cib_rsc *rsc;
	struct cib_node *node; /* NULL when rules are used */
	int score;
	enum cib_role role;
	GPtrArray *rules; /* struct cib_rule * */
	char *discovery;
	int line;
};

struct cib_colocation {
	char *id;
	struct cib_rsc *rsc;  /* dependent */
	struct cib_rsc *with; /* primary */
	int score;
	enum cib_role rsc_role, with_role;
	char *node_attribute;
	bool influence;
	int line;
};

struct cib_order {
	char *id;
	struct cib_rsc *first, *then;
	char *first_action, *then_action;
	enum cib_order_kind kind;
	bool symmetrical;
	int line;
};

/* The per-node state of one resource, derived from its history. */
struct cib_rsc_state {
	struct cib_node *node;
	struct cib_lrm_rsc *lrm;
	enum cib_role role;
	enum cib_on_fail on_fail; /* accumulated, IGNORE when none */
	bool failed;		  /* pe_rsc_failed */
	bool need_stop;		  /* recovery by stop */
	bool block;		  /* on-fail=block */
	bool failure_ignored;
	bool pending;		 /* an operation is in flight */
	bool ban;		 /* -INFINITY here (stop failure, ...) */
	bool ban_all;		 /* -INFINITY everywhere */
	bool stop_role;		 /* next role forced to Stopped */
	GArray *active_ops;	 /* uint64 intervals of live monitors;
				  * this and the two arrays below are NULL
				  * when empty */
	bool any_expired;	 /* an op older than failure-timeout */
	int64_t failure_timeout; /* 0 when on-fail=block failed */
	GArray *reschedule;	 /* uint64 intervals: expired monitor
				  * failures to run again */
	const struct cib_lrm_op *last_start; /* for op-digest comparison */
	GPtrArray *active_recs; /* const cib_lrm_op *: live monitors */
	const struct cib_lrm_op *last_failure;
};

struct fo_arena;

struct cib {
	char *file;	      /* for messages */
	GPtrArray *nodes;     /* struct cib_node *, doc order */
	GPtrArray *resources; /* top-level struct cib_rsc * */
	GPtrArray *all;	      /* every resource, parents first */
	GPtrArray *locations, *colocations, *orders;
	GHashTable *rsc_by_id;
	GHashTable *node_by_uname;
	GHashTable *node_by_id;

	/* cluster options */
	bool stonith_enabled;
	bool symmetric;
	bool start_failure_fatal;
	bool maintenance_mode;
	bool stop_all;
	bool stop_orphans;
	bool startup_probes;
	bool stop_orphan_actions;
	bool placement_sort; /* non-default strategy (unused) */
	enum cib_nq_policy no_quorum_policy;
	bool have_quorum;
	char *dc_uuid;
	int64_t execution_date;	  /* -1 when absent */
	int64_t recheck_interval; /* seconds */
	GHashTable *rsc_defaults;
	GHashTable *op_defaults;

	/* derived state, from cib_history_derive(): per resource index */
	GPtrArray **states; /* [all->len] of struct cib_rsc_state * */
	int max_call_id;
	int max_status_pos;
	GHashTable *strings;	    /* the interned strings of the status */
	struct fo_arena *records;   /* lrm_rsc, lrm_op and their strings */
	struct fo_arena *state_mem; /* the cib_rsc_state of cib->states */
};

/* Diagnostics are struct cib_diag of fo/schema.h (cib_diag_free(),
 * cib_diag_format()). */

/**
 * cib_load_file() - read a CIB file into a model.
 * @path:  [in] file name.
 * @diags: [out] struct cib_diag * appended for every problem found
 *         (free them with cib_diag_free()); may be NULL.
 * @out:   [out] the model; the caller frees it with cib_free().
 *
 * Returns 0, -errno when the file cannot be read, -FO_ESYNTAX when it is
 * not well-formed XML or not a CIB, -FO_EINVAL/-FO_EDUP/-FO_ENOTFOUND when
 * the configuration is inconsistent. On error *out is NULL and @diags says
 * what and where. The file is mapped while it is read: it must not be
 * truncated meanwhile (write CIB files whole and rename them in place).
 */
int cib_load_file(const char *path, GPtrArray *diags, struct cib **out);

/**
 * cib_load_memory() - as cib_load_file(), from a buffer.
 * @buf, @len: [in] the XML text. @name: [in] name used in messages.
 */
int cib_load_memory(const char *buf, size_t len, const char *name,
		    GPtrArray *diags, struct cib **out);

/** cib_free() - free a model and everything it owns; NULL is fine. */
void cib_free(struct cib *cib);

/** cib_find_rsc() - resource by id (config or orphan), or NULL. */
struct cib_rsc *cib_find_rsc(const struct cib *cib, const char *id);

/** cib_find_node() - node by uname, or NULL. */
struct cib_node *cib_find_node(const struct cib *cib, const char *uname);

/**
 * cib_parse_score() - parse a score ("INFINITY", "+INFINITY",
 * "-INFINITY", an integer; clamped to +-INFINITY).
 * Returns 0 or -FO_EINVAL.
 */
int cib_parse_score(const char *s, int *score);

/** cib_add_scores() - Pacemaker's saturating score addition. */
int cib_add_scores(int a, int b);

/**
 * cib_parse_interval() - parse an interval ("10", "10s", "5min", "1h",
 * "500ms", ISO 8601 "PT10S") into milliseconds.
 * Returns 0 or -FO_EINVAL.
 */
int cib_parse_interval(const char *s, uint64_t *ms);

/** cib_parse_role() - "Started", "Stopped", "Master", ... */
enum cib_role cib_parse_role(const char *s);

/** cib_role_text() - the name crm_simulate prints for a role. */
const char *cib_role_text(enum cib_role role);

/**
 * cib_history_derive() - (re)compute every resource's state on every node
 * from the lrm_rsc_op histories, as Pacemaker's unpacker does: role,
 * failure flags, recovery needed, live recurring monitors. Failures older
 * than the resource's failure-timeout at @now are ignored.
 */
void cib_history_derive(struct cib *cib, int64_t now);

/**
 * cib_fail_count() - a resource's fail count on a node from the
 * transient attributes (fail-count-RSC and fail-count-RSC#OP_INTERVAL).
 * @last_failure: [out] latest last-failure-* time, may be NULL.
 */
int cib_fail_count(const struct cib_node *node, const struct cib_rsc *rsc,
		   int64_t *last_failure);

/**
 * cib_lrm_append() - add a synthetic operation result to a resource's
 * history on a node (used by fo-sim to apply an executed transition and
 * by --op-inject). Creates the lrm_resource when missing.
 */
struct cib_lrm_op *cib_lrm_append(struct cib *cib, struct cib_node *node,
				  struct cib_rsc *rsc, const char *task,
				  uint64_t interval_ms, int rc, int status);

enum cib_node_event {
	CIB_NODE_UP = 0, /* member, controller up, joined */
	CIB_NODE_DOWN,	 /* left cleanly */
	CIB_NODE_FAIL,	 /* lost while expected up (unclean) */
};

/**
 * cib_node_inject() - change a node's membership as crm_simulate's
 * --node-up/--node-down/--node-fail do, and recompute its online state.
 */
void cib_node_inject(struct cib *cib, struct cib_node *node,
		     enum cib_node_event ev);

/** cib_node_cmp() - Pacemaker's node name order (case-insensitive,
 * digit runs compared as numbers). */
int cib_node_cmp(const char *a, const char *b);

/**
 * cib_lrm_delete() - forget a resource's history on a node (what an
 * executed "delete" does). Returns true when there was one.
 */
bool cib_lrm_delete(struct cib_node *node, const struct cib_rsc *rsc);

/**
 * cib_op_failed() - true when an operation result counts as a failure
 * (after Pacemaker's remapping of the exit code against the expected
 * one: a probe finding the resource stopped or running is not a failure,
 * a stop returning 7 is not either). Pending and cancelled operations
 * are not failures.
 */
bool cib_op_failed(const struct cib_lrm_op *op);

/**
 * cib_op_expired() - true when the failed operation @op, part of the
 * history behind @st, is older than the resource's failure-timeout at
 * @now, so that cib_history_derive() ignored it (a probe that found the
 * resource running or stopped never expires).
 */
bool cib_op_expired(const struct cib_rsc_state *st, const struct cib_lrm_op *op,
		    int64_t now);

/** cib_rsc_state() - derived state of @rsc on @node, or NULL. */
struct cib_rsc_state *cib_rsc_state(const struct cib *cib,
				    const struct cib_rsc *rsc,
				    const struct cib_node *node);

/** cib_meta() - a resource meta attribute (inherited from parents). */
const char *cib_meta(const struct cib_rsc *rsc, const char *name);

#endif /* FO_CIB_H */
