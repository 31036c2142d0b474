/*
 * cluster_send.c - the outgoing queue to the CPG group.
 *
 * In: bodies from cluster_send(), wrapped in the envelope (this node, the
 * next sequence number, the current ring id) and chunked when large. Out:
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

#define CLUSTER_FLUSH_BATCH	64	/* sends per main-loop iteration */
#define CLUSTER_BACKOFF_MAX_MS	10

static void
cluster_queue_push(struct cluster *cl, GBytes *b)
{
	cl->outq_bytes += g_bytes_get_size(b);
	g_queue_push_tail(&cl->outq, b);
}

int
cluster_send(struct cluster *cl, uint16_t type, const void *body, size_t len)
{
	struct fo_msg_hdr hdr = { 0 };
	GPtrArray *chunks;
	GBytes *b;
	guint i;
	int rc;

	if (cl == NULL || type == 0 || (body == NULL && len))
		return -EINVAL;
	if (!cl->joined)
		return -ENOTCONN;
	if (cl->outq_bytes + len > cl->max_queue_bytes)
		return -ENOBUFS;
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
			cluster_queue_push(cl,
			    g_bytes_ref(g_ptr_array_index(chunks, i)));
		cl->seq += chunks->len;
		g_ptr_array_unref(chunks);
	}
	cluster__flush_schedule(cl, 0);
	return 0;
}

static gboolean
cluster_flush(gpointer data)
{
	struct cluster *cl = data;
	struct iovec iov;
	GBytes *b;
	const void *p;
	cs_error_t rc;
	size_t n;
	int i;

	cluster__source_clear(&cl->flush_src);
	for (i = 0; i < CLUSTER_FLUSH_BATCH; i++) {
		if (!cl->st.in_group || g_queue_is_empty(&cl->outq))
			return G_SOURCE_REMOVE;	/* the join reschedules */
		b = g_queue_peek_head(&cl->outq);
		p = g_bytes_get_data(b, &n);
		iov.iov_base = (void *)(uintptr_t)p;
		iov.iov_len = n;
		rc = cpg_mcast_joined(cl->cpg, CPG_TYPE_AGREED, &iov, 1);
		if (rc == CS_ERR_TRY_AGAIN) {
			cl->try_again++;
			cl->backoff_ms = cl->backoff_ms ?
			    MIN(cl->backoff_ms * 2, CLUSTER_BACKOFF_MAX_MS) : 1;
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
		g_queue_pop_head(&cl->outq);
		cl->outq_bytes -= n;
		g_bytes_unref(b);
		cl->backoff_ms = 0;
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
	cl->outq_bytes = 0;
	cl->backoff_ms = 0;
}
