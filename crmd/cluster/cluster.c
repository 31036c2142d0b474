/*
 * cluster.c - the connection to corosync: CPG group, quorum, reconnects.
 *
 * In: libcpg (CPG_MODEL_V1 with the totem callback) and libquorum
 * (QUORUM_MODEL_V1, ring ids), both as fds on the GLib main loop and
 * dispatched with CS_DISPATCH_ALL. Out: the membership, deliver and quorum
 * events of fo/cluster.h. The callbacks only record and report; every call
 * into corosync that could block (init, join, send, finalize) runs from a
 * main-loop source, never from inside a corosync callback. A hangup or
 * CS_ERR_LIBRARY finalizes both handles, reports an empty view and no
 * quorum, and retries the connection every reconnect_ms (CPG-FACTS 4).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fo/common.h"
#include "cluster_private.h"

#define CLUSTER_PENDING_MS 5000
#define CLUSTER_LOG_EVERY 50 /* attempts between warnings */

void
cluster__source_clear(GSource **src)
{
	if (*src == NULL)
		return;
	g_source_destroy(*src);
	g_source_unref(*src);
	*src = NULL;
}

GSource *
cluster__timer(struct cluster *cl, unsigned int ms, GSourceFunc fn)
{
	GSource *s = g_timeout_source_new(ms);

	g_source_set_callback(s, fn, cl, NULL);
	g_source_attach(s, cl->ctx);
	return s;
}

static GSource *
cluster_fd_source(struct cluster *cl, int fd, GUnixFDSourceFunc fn)
{
	GSource *s = g_unix_fd_source_new(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);

	g_source_set_callback(s, G_SOURCE_FUNC(fn), cl, NULL);
	g_source_attach(s, cl->ctx);
	return s;
}

static uint64_t
cluster_source_key(uint32_t nodeid, uint32_t pid)
{
	return (uint64_t)nodeid << 32 | pid;
}

static void
cluster_emit_view(struct cluster *cl)
{
	struct cluster_view v;
	GString *s = g_string_new(NULL);
	guint i;

	cluster_view(cl, &v);
	for (i = 0; i < v.n_members; i++)
		g_string_append_printf(s, " %u:%u", v.members[i].nodeid,
				       v.members[i].pid);
	log_info("%s: view %u.%" G_GUINT64_FORMAT ", %zu members:%s", __func__,
		 v.ring.nodeid, v.ring.seq, v.n_members, s->str);
	g_string_free(s, TRUE);
	if (cl->cb.membership)
		cl->cb.membership(cl, &v, cl->data);
}

static gboolean
cluster_pending_expired(gpointer data)
{
	struct cluster *cl = data;

	cluster__source_clear(&cl->pending_src);
	if (cl->st.pending)
		log_warnx("%s: no ring id %d ms after a membership change; "
			  "not acting as DC until corosync tells it",
			  __func__, CLUSTER_PENDING_MS);
	return G_SOURCE_REMOVE;
}

/* ---- corosync callbacks: record, report, never call corosync back ---- */

/* The envelope at the start of a batch's @len bytes at @p, checked as a
 * message of its own: NULL and *@n its size, or what is wrong. */
static const char *
batch_envelope(const uint8_t *p, size_t len, uint32_t sender,
	       struct fo_msg_hdr *h, const uint8_t **body, size_t *n)
{
	const char *why = NULL;

	if (fo_msg_hdr_decode(p, len, h, &why) != 0)
		return why;
	*n = FO_MSG_HDR_SIZE + (size_t)h->body_len;
	if (*n > len)
		return "an envelope runs past the batch";
	if (fo_msg_decode(p, *n, h, body, &why) != 0)
		return why;
	if (h->sender != sender)
		return "an envelope from another sender";
	if ((h->flags & (FO_MSG_F_CHUNK | FO_MSG_F_DEFLATE)) ||
	    h->type == CLUSTER_T_BATCH)
		return "a chunk, compressed body or batch inside a batch";
	return NULL;
}

/* The envelopes inside a CLUSTER_T_BATCH body, delivered in their order.
 * One that fails its checks ends the batch (the rest cannot be framed). */
static void
cluster_deliver_batch(struct cluster *cl, const struct cluster_member *from,
		      const uint8_t *p, size_t len)
{
	while (len > 0) {
		struct fo_msg_hdr h;
		const uint8_t *body = NULL;
		size_t n = 0;
		const char *why =
			batch_envelope(p, len, from->nodeid, &h, &body, &n);

		if (why) {
			log_warnx("%s: dropped the rest of a batch (%zu bytes) "
				  "from node %u pid %u: %s",
				  __func__, len, from->nodeid, from->pid, why);
			cl->stats.dropped++;
			return;
		}
		if (cl->cb.deliver)
			cl->cb.deliver(cl, from, &h, body, cl->data);
		p += n;
		len -= n;
	}
}

static void
cluster_cpg_deliver(cpg_handle_t h, const struct cpg_name *group,
		    uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct cluster_member from = {nodeid, pid};
	struct cluster *cl = NULL;
	struct fo_msg_hdr hdr, whole_hdr;
	const uint8_t *body;
	GBytes *whole = NULL;
	const char *why = "";
	int rc;

	(void)group;
	if (cpg_context_get(h, (void **)&cl) != CS_OK || cl == NULL)
		return;
	if (fo_msg_decode(msg, len, &hdr, &body, &why) != 0) {
		log_warnx("%s: dropped %zu bytes from node %u pid %u: %s",
			  __func__, len, nodeid, pid, why);
		cl->stats.dropped++;
		return;
	}
	if (hdr.sender != nodeid) {
		log_warnx("%s: dropped a message from node %u pid %u that "
			  "claims to be from node %u",
			  __func__, nodeid, pid, hdr.sender);
		cl->stats.dropped++;
		return;
	}
	if (hdr.flags & FO_MSG_F_CHUNK) {
		rc = fo_msg_reasm_add(cl->reasm,
				      cluster_source_key(nodeid, pid), &hdr,
				      body, &whole_hdr, &whole);
		if (rc < 0) {
			log_warnx("%s: dropped a chunked transfer from node %u "
				  "pid %u (seq %" G_GUINT64_FORMAT
				  "): inconsistent chunk",
				  __func__, nodeid, pid, hdr.seq);
			cl->stats.dropped++;
		}
		if (rc != 1)
			return;
		hdr = whole_hdr;
		body = g_bytes_get_data(whole, NULL);
	}
	if (hdr.flags & FO_MSG_F_DEFLATE) {
		GBytes *plain = NULL;
		gsize n;

		rc = fo_msg_inflate(body, hdr.body_len, &plain, &why);
		if (whole)
			g_bytes_unref(whole);
		whole = plain;
		if (rc != 0) {
			log_warnx("%s: dropped a message from node %u pid %u "
				  "(seq %" G_GUINT64_FORMAT "): %s",
				  __func__, nodeid, pid, hdr.seq,
				  rc == -FO_EPROTO ? why : fo_strerror(rc));
			cl->stats.dropped++;
			return;
		}
		body = g_bytes_get_data(plain, &n);
		hdr.body_len = (uint32_t)n;
		hdr.flags &= ~FO_MSG_F_DEFLATE;
	}
	if (hdr.type == CLUSTER_T_BATCH)
		cluster_deliver_batch(cl, &from, body, hdr.body_len);
	else if (cl->cb.deliver)
		cl->cb.deliver(cl, &from, &hdr, body, cl->data);
	if (whole)
		g_bytes_unref(whole);
}

static void
cluster_cpg_confchg(cpg_handle_t h, const struct cpg_name *group,
		    const struct cpg_address *members, size_t n_members,
		    const struct cpg_address *left, size_t n_left,
		    const struct cpg_address *joined, size_t n_joined)
{
	struct cluster *cl = NULL;
	bool was_in = false;
	size_t i;

	(void)group;
	if (cpg_context_get(h, (void **)&cl) != CS_OK || cl == NULL)
		return;
	was_in = cl->st.in_group;
	log_debug("%s: %zu members, %zu left, %zu joined", __func__, n_members,
		  n_left, n_joined);
	for (i = 0; i < n_left; i++)
		fo_msg_reasm_drop(cl->reasm, cluster_source_key(left[i].nodeid,
								left[i].pid));
	switch (cluster__state_confchg(&cl->st, members, n_members, left,
				       n_left, joined, n_joined)) {
	case CLUSTER_VIEW:
		cluster_emit_view(cl);
		break;
	case CLUSTER_EVICTED:
		cl->evicted = true; /* handled once dispatch returns */
		return;
	case CLUSTER_NO_EVENT:
		if (cl->st.pending && cl->pending_src == NULL)
			cl->pending_src =
				cluster__timer(cl, CLUSTER_PENDING_MS,
					       cluster_pending_expired);
		break;
	}
	if (!was_in && cl->st.in_group) {
		log_info("%s: joined CPG group %s as node %u pid %u", __func__,
			 cl->group, cl->st.nodeid, cl->st.pid);
		cluster__flush_schedule(cl, 0);
	}
}

static void
cluster_cpg_totem(cpg_handle_t h, struct cpg_ring_id ring_id,
		  uint32_t n_members, const uint32_t *members)
{
	struct fo_ring_id ring = {ring_id.nodeid, ring_id.seq};
	struct cluster *cl = NULL;

	(void)n_members;
	(void)members;
	if (cpg_context_get(h, (void **)&cl) != CS_OK || cl == NULL)
		return;
	if (cluster__state_totem(&cl->st, ring) == CLUSTER_VIEW)
		cluster_emit_view(cl);
	if (!cl->st.pending)
		cluster__source_clear(&cl->pending_src);
}

static void
cluster_quorum_notify(quorum_handle_t h, uint32_t quorate,
		      struct quorum_ring_id ring_id, uint32_t n_members,
		      const uint32_t *members)
{
	struct fo_ring_id ring = {ring_id.nodeid, ring_id.seq};
	const void *ctx = NULL;
	struct cluster *cl;

	if (quorum_context_get(h, &ctx) != CS_OK || ctx == NULL)
		return;
	cl = (struct cluster *)(uintptr_t)ctx; /* ours, passed at init */
	g_array_set_size(cl->cs_members, 0);
	if (members != NULL)
		g_array_append_vals(cl->cs_members, members, n_members);
	cluster__state_quorum(&cl->st, quorate != 0, ring);
	log_info("%s: %s on ring %u.%" G_GUINT64_FORMAT " (%u nodes)", __func__,
		 quorate ? "quorate" : "NOT quorate", ring.nodeid, ring.seq,
		 n_members);
	if (cl->cb.quorum)
		cl->cb.quorum(cl, quorate != 0, &ring, cl->data);
}

static void
cluster_quorum_nodelist(quorum_handle_t h, struct quorum_ring_id ring_id,
			uint32_t n_members, const uint32_t *members,
			uint32_t n_joined, const uint32_t *joined,
			uint32_t n_left, const uint32_t *left)
{
	/* The quorum callback that follows carries what fo needs. */
	(void)h, (void)ring_id, (void)n_members, (void)members;
	(void)n_joined, (void)joined, (void)n_left, (void)left;
}

/* ---- connection ---- */

static void
cluster_disconnect(struct cluster *cl)
{
	/* Remove the fds from the loop first, then finalize: finalize frees
	 * the handle even when it returns CS_ERR_LIBRARY. */
	cluster__source_clear(&cl->cpg_src);
	cluster__source_clear(&cl->quorum_src);
	cluster__source_clear(&cl->flush_src);
	cluster__source_clear(&cl->pending_src);
	if (cl->have_cpg)
		cpg_finalize(cl->cpg);
	if (cl->have_quorum)
		quorum_finalize(cl->quorum);
	cl->have_cpg = cl->have_quorum = cl->joined = cl->evicted = false;
}

static gboolean
cluster_cpg_ready(gint fd, GIOCondition cond, gpointer data)
{
	struct cluster *cl = data;
	cs_error_t rc;

	(void)fd;
	rc = cpg_dispatch(cl->cpg, CS_DISPATCH_ALL);
	if (rc != CS_OK)
		cluster__lost(cl, "cpg_dispatch", cluster__errno(rc));
	else if (cond & (G_IO_HUP | G_IO_ERR))
		cluster__lost(cl, "cpg hangup", -ENOTCONN);
	else if (cl->evicted)
		cluster__lost(cl, "no longer in the group", -ENOTCONN);
	else
		return G_SOURCE_CONTINUE;
	return G_SOURCE_REMOVE;
}

static gboolean
cluster_quorum_ready(gint fd, GIOCondition cond, gpointer data)
{
	struct cluster *cl = data;
	cs_error_t rc;

	(void)fd;
	rc = quorum_dispatch(cl->quorum, CS_DISPATCH_ALL);
	if (rc != CS_OK)
		cluster__lost(cl, "quorum_dispatch", cluster__errno(rc));
	else if (cond & (G_IO_HUP | G_IO_ERR))
		cluster__lost(cl, "quorum hangup", -ENOTCONN);
	else
		return G_SOURCE_CONTINUE;
	return G_SOURCE_REMOVE;
}

static int
cluster_connect_cpg(struct cluster *cl)
{
	cpg_model_v1_data_t md = {
		.model = CPG_MODEL_V1,
		.cpg_deliver_fn = cluster_cpg_deliver,
		.cpg_confchg_fn = cluster_cpg_confchg,
		.cpg_totem_confchg_fn = cluster_cpg_totem,
		.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
	};
	unsigned int nodeid;
	cs_error_t rc;
	int fd;

	rc = cpg_model_initialize(&cl->cpg, CPG_MODEL_V1,
				  (cpg_model_data_t *)&md, cl);
	if (rc != CS_OK)
		return cluster__errno(rc);
	cl->have_cpg = true;
	if ((rc = cpg_local_get(cl->cpg, &nodeid)) != CS_OK ||
	    (rc = cpg_fd_get(cl->cpg, &fd)) != CS_OK)
		return cluster__errno(rc);
	cl->st.nodeid = nodeid;
	cl->cpg_src = cluster_fd_source(cl, fd, cluster_cpg_ready);
	return 0;
}

static int
cluster_connect_quorum(struct cluster *cl)
{
	quorum_model_v1_data_t md = {
		.model = QUORUM_MODEL_V1,
		.quorum_notify_fn = cluster_quorum_notify,
		.nodelist_notify_fn = cluster_quorum_nodelist,
	};
	uint32_t type;
	cs_error_t rc;
	int fd;

	rc = quorum_model_initialize(&cl->quorum, QUORUM_MODEL_V1,
				     (quorum_model_data_t *)&md, &type, cl);
	if (rc != CS_OK)
		return cluster__errno(rc);
	cl->have_quorum = true;
	if (type != QUORUM_SET)
		log_warnx("%s: corosync has no quorum provider; this node "
			  "will never be quorate",
			  __func__);
	if ((rc = quorum_trackstart(cl->quorum,
				    CS_TRACK_CHANGES | CS_TRACK_CURRENT)) !=
		    CS_OK ||
	    (rc = quorum_fd_get(cl->quorum, &fd)) != CS_OK)
		return cluster__errno(rc);
	cl->quorum_src = cluster_fd_source(cl, fd, cluster_quorum_ready);
	return 0;
}

/*
 * One connection attempt. Keeps what succeeded, so a join that got
 * CS_ERR_TRY_AGAIN is simply tried again on the next tick.
 */
static int
cluster_try_connect(struct cluster *cl)
{
	struct cpg_name name;
	cs_error_t rc;
	int ret;

	cl->attempts++;
	if (!cl->have_cpg && (ret = cluster_connect_cpg(cl)) != 0)
		goto fail;
	if (!cl->have_quorum && (ret = cluster_connect_quorum(cl)) != 0)
		goto fail;
	if (cl->joined)
		return 0;
	if (g_hash_table_size(cl->names) == 0 &&
	    (ret = cluster__names_load(cl->names)) != 0)
		log_warnx("%s: no node names from corosync's nodelist (%s); "
			  "using node ids, and uname -n for this node",
			  __func__, fo_strerror(ret));
	if (cluster__totem_load(&cl->token_ms, &cl->consensus_ms,
				&cl->cluster_name) != 0)
		log_debug("%s: totem timing not readable from cmap", __func__);
	name.length = strlen(cl->group);
	memcpy(name.value, cl->group, name.length);
	rc = cpg_join(cl->cpg, &name);
	if (rc == CS_ERR_TRY_AGAIN)
		return -EAGAIN;
	if (rc != CS_OK) {
		ret = cluster__errno(rc);
		goto fail;
	}
	cl->joined = true;
	return 0;
fail:
	if (ret == -EAGAIN && cl->have_cpg)
		return ret; /* corosync is starting: keep what we have */
	cluster_disconnect(cl);
	return ret;
}

static gboolean
cluster_reconnect_tick(gpointer data)
{
	struct cluster *cl = data;
	int rc;

	rc = cluster_try_connect(cl);
	if (rc == 0) {
		log_info("%s: connected to corosync as node %u after %u "
			 "attempts (%.1f s); joining group %s",
			 __func__, cl->st.nodeid, cl->attempts,
			 (g_get_monotonic_time() - cl->lost_at) / 1e6,
			 cl->group);
		cl->lost_at = 0;
		cl->stats.reconnects++;
		cluster__source_clear(&cl->reconnect_src);
		return G_SOURCE_REMOVE;
	}
	if (cl->attempts == 1 || cl->attempts % CLUSTER_LOG_EVERY == 0)
		log_warnx("%s: cannot connect to corosync (%s), attempt %u; "
			  "retrying every %u ms",
			  __func__, fo_strerror(rc), cl->attempts,
			  cl->reconnect_ms);
	else
		log_debug("%s: attempt %u: %s", __func__, cl->attempts,
			  fo_strerror(rc));
	return G_SOURCE_CONTINUE;
}

static void
cluster_reconnect_arm(struct cluster *cl)
{
	if (cl->reconnect_src == NULL)
		cl->reconnect_src = cluster__timer(cl, cl->reconnect_ms,
						   cluster_reconnect_tick);
}

void
cluster__lost(struct cluster *cl, const char *where, int rc)
{
	static const struct fo_ring_id none;
	bool had_view = cl->st.in_group;
	bool had_quorum = cl->st.q_known && cl->st.quorate;

	log_warnx("%s: lost the connection to corosync (%s: %s); "
		  "reconnecting every %u ms",
		  __func__, where, fo_strerror(rc), cl->reconnect_ms);
	cluster_disconnect(cl);
	cluster__queue_drop(cl);
	fo_msg_reasm_free(cl->reasm);
	cl->reasm = fo_msg_reasm_new(0);
	cluster__state_reset(&cl->st);
	cl->attempts = 0;
	cl->lost_at = g_get_monotonic_time();
	cluster_reconnect_arm(cl);
	if (had_view)
		cluster_emit_view(cl);
	if (had_quorum && cl->cb.quorum)
		cl->cb.quorum(cl, false, &none, cl->data);
}

/* ---- public ---- */

struct cluster *
cluster_new(const struct cluster_options *opt,
	    const struct cluster_callbacks *cb, void *data, GMainContext *ctx)
{
	struct cluster *cl = g_new0(struct cluster, 1);
	struct utsname u;

	cl->ctx = ctx ? g_main_context_ref(ctx)
		      : g_main_context_ref(g_main_context_default());
	if (cb)
		cl->cb = *cb;
	cl->data = data;
	cl->group = g_strdup(opt && opt->group ? opt->group : "fo-crmd");
	if (strlen(cl->group) > CPG_MAX_NAME_LENGTH)
		cl->group[CPG_MAX_NAME_LENGTH] = '\0';
	cl->reconnect_ms = opt && opt->reconnect_ms ? opt->reconnect_ms : 100;
	cl->max_queue_bytes =
		opt && opt->max_queue_bytes ? opt->max_queue_bytes : 64u << 20;
	cluster__state_init(&cl->st, 0, (uint32_t)getpid());
	cl->names = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	cl->uname = uname(&u) == 0 ? g_strdup(u.nodename) : NULL;
	cl->cs_members = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	g_queue_init(&cl->outq);
	cl->reasm = fo_msg_reasm_new(0);
	return cl;
}

int
cluster_start(struct cluster *cl)
{
	int rc;

	cl->attempts = 0;
	cl->lost_at = g_get_monotonic_time();
	if ((rc = cluster_try_connect(cl)) == 0) {
		log_info("%s: connected to corosync as node %u; joining group "
			 "%s",
			 __func__, cl->st.nodeid, cl->group);
		cl->lost_at = 0;
		return 0;
	}
	log_warnx("%s: cannot connect to corosync (%s); retrying every %u ms",
		  __func__, fo_strerror(rc), cl->reconnect_ms);
	cluster_reconnect_arm(cl);
	return -EAGAIN;
}

void
cluster_free(struct cluster *cl)
{
	struct cpg_name name;

	if (cl == NULL)
		return;
	if (cl->joined) {
		name.length = strlen(cl->group);
		memcpy(name.value, cl->group, name.length);
		cpg_leave(cl->cpg, &name);
	}
	cluster_disconnect(cl);
	cluster__source_clear(&cl->reconnect_src);
	cluster__queue_drop(cl);
	fo_msg_reasm_free(cl->reasm);
	cluster__state_clear(&cl->st);
	g_hash_table_destroy(cl->names);
	g_array_unref(cl->cs_members);
	g_free(cl->cluster_name);
	g_main_context_unref(cl->ctx);
	g_free(cl->uname);
	g_free(cl->group);
	g_free(cl);
}

bool
cluster_is_dc(const struct cluster *cl)
{
	return cl->joined && cluster__state_is_dc(&cl->st);
}

uint32_t
cluster_dc_nodeid(const struct cluster *cl)
{
	return cl->joined ? cluster__state_dc(&cl->st) : 0;
}

bool
cluster_msg_current(const struct cluster *cl, const struct fo_msg_hdr *hdr)
{
	return cluster__state_complete(&cl->st) &&
	       cluster__ring_eq(hdr->ring, cl->st.ring);
}

bool
cluster_quorate(const struct cluster *cl)
{
	return cl->joined && cluster__state_quorate(&cl->st);
}

bool
cluster_connected(const struct cluster *cl)
{
	return cl->joined && cl->st.in_group;
}

uint32_t
cluster_local_nodeid(const struct cluster *cl)
{
	return cl->st.nodeid;
}

void
cluster_view(const struct cluster *cl, struct cluster_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!cl->st.in_group)
		return;
	v->ring = cl->st.ring;
	v->n_members = cl->st.members->len;
	v->members = (const struct cluster_member *)(const void *)
			     cl->st.members->data;
}

const char *
cluster_node_name(const struct cluster *cl, uint32_t nodeid)
{
	const char *n =
		g_hash_table_lookup(cl->names, GUINT_TO_POINTER(nodeid));

	if (n == NULL && nodeid != 0 && nodeid == cl->st.nodeid)
		n = cl->uname;
	return n;
}

void
cluster_stats(const struct cluster *cl, struct cluster_stats *out)
{
	*out = cl->stats;
	out->queued = cl->outq.length;
}

bool
cluster_corosync_member(const struct cluster *cl, uint32_t nodeid)
{
	for (guint i = 0; i < cl->cs_members->len; i++)
		if (g_array_index(cl->cs_members, uint32_t, i) == nodeid)
			return true;
	return false;
}

void
cluster_totem_timing(const struct cluster *cl, guint *token_ms,
		     guint *consensus_ms)
{
	*token_ms = cl->token_ms ? cl->token_ms : 1000;
	*consensus_ms =
		cl->consensus_ms ? cl->consensus_ms : *token_ms + *token_ms / 5;
}

const char *
cluster_name(const struct cluster *cl)
{
	return cl->cluster_name;
}
