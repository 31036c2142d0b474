/*
 * cluster.h - stage 1 of fo-crmd: membership, messages and quorum from
 * corosync.
 *
 * In: corosync's CPG (group "fo-crmd", agreed order), votequorum and cmap,
 * as file descriptors on a GLib main loop. Out: three events handed to one
 * callbacks struct - membership changed (members and ring id), message
 * delivered (a validated envelope, chunked bodies already whole), quorum
 * changed (quorate, ring id) - plus cluster_is_dc(). corosync's cs_error_t
 * is converted to 0 / -errno here and nowhere else. Sends go through a
 * queue flushed from the main loop, so no corosync call is ever made from
 * inside a corosync callback. When corosync goes away the layer reports an
 * empty view and no quorum, then reconnects every 100 ms.
 */
#ifndef FO_CLUSTER_H
#define FO_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "fo/msg.h"

struct cluster;

/* Message type the layer keeps for itself: several small envelopes sent
 * as one CPG message (cluster_send.c). Never delivered, refused from
 * users. */
#define CLUSTER_T_BATCH 0x0001

/* One process in the CPG group. An incarnation is (nodeid, pid, ring). */
struct cluster_member {
	uint32_t nodeid;
	uint32_t pid;
};

/* A CPG view: the members together with the totem ring they belong to. */
struct cluster_view {
	struct fo_ring_id ring; /* {0, 0}: not connected */
	size_t n_members;
	const struct cluster_member *members; /* sorted by (nodeid, pid) */
};

/*
 * The events. The pointers passed are valid only during the call. A
 * callback may call cluster_send() and the query functions, but never
 * cluster_free().
 */
struct cluster_callbacks {
	/* The view changed: other members, or the same members on a new
	 * ring. Delivered only once the ring id of the view is known. An
	 * empty view (n_members 0) means the connection to corosync was
	 * lost. */
	void (*membership)(struct cluster *cl, const struct cluster_view *v,
			   void *data);
	/* A message passed every envelope check; @body is hdr->body_len
	 * bytes (NULL when 0). Own messages come back at their place in
	 * the total order as well. */
	void (*deliver)(struct cluster *cl, const struct cluster_member *from,
			const struct fo_msg_hdr *hdr, const uint8_t *body,
			void *data);
	/* votequorum reported a state for a ring. quorate false with ring
	 * {0, 0} means the connection was lost. */
	void (*quorum)(struct cluster *cl, bool quorate,
		       const struct fo_ring_id *ring, void *data);
};

struct cluster_options {
	const char *group;	   /* CPG group; NULL: "fo-crmd" */
	unsigned int reconnect_ms; /* 0: 100 */
	size_t max_queue_bytes;	   /* 0: 64 MiB of unsent messages */
};

/**
 * cluster_new() - create the layer; nothing is connected yet.
 * @opt:  [in] options, may be NULL for the defaults; copied.
 * @cb:   [in] callbacks, copied; any member may be NULL.
 * @data: [in] passed to every callback.
 * @ctx:  [in] main context to attach sources to (NULL: the default one).
 *
 * Returns the layer; the caller frees it with cluster_free().
 */
struct cluster *cluster_new(const struct cluster_options *opt,
			    const struct cluster_callbacks *cb, void *data,
			    GMainContext *ctx);

/**
 * cluster_start() - connect to corosync and join the group now, or, when
 * corosync is not there, retry every reconnect_ms from the main loop.
 *
 * Returns 0 when connected and joined, -EAGAIN when retries are armed.
 */
int cluster_start(struct cluster *cl);

/**
 * cluster_free() - leave the group, disconnect and free; NULL is fine.
 * Unsent messages are dropped.
 */
void cluster_free(struct cluster *cl);

/**
 * cluster_send() - queue a message to every member (agreed order).
 * @type: [in] message type, nonzero.
 * @body: [in] body bytes (copied); may be NULL when @len is 0.
 * @len:  [in] body length; above FO_MSG_MAX_BODY it is sent as chunks.
 *
 * The envelope carries this node's id, the next sequence number and the
 * current view's ring id. Sending happens from the main loop; a
 * CS_ERR_TRY_AGAIN is retried with a back-off of 1 ms doubling to 10 ms.
 *
 * Returns 0, -ENOTCONN when not connected to corosync, -ENOBUFS when the
 * queue is full, -EMSGSIZE or -EINVAL for a bad body.
 */
int cluster_send(struct cluster *cl, uint16_t type, const void *body,
		 size_t len);

/**
 * cluster_is_dc() - whether this process is the designated controller:
 * it is the lowest (nodeid, pid) of the current view AND the last quorum
 * callback is for the same ring id as the view and says quorate.
 */
bool cluster_is_dc(const struct cluster *cl);

/**
 * cluster_dc_nodeid() - the node id of the DC by the same rule, as seen
 * from here: the lowest member when this view is quorate, else 0.
 */
uint32_t cluster_dc_nodeid(const struct cluster *cl);

/**
 * cluster_msg_current() - whether a delivered message was sent in the
 * current view: its envelope's ring id equals the view's. A message sent
 * before a membership change can be delivered after it (CPG-FACTS 1); a
 * DC command that fails this test comes from a stale view and is dropped.
 * @hdr: [in] the header handed to the deliver callback.
 */
bool cluster_msg_current(const struct cluster *cl,
			 const struct fo_msg_hdr *hdr);

/** cluster_quorate() - quorate, with a quorum ring equal to the view's. */
bool cluster_quorate(const struct cluster *cl);

/** cluster_connected() - connected to corosync and in the group. */
bool cluster_connected(const struct cluster *cl);

/** cluster_local_nodeid() - this node's id; 0 before the first connect. */
uint32_t cluster_local_nodeid(const struct cluster *cl);

/**
 * cluster_view() - the current view (empty while not connected).
 * @v: [out] filled in; its member array belongs to the layer and is valid
 *     until the next main-loop iteration.
 */
void cluster_view(const struct cluster *cl, struct cluster_view *v);

/**
 * cluster_node_name() - a node's name: corosync's nodelist name for the
 * id (cmap nodelist.node.N.name, else ring0_addr), or `uname -n` for this
 * node when the nodelist does not name it.
 *
 * Returns a string owned by the layer, or NULL when unknown.
 */
const char *cluster_node_name(const struct cluster *cl, uint32_t nodeid);

/**
 * cluster_corosync_member() - whether corosync's own membership (the
 * member list of the last quorum callback) has @nodeid. A node that is
 * there but not in the CPG view lost only its fo-crmd.
 */
bool cluster_corosync_member(const struct cluster *cl, uint32_t nodeid);

/**
 * cluster_totem_timing() - corosync's effective token and consensus
 * timeouts (cmap runtime.config.totem.*), read at connection; 1000 and
 * 1200 ms when unknown.
 */
void cluster_totem_timing(const struct cluster *cl, guint *token_ms,
			  guint *consensus_ms);

/** cluster_name() - corosync's totem.cluster_name, or NULL. */
const char *cluster_name(const struct cluster *cl);

/* Counters since cluster_new(), for logs, tests and benchmarks. */
struct cluster_stats {
	uint64_t sent;		 /* messages accepted by corosync */
	uint64_t try_again;	 /* CS_ERR_TRY_AGAIN answers to a send */
	uint64_t max_stall_ms;	 /* longest wait of a message at the head */
	uint64_t dropped;	 /* received messages refused (envelope) */
	unsigned int queued;	 /* messages waiting to be sent */
	unsigned int reconnects; /* connections made by the retry timer */
	uint64_t deflated_in;	 /* body bytes sent compressed, before */
	uint64_t deflated_out;	 /* and after compression */
	uint64_t batched;	 /* envelopes sent inside batches */
};

/**
 * cluster_stats() - read the counters.
 * @out: [out] filled in.
 */
void cluster_stats(const struct cluster *cl, struct cluster_stats *out);

#endif /* FO_CLUSTER_H */
