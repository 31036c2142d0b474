/*
 * lrm.h - every node's local resource manager: runs the actions the DC
 * sends, keeps this node's operation history, stops everything on its
 * own when the node loses quorum or shuts down.
 *
 * Stage 6 glue between the cluster and the executor (lib/exec). In:
 * actions (<rsc_op>, <crm_event>, see docs/transitions.md) addressed to
 * this node, cleanups, quorum loss. Out: this node's history of each
 * resource as Pacemaker's <lrm_resource>/<lrm_rsc_op> records and its
 * transient attributes (fail counts), through callbacks that broadcast
 * them into the replicated CIB. The history here is the authority: after
 * every CIB sync the node re-announces it whole (lrm_status()).
 */
#ifndef FO_LRM_H
#define FO_LRM_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "fo/exec.h"

/* Messages on CPG owned by the transition engine and the nodes. */
#define TE_T_ACTION 0x0300  /* <rsc_op>|<crm_event>: DC -> one node */
#define TE_T_CLEANUP 0x0301 /* <cleanup [rsc=""] [node=""]/>: any -> all */
#define TE_T_PING 0x0302    /* <ping token=""/>: a node asks the DC */
#define TE_T_IDLE 0x0303    /* <idle to="" token="" transition=""/> */

#define te_is_type(t) ((t) >= TE_T_ACTION && (t) <= TE_T_IDLE)

struct lrm;

struct lrm_callbacks {
	/* Broadcast this node's whole history of one resource (an
	 * <lrm_resource>; the callee does not keep it). */
	int (*send_history)(xmlNodePtr lrm_resource, void *data);
	/* Broadcast that this node forgot a resource's history. */
	int (*send_forget)(const char *rsc, void *data);
	/* Set (value) or delete (NULL) a transient attribute of this node. */
	int (*send_attr)(const char *name, const char *value, void *data);
	/* The DC says this node may leave now (do_shutdown). */
	void (*shutdown)(void *data);
	/* lrm_stop_all() finished: everything is stopped (or killed). */
	void (*all_stopped)(void *data);
	/* Start failures are fatal (start-failure-is-fatal, default true). */
	bool (*start_failure_fatal)(void *data);
};

/**
 * lrm_new() - a local resource manager over an executor.
 * @exec: [in] the executor (not owned).
 * @node_name: [in] this node's name (copied).
 * @cb, @data: [in] callbacks (copied) and their argument.
 */
struct lrm *lrm_new(struct exec *exec, const char *node_name,
		    const struct lrm_callbacks *cb, void *data);

/** lrm_free() - cancel monitors and free; running agents are left to the
 * executor. NULL is fine. */
void lrm_free(struct lrm *l);

/**
 * lrm_action() - run one action the DC addressed to this node: an
 * <rsc_op> (start, stop, monitor, cancel, delete, ...) or a <crm_event>
 * (clear_failcount, do_shutdown). Results come back through the
 * callbacks. Returns 0, or -FO_EINVAL for a malformed action (logged,
 * nothing run).
 */
int lrm_action(struct lrm *l, xmlNodePtr action);

/**
 * lrm_cleanup() - forget the history and fail counts of @rsc (NULL: of
 * every resource) so that the DC probes it again; its monitors stop.
 */
void lrm_cleanup(struct lrm *l, const char *rsc);

/**
 * lrm_stop_all() - stop every resource this node may run, at once and in
 * parallel, without a DC (lost quorum, shutdown without a DC). A stop that
 * fails or times out kills what the resource started. all_stopped() is
 * called when all are done (at once when nothing runs). @why is logged.
 */
void lrm_stop_all(struct lrm *l, const char *why);

/**
 * lrm_set_attr() - set (value) or delete (NULL) a transient attribute of
 * this node (e.g. "shutdown"); it is broadcast now and kept in every
 * later status announcement.
 */
void lrm_set_attr(struct lrm *l, const char *name, const char *value);

/** lrm_active() - resources whose history says they may be running. */
guint lrm_active(const struct lrm *l);

/** lrm_busy() - operations queued or running. */
guint lrm_busy(const struct lrm *l);

/**
 * lrm_status() - this node's <node_state> (id, uname, expected) with its
 * <lrm> history and <transient_attributes>: what it announces after a
 * sync. A new element (xmlFreeNode()).
 */
xmlNodePtr lrm_status(const struct lrm *l, uint32_t nodeid,
		      const char *expected);

#endif /* FO_LRM_H */
