/*
 * cluster_send.c - the outgoing queue to the CPG group.
 *
 * In: bodies from cluster_send(), wrapped in the envelope (this node, the
 * next sequence number, the current ring id); a large one is compressed
 * (FO_MSG_F_DEFLATE) and chunked. Small envelopes waiting together go out
 * as one CPG message (CLUSTER_T_BATCH, compressed as a whole): a burst of
 * actions or results costs corosync one message, and the IPC rings it
 * shares with us one header, instead of one each. Out:
 * cpg_mcast_joined() calls made only from a main-loop timer, in queue
 * order. CS_ERR_TRY_AGAIN leaves the message at the head and retries after
 * 1, 2, 4, 8, then every 10 ms (CPG-FACTS 3: stalls of seconds happen);
 * the loop keeps dispatching meanwhile. Nothing is sent before our own
 * join confchg: corosync silently drops such sends.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/uio.h>

#include "fo/common.h"
#include "cluster_private.h"

#define CLUSTER_FLUSH_BATCH 64 /* sends per main-loop iteration */
#define CLUSTER_BACKOFF_MAX_MS 10
#define CLUSTER_BATCH_MAX (64u * 1024u) /* bytes of envelopes in a batch */

/* The head went out (or was dropped): account for how long it waited. */
static void
cluster_stall_end(struct cluster *cl)
{
	uint64_t ms;

	if (cl->stall_since == 0)
		return;
	ms = (uint64_t)(g_get_monotonic_time() - cl->stall_since) / 1000;
	if (ms > cl->stats.max_stall_ms)
		cl->stats.max_stall_ms = ms;
	if (ms >= 1000)
		log_info("%s: corosync accepted a message after "
			 "%" G_GUINT64_FORMAT " ms of CS_ERR_TRY_AGAIN",
			 __func__, ms);
	cl->stall_since = 0;
}

static void
cluster_queue_push(struct cluster *cl, GBytes *b)
{
	cl->outq_bytes += g_bytes_get_size(b);
	g_queue_push_tail(&cl->outq, b);
}

int
cluster_send(struct cluster *cl, uint16_t type, const void *body, size_t len)
{
	struct fo_msg_hdr hdr = {0};
	g_autoptr(GBytes) packed = NULL;
	GPtrArray *chunks;
	GBytes *b;
	guint i;
	int rc;

	if (cl == NULL || type == 0 || type == CLUSTER_T_BATCH ||
	    (body == NULL && len))
		return -EINVAL;
	if (!cl->joined)
		return -ENOTCONN;
	if (cl->outq_bytes + len > cl->max_queue_bytes)
		return -ENOBUFS;
	/* small bodies are compressed with their neighbours (a batch) */
	if (len > CLUSTER_BATCH_MAX &&
	    fo_msg_deflate(body, len, &packed) == 0) {
		cl->stats.deflated_in += len;
		body = g_bytes_get_data(packed, &len);
		cl->stats.deflated_out += len;
		hdr.flags = FO_MSG_F_DEFLATE;
	}
	hdr.type = type;
	hdr.sender = cl->st.nodeid;
	hdr.ring = cl->st.ring;
	hdr.seq = cl->seq + 1;
	if (len <= FO_MSG_MAX_BODY) {
		if ((rc = fo_msg_encode(&hdr, body, len, &b)) != 0)
			return rc;
		cluster_queue_push(cl, b);
		cl->seq++;
	} else {
		rc = fo_msg_chunk(&hdr, ++cl->xfer, body, len, 0, &chunks);
		if (rc != 0)
			return rc;
		for (i = 0; i < chunks->len; i++)
			cluster_queue_push(
				cl, g_bytes_ref(g_ptr_array_index(chunks, i)));
		cl->seq += chunks->len;
		g_ptr_array_unref(chunks);
	}
	cluster__flush_schedule(cl, 0);
	return 0;
}

/* A queued envelope that may travel in a batch: small, neither a chunk nor
 * compressed on its own (a large body that shrank). */
static bool
batchable(GBytes *b)
{
	struct fo_msg_hdr h;
	gsize n;
	const void *p = g_bytes_get_data(b, &n);

	return n <= CLUSTER_BATCH_MAX / 4 &&
	       fo_msg_hdr_decode(p, n, &h, NULL) == 0 &&
	       !(h.flags & (FO_MSG_F_CHUNK | FO_MSG_F_DEFLATE));
}

/*
 * What to hand corosync next: the head alone (*count 1, a new reference),
 * or the head and the small envelopes behind it as one CLUSTER_T_BATCH
 * envelope (*count of them), its body compressed when that is smaller
 * (*zin bytes to *zout; both 0 when not compressed). When the batch
 * cannot be encoded the head goes alone.
 */
static GBytes *
next_message(struct cluster *cl, guint *count, gsize *zin, gsize *zout)
{
	GBytes *head = g_queue_peek_head(&cl->outq);
	g_autoptr(GByteArray) body = NULL;
	g_autoptr(GBytes) packed = NULL;
	struct fo_msg_hdr hdr = {0};
	GBytes *out = NULL;
	const void *p;
	gsize n;
	guint i = 0;

	*count = 1;
	*zin = *zout = 0;
	if (g_queue_get_length(&cl->outq) < 2 || !batchable(head) ||
	    !batchable(g_queue_peek_nth(&cl->outq, 1)))
		return g_bytes_ref(head);
	body = g_byte_array_new();
	for (GList *l = cl->outq.head; l != NULL; l = l->next, i++) {
		GBytes *b = l->data;

		p = g_bytes_get_data(b, &n);
		if (!batchable(b) || body->len + n > CLUSTER_BATCH_MAX)
			break;
		g_byte_array_append(body, p, (guint)n);
	}
	hdr.type = CLUSTER_T_BATCH;
	hdr.sender = cl->st.nodeid;
	hdr.ring = cl->st.ring;
	hdr.seq = cl->seq; /* the batch's own number: its last envelope's */
	p = body->data;
	n = body->len;
	if (fo_msg_deflate(body->data, body->len, &packed) == 0) {
		p = g_bytes_get_data(packed, &n);
		*zin = body->len;
		*zout = n;
		hdr.flags = FO_MSG_F_DEFLATE;
	}
	if (fo_msg_encode(&hdr, p, n, &out) != 0) {
		*zin = *zout = 0;
		return g_bytes_ref(head);
	}
	*count = i;
	return out;
}

static gboolean
cluster_flush(gpointer data)
{
	struct cluster *cl = data;
	struct iovec iov;
	GBytes *b, *m;
	const void *p;
	cs_error_t rc;
	guint count;
	gsize zin, zout;
	size_t n;
	int i;

	cluster__source_clear(&cl->flush_src);
	for (i = 0; i < CLUSTER_FLUSH_BATCH; i++) {
		if (!cl->st.in_group || g_queue_is_empty(&cl->outq))
			return G_SOURCE_REMOVE; /* the join reschedules */
		m = next_message(cl, &count, &zin, &zout);
		p = g_bytes_get_data(m, &n);
		iov.iov_base = (void *)(uintptr_t)p;
		iov.iov_len = n;
		rc = cpg_mcast_joined(cl->cpg, CPG_TYPE_AGREED, &iov, 1);
		g_bytes_unref(m);
		if (rc == CS_ERR_TRY_AGAIN) {
			cl->stats.try_again++;
			if (cl->stall_since == 0)
				cl->stall_since = g_get_monotonic_time();
			cl->backoff_ms = cl->backoff_ms
						 ? MIN(cl->backoff_ms * 2,
						       CLUSTER_BACKOFF_MAX_MS)
						 : 1;
			log_debug("%s: corosync busy, retrying in %u ms",
				  __func__, cl->backoff_ms);
			cluster__flush_schedule(cl, cl->backoff_ms);
			return G_SOURCE_REMOVE;
		}
		if (rc != CS_OK) {
			cluster__lost(cl, "cpg_mcast_joined",
				      cluster__errno(rc));
			return G_SOURCE_REMOVE;
		}
		if (count > 1)
			cl->stats.batched += count;
		cl->stats.deflated_in += zin;
		cl->stats.deflated_out += zout;
		while (count--) {
			b = g_queue_pop_head(&cl->outq);
			cl->outq_bytes -= g_bytes_get_size(b);
			g_bytes_unref(b);
		}
		cl->backoff_ms = 0;
		cl->stats.sent++;
		cluster_stall_end(cl);
	}
	cluster__flush_schedule(cl, 0);
	return G_SOURCE_REMOVE;
}

void
cluster__flush_schedule(struct cluster *cl, unsigned int ms)
{
	if (cl->flush_src || g_queue_is_empty(&cl->outq))
		return;
	cl->flush_src = cluster__timer(cl, ms, cluster_flush);
}

void
cluster__queue_drop(struct cluster *cl)
{
	guint n = g_queue_get_length(&cl->outq);

	if (n)
		log_warnx("%s: dropped %u unsent messages (%zu bytes)",
			  __func__, n, cl->outq_bytes);
	g_queue_clear_full(&cl->outq, (GDestroyNotify)g_bytes_unref);
	cl->stall_since = 0;
	cl->outq_bytes = 0;
	cl->backoff_ms = 0;
}
