/*
 * cibrepl.h - stage 3 of fo-crmd: the replicated CIB.
 *
 * In: membership changes and messages delivered by the cluster layer in
 * agreed order, and local requests (configuration changes from the tools,
 * operation results from this node's executor). Out: messages to
 * broadcast, the configuration to persist, and "changed" notifications
 * that make the DC re-run the policy engine.
 *
 * Every copy applies the same messages in the same order, so all copies
 * stay identical; decisions depend only on a message's contents, its
 * sender and ring id, and the current view, never on local timing. On a
 * view change the members exchange versions (admin_epoch, epoch,
 * num_updates, digest); the highest copy (ties: lowest node id) is
 * broadcast whole and adopted by all; after every sync each member
 * re-announces its own status. Configuration changes are applied only when sent
 * in the current, synced, quorate view; status of node N changes only by
 * messages from N. The module does no I/O itself: sending and persisting
 * are callbacks, so it is tested with a simulated cluster.
 */
#ifndef FO_CIBREPL_H
#define FO_CIBREPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>

#include "fo/msg.h"

/* Message types on CPG owned by this module. */
#define CIB_T_VERSION 0x0200   /* <version .../>: my copy's version */
#define CIB_T_FULL 0x0201      /* <cib>...</cib>: the winning copy */
#define CIB_T_CHANGE 0x0202    /* <change>: a configuration change */
#define CIB_T_STATUS 0x0203    /* <node_state>: a node's whole status */
#define CIB_T_OP 0x0204	       /* <lrm_resource>: a resource's history */
#define CIB_T_FORGET 0x0205    /* <forget rsc=""/>: drop a rsc's history */
#define CIB_T_ATTR 0x0206      /* <attr name="" [value=""]/>: transient */
#define CIB_T_NODE_DOWN 0x0207 /* <node_down id=""/>: history void */

#define cib_repl_is_type(t) ((t) >= CIB_T_VERSION && (t) <= CIB_T_NODE_DOWN)

/* What changed, for cib_repl_callbacks.changed. */
enum {
	CIB_CHANGED_CONFIG = 1 << 0,
	CIB_CHANGED_STATUS = 1 << 1,
};

struct cib_repl;

struct cib_repl_callbacks {
	/* Broadcast to the group in agreed order (the cluster layer stamps
	 * sender and ring). Returns 0 or a negative errno. */
	int (*send)(uint16_t type, const void *body, size_t len, void *data);
	/* Check a candidate CIB (schema, unpacking). 0 accepts; otherwise
	 * set *why (g_free'd by the caller). NULL: everything passes. */
	int (*validate)(xmlDocPtr candidate, char **why, void *data);
	/* The configuration changed: persist this text (a whole <cib>
	 * without status). */
	void (*persist)(const char *xml, size_t len, void *data);
	/* This node's own status as an <node_state> element (a new node the
	 * callee builds; the module frees it), re-announced after a sync. */
	xmlNodePtr (*local_status)(void *data);
	/* Something changed in the copy (CIB_CHANGED_*). */
	void (*changed)(unsigned what, void *data);
	/* A change this node requested was applied (rc 0) or refused. */
	void (*request_done)(uint64_t req_id, int rc, const char *why,
			     void *data);
};

/**
 * cib_repl_new() - start a replica.
 * @nodeid: [in] this node's corosync node id.
 * @initial:[in] the configuration loaded from disk (the replica takes
 *          ownership), or NULL for an empty CIB.
 * @cb, @data: callbacks (copied) and their argument.
 *
 * Returns the replica; free with cib_repl_free().
 */
struct cib_repl *cib_repl_new(uint32_t nodeid, xmlDocPtr initial,
			      const struct cib_repl_callbacks *cb, void *data);

/** cib_repl_free() - NULL is fine. */
void cib_repl_free(struct cib_repl *r);

/**
 * cib_repl_membership() - a new view: its ring, the node ids of its
 * members (sorted, may repeat for several processes) and their names.
 * Marks the copy unsynced and sends this node's version. An empty view
 * (lost corosync) only marks it unsynced.
 */
void cib_repl_membership(struct cib_repl *r, const struct fo_ring_id *ring,
			 const uint32_t *nodeids, size_t n,
			 const char *const *names);

/**
 * cib_repl_quorum() - quorum for a ring; configuration changes are sent
 * only while the current view's ring is quorate.
 */
void cib_repl_quorum(struct cib_repl *r, const struct fo_ring_id *ring,
		     bool quorate);

/**
 * cib_repl_deliver() - a message of one of the CIB_T_* types, delivered
 * by the cluster layer. Malformed or stale messages are logged and
 * dropped without changing anything.
 */
void cib_repl_deliver(struct cib_repl *r, uint32_t sender,
		      const struct fo_msg_hdr *hdr, const uint8_t *body,
		      size_t len);

/**
 * cib_repl_request_change() - ask the cluster to apply a configuration
 * change. @change is a <change> element (see docs/cib-replication.md):
 * <replace> (a whole <configuration>), <put section="">, <delete id="">,
 * <nvpair-set>/<nvpair-unset>. The answer comes later through
 * request_done(@req_id), after every member applied or refused it.
 *
 * Returns 0 when sent; -FO_ENOQUORUM without quorum, -EAGAIN while the
 * copy is not synced in the current view, or a send error. Nothing
 * changes on error.
 */
int cib_repl_request_change(struct cib_repl *r, uint64_t req_id,
			    xmlNodePtr change);

/**
 * cib_repl_send_op() - broadcast this node's whole history of one
 * resource (an <lrm_resource> with all its <lrm_rsc_op>s); it replaces the
 * resource's history of this node in every copy.
 */
int cib_repl_send_op(struct cib_repl *r, xmlNodePtr lrm_resource);

/** cib_repl_send_forget() - drop this node's history of a resource. */
int cib_repl_send_forget(struct cib_repl *r, const char *rsc);

/** cib_repl_send_attr() - set (value) or delete (NULL) a transient
 * attribute of this node. */
int cib_repl_send_attr(struct cib_repl *r, const char *name, const char *value);

/**
 * cib_repl_send_node_down() - declare that a node outside the view runs
 * nothing any more (the DC, once the safety rule allows recovering its
 * resources): every copy drops its history and transient attributes and
 * marks it expected down, so no later DC mistakes that stale history for
 * running resources. Ignored for a node that is a member.
 */
int cib_repl_send_node_down(struct cib_repl *r, uint32_t nodeid);

/**
 * cib_repl_option() - a cluster property (crm_config nvpair @name) of the
 * current copy, or NULL; valid until the copy changes.
 */
const char *cib_repl_option(const struct cib_repl *r, const char *name);

/** cib_repl_announce() - send this node's status (local_status) now. */
void cib_repl_announce(struct cib_repl *r);

/** cib_repl_synced() - the copy has been synced in the current view. */
bool cib_repl_synced(const struct cib_repl *r);

/**
 * cib_repl_settled() - synced, and every member has announced its own
 * status since (each does so right after every sync): only then does
 * the copy hold every member's current history.
 */
bool cib_repl_settled(const struct cib_repl *r);

/**
 * cib_repl_doc() - the current copy (owned by the replica; read only)
 * WITHOUT the operation histories: the node_states have no <lrm>. The
 * replica keeps those out of the tree (a tenth of the memory); the
 * configuration and the node_states' attributes are all there.
 */
xmlDocPtr cib_repl_doc(const struct cib_repl *r);

/**
 * cib_repl_text() - the whole copy, histories included, as XML text
 * (xmlFree()); its length in *@len.
 */
char *cib_repl_text(struct cib_repl *r, int *len);

/**
 * cib_repl_copy() - a copy of the whole <cib>, histories included, for
 * writing out (xmlFreeNode()). The histories in it are verbatim text
 * nodes (fo_xml_pack()): dump it, do not walk them.
 */
xmlNodePtr cib_repl_copy(struct cib_repl *r);

/** cib_repl_version() - admin_epoch, epoch, num_updates of the copy. */
void cib_repl_version(const struct cib_repl *r, guint64 v[3]);

/**
 * cib_patch_apply() - apply the operations of a <change> to a copy of
 * @doc's configuration (pure; used by the replica on every node).
 * @out: [out] the new document on success (xmlFreeDoc()).
 * @why: [out] on error, what is wrong (g_free()).
 *
 * Returns 0, -FO_EINVAL/-FO_ENOTFOUND/-FO_ESYNTAX with @why set.
 */
int cib_patch_apply(xmlDocPtr doc, xmlNodePtr change, xmlDocPtr *out,
		    char **why);

/**
 * cib_config_pack() - pack (@pack) or unpack the children of the big
 * configuration sections (resources, constraints) of @doc, as
 * fo_xml_pack() does: the replica keeps its copy packed (a dump is the
 * same) and cib_patch_apply() unpacks the copy it changes.
 */
void cib_config_pack(xmlDocPtr doc, bool pack);

#endif /* FO_CIBREPL_H */
