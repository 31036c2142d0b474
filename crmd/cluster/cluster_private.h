/*
 * cluster_private.h - what the files of crmd/cluster/ share.
 *
 * The view state machine (cluster_view.c) is pure: it takes what the CPG
 * and quorum callbacks said and decides when a view is complete and who is
 * DC, so it can be unit-tested without corosync. cluster.c owns the
 * corosync handles and the main-loop sources; cluster_send.c the outgoing
 * queue; cluster_names.c the node id -> name table from cmap.
 */
#ifndef FO_CLUSTER_PRIVATE_H
#define FO_CLUSTER_PRIVATE_H

#include <corosync/corotypes.h>
#include <corosync/cpg.h>
#include <corosync/quorum.h>

#include "fo/cluster.h"

/* The membership and quorum as the callbacks reported them. */
struct cluster__state {
	uint32_t nodeid; /* this process */
	uint32_t pid;
	GArray *members;	/* struct cluster_member, sorted */
	bool in_group;		/* own join confchg seen */
	bool ring_known;	/* a totem callback arrived */
	bool pending;		/* members changed, ring not yet told */
	struct fo_ring_id ring; /* ring of the view */
	bool q_known;
	bool quorate;
	struct fo_ring_id q_ring;
};

/* The layer: corosync handles, main-loop sources, state, queue. */
struct cluster {
	GMainContext *ctx;
	struct cluster_callbacks cb;
	void *data;
	char *group;
	unsigned int reconnect_ms;
	size_t max_queue_bytes;

	cpg_handle_t cpg;
	quorum_handle_t quorum;
	bool have_cpg;
	bool have_quorum;
	bool joined;  /* cpg_join returned CS_OK */
	bool evicted; /* a confchg no longer lists us */
	GSource *cpg_src;
	GSource *quorum_src;
	GSource *reconnect_src;
	GSource *flush_src;
	GSource *pending_src;  /* bound on waiting for a totem cb */
	unsigned int attempts; /* connection attempts since loss */
	gint64 lost_at;	       /* monotonic us, 0 when connected */

	struct cluster__state st;
	GHashTable *names; /* nodeid -> name */
	char *uname;
	GArray *cs_members; /* uint32_t: corosync's members (quorum cb) */
	guint token_ms;	    /* runtime.config.totem.token, 0 unknown */
	guint consensus_ms; /* runtime.config.totem.consensus */
	char *cluster_name; /* totem.cluster_name, or NULL */

	GQueue outq; /* GBytes *, encoded messages */
	size_t outq_bytes;
	unsigned int backoff_ms;
	gint64 stall_since; /* monotonic us of the head's first TRY_AGAIN */
	struct cluster_stats stats;
	uint64_t seq;
	uint32_t xfer;
	struct fo_msg_reasm *reasm;
};

/* The view changes that a confchg or totem callback can bring. */
enum cluster__change {
	CLUSTER_NO_EVENT = 0, /* nothing to tell the user yet */
	CLUSTER_VIEW,	      /* emit a membership event */
	CLUSTER_EVICTED,      /* we are no longer in the member list */
};

void cluster__state_init(struct cluster__state *st, uint32_t nodeid,
			 uint32_t pid);
void cluster__state_clear(struct cluster__state *st);
void cluster__state_reset(struct cluster__state *st);

/* Apply a CPG confchg; says whether a view event is due now. */
enum cluster__change
cluster__state_confchg(struct cluster__state *st,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined);

/* Apply a totem callback (ring id of the CPG view). */
enum cluster__change cluster__state_totem(struct cluster__state *st,
					  struct fo_ring_id ring);

/* Apply a quorum callback. */
void cluster__state_quorum(struct cluster__state *st, bool quorate,
			   struct fo_ring_id ring);

/* The view is complete: in the group, ring known, nothing pending. */
bool cluster__state_complete(const struct cluster__state *st);
bool cluster__state_quorate(const struct cluster__state *st);
bool cluster__state_is_dc(const struct cluster__state *st);
uint32_t cluster__state_dc(const struct cluster__state *st);

bool cluster__ring_eq(struct fo_ring_id a, struct fo_ring_id b);

/* cluster_send.c */
void cluster__flush_schedule(struct cluster *cl, unsigned int ms);
void cluster__queue_drop(struct cluster *cl);
/* cluster.c: the connection is gone; tear down, report, reconnect. */
void cluster__lost(struct cluster *cl, const char *where, int rc);
void cluster__source_clear(GSource **src);
/* A one-shot or repeating timer on the layer's main context. */
GSource *cluster__timer(struct cluster *cl, unsigned int ms, GSourceFunc fn);

/* cs_error_t -> 0 / -errno: the only place that knows cs_error_t. */
int cluster__errno(cs_error_t rc);

/* Read nodelist.node.N.{nodeid,name,ring0_addr} from cmap. */
int cluster__names_load(GHashTable *names);
int cluster__totem_load(guint *token_ms, guint *consensus_ms, char **name);

#endif /* FO_CLUSTER_PRIVATE_H */
