/*
 * res_status.h - the read-only views of fo-res (status, locate,
 * failcount): pure functions from a CIB model and what fo-crmd said
 * about itself to text, XML or JSON (cli/res_status.c).
 *
 * Roles, failures and fail counts come from the CIB library
 * (cib_history_derive(), cib_rsc_state(), cib_fail_count()), the code the
 * policy engine uses, so what the tool shows is what the scheduler sees.
 */
#ifndef FO_RES_STATUS_H
#define FO_RES_STATUS_H

#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>

#include "cli.h"
#include "fo/cib.h"

/*
 * What is known about the cluster besides the CIB: the attributes of
 * fo-crmd's <crmd-status>, or for a CIB file what the <cib> element says.
 * Every string may be NULL (unknown); tri-states are 1, 0 or -1 (unknown).
 */
struct rs_info {
	char *source;	   /* a file name, or NULL for the daemon */
	char *nodeid;	   /* the local node's id */
	char *dc;	   /* the DC's node id; NULL: no DC */
	int quorate;	   /* 1, 0, -1 */
	int synced;	   /* 1, 0, -1 */
	char *ring;	   /* ring id "NODEID.SEQ" */
	char *transition;  /* the DC's current transition number */
	char *idle;	   /* "true"/"false": the DC has nothing to run */
	char *cib_version; /* admin_epoch.epoch.num_updates */
	char *last_change; /* cib-last-written */
};

/**
 * rs_info_read() - fill @info from fo-crmd's <crmd-status> element (with
 * the <cib> as its child) or from a bare <cib> element (a file: DC from
 * dc-uuid, quorum from have-quorum).
 * @top:    [in] the element.
 * @source: [in] the file name, or NULL for the daemon.
 * @info:   [out] cleared first; rs_info_clear() frees it.
 * @cib:    [out] the <cib> element inside @top (or @top itself).
 * Returns 0, or -FO_ESYNTAX when @top is neither or holds no <cib>.
 */
int rs_info_read(xmlNodePtr top, const char *source, struct rs_info *info,
		 xmlNodePtr *cib);

/** rs_info_clear() - free what @info holds (not @info itself). */
void rs_info_clear(struct rs_info *info);

/**
 * rs_cib_load() - unpack a <cib> element into the model.
 * @name: [in] the name used in messages (a file name, "fo-crmd").
 * @out:  [out] the model (cib_free()).
 * @err:  [out] on failure, every error found, one per line (g_free()).
 * Returns 0 or the negative code of cib_load_memory().
 */
int rs_cib_load(xmlNodePtr cib, const char *name, struct cib **out, char **err);

/**
 * rs_status() - the cluster as `crm_mon -1` shows it: summary (DC,
 * quorum, counts, CIB version, transition), nodes, resources (groups and
 * clones with their instances), fail counts, failed actions.
 * @cib:  [in,out] the model; its derived state is recomputed at @now.
 * @info: [in] what fo-crmd said (or the file's).
 * @now:  [in] the time, seconds since the epoch (failure-timeout).
 * @out:  [out] the text, one XML document, or one JSON object, appended.
 */
void rs_status(struct cib *cib, const struct rs_info *info, int64_t now,
	       enum cli_format fmt, GString *out);

/**
 * rs_locate() - where @rsc runs: "resource RSC is running on: NODE" per
 * node (a group or a clone: where any of its resources runs), or
 * "resource RSC is NOT running", as crm_resource --locate says it.
 * @cib:  [in,out] the model; derived state recomputed at @now.
 * @why:  [out] when @rsc is unknown, the reason (g_free()).
 * Returns CLI_OK, or CLI_ERROR when @rsc is not a resource.
 */
int rs_locate(struct cib *cib, const char *rsc, int64_t now,
	      enum cli_format fmt, GString *out, char **why);

/**
 * rs_failcount() - @rsc's fail count on each node (or on @node only):
 * the sum of its fail-count-RSC#OP_INTERVAL and fail-count-RSC transient
 * attributes, with the latest last-failure time. A group lists each of
 * its members; a clone (or its primitive) its primitive.
 * @node: [in] a node name, or NULL for every node.
 * @why:  [out] when @rsc or @node is unknown, the reason (g_free()).
 * Returns CLI_OK or CLI_ERROR.
 */
int rs_failcount(struct cib *cib, const char *rsc, const char *node,
		 enum cli_format fmt, GString *out, char **why);

/**
 * rs_op_status_text() - Pacemaker's name of an lrm_rsc_op op-status
 * ("complete", "Timed Out", "Error", ...), "unknown" for others.
 */
const char *rs_op_status_text(int status);

#endif /* FO_RES_STATUS_H */
