/*
 * check_cluster_fake.c - the cluster layer against a fake corosync.
 *
 * The program is linked with -Wl,--wrap for every libcpg/libquorum/libcmap
 * call the layer makes, so the tests play corosync: they call the captured
 * confchg/totem/deliver/quorum callbacks, answer sends with
 * CS_ERR_TRY_AGAIN or CS_ERR_LIBRARY, hang up the fds, refuse
 * connections. What is checked: no corosync call from cluster_send()
 * itself, the TRY_AGAIN back-off (1, 2, 4, 8, 10 ms, order kept), chunked
 * sends reassembled on delivery, bad envelopes dropped, and a lost
 * connection reported and retried every 100 ms, never faster.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fo/common.h"
#include "cluster_private.h"

#define FAKE_HANDLE 0x5eed

static struct {
	cs_error_t init_rc;
	unsigned int init_calls;
	cpg_model_v1_data_t cpg;
	void *cpg_ctx;
	quorum_model_v1_data_t q;
	const void *q_ctx;
	int cpg_pipe[2];
	int q_pipe[2];
	unsigned int join_try_again;
	unsigned int try_again_left;
	cs_error_t mcast_rc;
	unsigned int mcast_calls;
	gint64 mcast_at[64];
	GPtrArray *sent;
	unsigned int finalized;
} fk;

/* What the layer told the test. */
static struct {
	unsigned int views;
	size_t last_members;
	struct fo_ring_id last_ring;
	unsigned int quorums;
	bool last_quorate;
	unsigned int delivered;
	struct fo_msg_hdr last_hdr;
	GByteArray *last_body;
} ev;

/* Prototypes for -Wmissing-prototypes; the linker wires them in. */
cs_error_t __wrap_cpg_model_initialize(cpg_handle_t *, cpg_model_t,
				       cpg_model_data_t *, void *);
cs_error_t __wrap_cpg_local_get(cpg_handle_t, unsigned int *);
cs_error_t __wrap_cpg_fd_get(cpg_handle_t, int *);
cs_error_t __wrap_cpg_context_get(cpg_handle_t, void **);
cs_error_t __wrap_cpg_join(cpg_handle_t, const struct cpg_name *);
cs_error_t __wrap_cpg_leave(cpg_handle_t, const struct cpg_name *);
cs_error_t __wrap_cpg_finalize(cpg_handle_t);
cs_error_t __wrap_cpg_dispatch(cpg_handle_t, cs_dispatch_flags_t);
cs_error_t __wrap_cpg_mcast_joined(cpg_handle_t, cpg_guarantee_t,
				   const struct iovec *, unsigned int);
cs_error_t __wrap_quorum_model_initialize(quorum_handle_t *, quorum_model_t,
					  quorum_model_data_t *, uint32_t *,
					  void *);
cs_error_t __wrap_quorum_trackstart(quorum_handle_t, unsigned int);
cs_error_t __wrap_quorum_fd_get(quorum_handle_t, int *);
cs_error_t __wrap_quorum_context_get(quorum_handle_t, const void **);
cs_error_t __wrap_quorum_dispatch(quorum_handle_t, cs_dispatch_flags_t);
cs_error_t __wrap_quorum_finalize(quorum_handle_t);
cs_error_t __wrap_cmap_initialize(uint64_t *);

cs_error_t
__wrap_cpg_model_initialize(cpg_handle_t *h, cpg_model_t model,
			    cpg_model_data_t *md, void *ctx)
{
	fk.init_calls++;
	if (fk.init_rc != CS_OK)
		return fk.init_rc;
	ck_assert_int_eq(model, CPG_MODEL_V1);
	fk.cpg = *(cpg_model_v1_data_t *)md;
	ck_assert_uint_eq(fk.cpg.flags &
				  CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
			  CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF);
	fk.cpg_ctx = ctx;
	ck_assert_int_eq(pipe(fk.cpg_pipe), 0);
	*h = FAKE_HANDLE;
	return CS_OK;
}

cs_error_t
__wrap_cpg_local_get(cpg_handle_t h, unsigned int *nodeid)
{
	(void)h;
	*nodeid = 1;
	return CS_OK;
}

cs_error_t
__wrap_cpg_fd_get(cpg_handle_t h, int *fd)
{
	(void)h;
	*fd = fk.cpg_pipe[0];
	return CS_OK;
}

cs_error_t
__wrap_cpg_context_get(cpg_handle_t h, void **ctx)
{
	ck_assert_uint_eq(h, FAKE_HANDLE);
	*ctx = fk.cpg_ctx;
	return CS_OK;
}

cs_error_t
__wrap_cpg_join(cpg_handle_t h, const struct cpg_name *name)
{
	(void)h;
	ck_assert_uint_eq(name->length, strlen("fo-crmd"));
	ck_assert_int_eq(memcmp(name->value, "fo-crmd", name->length), 0);
	if (fk.join_try_again) {
		fk.join_try_again--;
		return CS_ERR_TRY_AGAIN;
	}
	return CS_OK;
}

cs_error_t
__wrap_cpg_leave(cpg_handle_t h, const struct cpg_name *name)
{
	(void)h, (void)name;
	return CS_OK;
}

static void
fake_close(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

cs_error_t
__wrap_cpg_finalize(cpg_handle_t h)
{
	(void)h;
	fake_close(fk.cpg_pipe);
	fk.finalized++;
	return CS_OK;
}

cs_error_t
__wrap_cpg_dispatch(cpg_handle_t h, cs_dispatch_flags_t flags)
{
	char buf[64];

	(void)h;
	ck_assert_int_eq(flags, CS_DISPATCH_ALL);
	/* A hangup: the fd reads EOF; corosync's library says LIBRARY. */
	if (read(fk.cpg_pipe[0], buf, sizeof(buf)) <= 0)
		return CS_ERR_LIBRARY;
	return CS_OK;
}

cs_error_t
__wrap_cpg_mcast_joined(cpg_handle_t h, cpg_guarantee_t g,
			const struct iovec *iov, unsigned int n)
{
	(void)h;
	ck_assert_int_eq(g, CPG_TYPE_AGREED);
	ck_assert_uint_eq(n, 1);
	if (fk.mcast_calls < G_N_ELEMENTS(fk.mcast_at))
		fk.mcast_at[fk.mcast_calls] = g_get_monotonic_time();
	fk.mcast_calls++;
	if (fk.try_again_left) {
		fk.try_again_left--;
		return CS_ERR_TRY_AGAIN;
	}
	if (fk.mcast_rc != CS_OK)
		return fk.mcast_rc;
	g_ptr_array_add(fk.sent, g_bytes_new(iov[0].iov_base, iov[0].iov_len));
	return CS_OK;
}

cs_error_t
__wrap_quorum_model_initialize(quorum_handle_t *h, quorum_model_t model,
			       quorum_model_data_t *md, uint32_t *type,
			       void *ctx)
{
	ck_assert_int_eq(model, QUORUM_MODEL_V1);
	fk.q = *(quorum_model_v1_data_t *)md;
	fk.q_ctx = ctx;
	ck_assert_int_eq(pipe(fk.q_pipe), 0);
	*type = QUORUM_SET;
	*h = FAKE_HANDLE + 1;
	return CS_OK;
}

cs_error_t
__wrap_quorum_trackstart(quorum_handle_t h, unsigned int flags)
{
	(void)h;
	ck_assert_uint_eq(flags, CS_TRACK_CHANGES | CS_TRACK_CURRENT);
	return CS_OK;
}

cs_error_t
__wrap_quorum_fd_get(quorum_handle_t h, int *fd)
{
	(void)h;
	*fd = fk.q_pipe[0];
	return CS_OK;
}

cs_error_t
__wrap_quorum_context_get(quorum_handle_t h, const void **ctx)
{
	(void)h;
	*ctx = fk.q_ctx;
	return CS_OK;
}

cs_error_t
__wrap_quorum_dispatch(quorum_handle_t h, cs_dispatch_flags_t flags)
{
	char buf[64];

	(void)h, (void)flags;
	if (read(fk.q_pipe[0], buf, sizeof(buf)) <= 0)
		return CS_ERR_LIBRARY;
	return CS_OK;
}

cs_error_t
__wrap_quorum_finalize(quorum_handle_t h)
{
	(void)h;
	fake_close(fk.q_pipe);
	return CS_OK;
}

cs_error_t
__wrap_cmap_initialize(uint64_t *h)
{
	(void)h;
	return CS_ERR_LIBRARY; /* names fall back to uname -n */
}

/* ---- the test's side of the layer ---- */

static void
on_view(struct cluster *cl, const struct cluster_view *v, void *data)
{
	(void)cl, (void)data;
	ev.views++;
	ev.last_members = v->n_members;
	ev.last_ring = v->ring;
}

static void
on_deliver(struct cluster *cl, const struct cluster_member *from,
	   const struct fo_msg_hdr *hdr, const uint8_t *body, void *data)
{
	(void)cl, (void)from, (void)data;
	ev.delivered++;
	ev.last_hdr = *hdr;
	g_byte_array_set_size(ev.last_body, 0);
	if (body)
		g_byte_array_append(ev.last_body, body, hdr->body_len);
}

static void
on_quorum(struct cluster *cl, bool quorate, const struct fo_ring_id *ring,
	  void *data)
{
	(void)cl, (void)ring, (void)data;
	ev.quorums++;
	ev.last_quorate = quorate;
}

static const struct cluster_callbacks test_cb = {
	.membership = on_view,
	.deliver = on_deliver,
	.quorum = on_quorum,
};

static void
setup(void)
{
	memset(&fk, 0, sizeof(fk));
	memset(&ev, 0, sizeof(ev));
	fk.init_rc = CS_OK;
	fk.mcast_rc = CS_OK;
	fk.cpg_pipe[0] = fk.cpg_pipe[1] = fk.q_pipe[0] = fk.q_pipe[1] = -1;
	fk.sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ev.last_body = g_byte_array_new();
	log_init("check_cluster_fake", true, 0);
}

static void
teardown(void)
{
	g_ptr_array_unref(fk.sent);
	g_byte_array_unref(ev.last_body);
	fake_close(fk.cpg_pipe);
	fake_close(fk.q_pipe);
}

static gboolean
set_flag(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

/* Run the default main context for @ms milliseconds (blocking waits). */
static void
spin(unsigned int ms)
{
	bool done = false;

	g_timeout_add(ms, set_flag, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

/* Run it until @cond holds or @ms have passed, looking every 5 ms. */
static void
spin_until(bool (*cond)(void), unsigned int ms)
{
	unsigned int waited = 0;

	while (!cond() && waited < ms) {
		spin(5);
		waited += 5;
	}
}

static const struct cpg_name group = {7, "fo-crmd"};

/* corosync says: we joined alone (own confchg, then the totem call). */
static void
fake_join_alone(uint32_t ring_seq)
{
	struct cpg_address me = {1, (uint32_t)getpid(), CPG_REASON_JOIN};
	struct cpg_ring_id ring = {1, ring_seq};
	struct quorum_ring_id qring = {1, ring_seq};
	uint32_t node = 1;

	fk.cpg.cpg_confchg_fn(FAKE_HANDLE, &group, &me, 1, NULL, 0, &me, 1);
	fk.cpg.cpg_totem_confchg_fn(FAKE_HANDLE, ring, 1, &node);
	fk.q.quorum_notify_fn(FAKE_HANDLE + 1, 1, qring, 1, &node);
}

/* Deliver everything the layer sent back to it, in order (loopback). */
static void
fake_loopback(void)
{
	guint i;
	size_t n;

	for (i = 0; i < fk.sent->len; i++) {
		const void *p =
			g_bytes_get_data(g_ptr_array_index(fk.sent, i), &n);
		void *copy = g_memdup2(p, n);

		fk.cpg.cpg_deliver_fn(FAKE_HANDLE, &group, 1,
				      (uint32_t)getpid(), copy, n);
		g_free(copy);
	}
	g_ptr_array_set_size(fk.sent, 0);
}

/* A layer that connected and saw itself join alone on ring 1.@seq. */
static struct cluster *
joined_cluster(uint32_t seq)
{
	struct cluster *cl = cluster_new(NULL, &test_cb, NULL, NULL);

	ck_assert_int_eq(cluster_start(cl), 0);
	fake_join_alone(seq);
	return cl;
}

/* The type of the i-th message handed to corosync. */
static uint16_t
sent_type(guint i)
{
	struct fo_msg_hdr h;
	gsize n;
	const void *p = g_bytes_get_data(fk.sent->pdata[i], &n);

	ck_assert_int_eq(fo_msg_hdr_decode(p, n, &h, NULL), 0);
	return h.type;
}

/* Bytes that do not compress (xorshift). */
static uint8_t *
noise(size_t len)
{
	uint8_t *p = g_malloc(len);
	guint32 x = 2463534242u;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
	return p;
}

START_TEST(test_join_view_dc)
{
	struct cluster *cl = cluster_new(NULL, &test_cb, NULL, NULL);

	ck_assert_int_eq(cluster_send(cl, 7, "x", 1), -ENOTCONN);
	ck_assert_int_eq(cluster_start(cl), 0);
	ck_assert(!cluster_connected(cl));
	/* Before the own join confchg: queued, nothing sent. */
	ck_assert_int_eq(cluster_send(cl, 7, "early", 5), 0);
	/* the layer's own type is not for users */
	ck_assert_int_eq(cluster_send(cl, CLUSTER_T_BATCH, "b", 1), -EINVAL);
	spin(20);
	ck_assert_uint_eq(fk.mcast_calls, 0);
	fake_join_alone(4);
	ck_assert_uint_eq(ev.views, 1);
	ck_assert_uint_eq(ev.last_members, 1);
	ck_assert_uint_eq(ev.last_ring.seq, 4);
	ck_assert(ev.last_quorate);
	ck_assert(cluster_is_dc(cl));
	ck_assert_uint_eq(cluster_dc_nodeid(cl), 1);
	ck_assert_ptr_nonnull(cluster_node_name(cl, 1)); /* uname -n */
	ck_assert_ptr_null(cluster_node_name(cl, 2));
	spin(20);
	ck_assert_uint_eq(fk.sent->len, 1);
	fake_loopback();
	ck_assert_uint_eq(ev.delivered, 1);
	ck_assert_uint_eq(ev.last_hdr.type, 7);
	ck_assert_uint_eq(ev.last_hdr.sender, 1);
	ck_assert_uint_eq(ev.last_body->len, 5);
	cluster_free(cl);
}
END_TEST

START_TEST(test_send_is_async_and_stamped)
{
	struct cluster *cl = joined_cluster(8);

	ck_assert_int_eq(cluster_send(cl, 2, "a", 1), 0);
	ck_assert_int_eq(cluster_send(cl, 2, "b", 1), 0);
	ck_assert_uint_eq(fk.mcast_calls, 0); /* never from cluster_send */
	spin(20);
	/* waiting together, they went as one batch; delivered one by one */
	ck_assert_uint_eq(fk.sent->len, 1);
	ck_assert_uint_eq(sent_type(0), CLUSTER_T_BATCH);
	fake_loopback();
	ck_assert_uint_eq(ev.delivered, 2);
	ck_assert_uint_eq(ev.last_body->data[0], 'b');
	ck_assert_uint_eq(ev.last_hdr.seq, 2);
	ck_assert_uint_eq(ev.last_hdr.ring.nodeid, 1);
	ck_assert_uint_eq(ev.last_hdr.ring.seq, 8);
	ck_assert(cluster_msg_current(cl, &ev.last_hdr));
	/* The same message delivered after a ring change is stale. */
	{
		struct cpg_ring_id ring = {1, 9};
		uint32_t node = 1;

		fk.cpg.cpg_totem_confchg_fn(FAKE_HANDLE, ring, 1, &node);
	}
	ck_assert(!cluster_msg_current(cl, &ev.last_hdr));
	ck_assert_int_eq(cluster_send(cl, 0, "a", 1), -EINVAL);
	cluster_free(cl);
}
END_TEST

START_TEST(test_try_again_backoff)
{
	struct cluster *cl = joined_cluster(8);
	struct cluster_stats st;
	static const unsigned int want_ms[] = {1, 2, 4, 8, 10, 10};
	char body[200];
	unsigned int i;

	fk.try_again_left = 6;
	memset(body, 'a', sizeof(body)); /* the batch compresses */
	for (i = 0; i < 3; i++) {
		body[0] = "xyz"[i];
		ck_assert_int_eq(cluster_send(cl, 3, body, sizeof(body)), 0);
	}
	spin(100);
	/* 6 refusals, then the 3 messages in one batch: 7 calls, the order
	 * kept. */
	ck_assert_uint_eq(fk.mcast_calls, 7);
	ck_assert_uint_eq(fk.sent->len, 1);
	for (i = 0; i < G_N_ELEMENTS(want_ms); i++) {
		gint64 gap = fk.mcast_at[i + 1] - fk.mcast_at[i];

		ck_assert_msg(gap >= want_ms[i] * 1000,
			      "retry %u after %" G_GINT64_FORMAT " us, want "
			      ">= %u ms",
			      i, gap, want_ms[i]);
	}
	cluster_stats(cl, &st);
	ck_assert_uint_eq(st.try_again, 6);
	ck_assert_uint_eq(st.sent, 1);
	ck_assert_uint_eq(st.batched, 3);
	/* counted once, for the send that went through */
	ck_assert_uint_eq(st.deflated_in, 3 * (FO_MSG_HDR_SIZE + sizeof(body)));
	ck_assert_uint_lt(st.deflated_out, st.deflated_in);
	ck_assert_uint_eq(st.queued, 0);
	ck_assert_uint_ge(st.max_stall_ms, 30);
	fake_loopback();
	ck_assert_uint_eq(ev.delivered, 3);
	ck_assert_uint_eq(ev.last_body->data[0], 'z');
	cluster_free(cl);
}
END_TEST

START_TEST(test_chunked_roundtrip)
{
	struct cluster *cl = joined_cluster(8);
	size_t len = 2 * FO_MSG_MAX_BODY + 123;
	uint8_t *big = noise(len); /* does not compress: three chunks */

	ck_assert_int_eq(cluster_send(cl, 4, big, len), 0);
	spin(20);
	ck_assert_uint_eq(fk.sent->len, 3);
	fake_loopback();
	ck_assert_uint_eq(ev.delivered, 1);
	ck_assert_uint_eq(ev.last_hdr.type, 4);
	ck_assert_uint_eq(ev.last_hdr.flags & FO_MSG_F_CHUNK, 0);
	ck_assert_uint_eq(ev.last_body->len, len);
	ck_assert_mem_eq(ev.last_body->data, big, len);
	g_free(big);
	cluster_free(cl);
}
END_TEST

START_TEST(test_bad_envelopes_dropped)
{
	struct cluster *cl = joined_cluster(8);
	struct cluster_stats st;
	char junk[100];
	size_t n;
	void *copy;

	memset(junk, 'j', sizeof(junk));
	fk.cpg.cpg_deliver_fn(FAKE_HANDLE, &group, 2, 77, junk, sizeof(junk));
	/* A valid envelope that claims another sender than corosync's. */
	ck_assert_int_eq(cluster_send(cl, 5, "spoof", 5), 0);
	spin(20);
	ck_assert_uint_eq(fk.sent->len, 1);
	copy = g_bytes_unref_to_data(g_ptr_array_steal_index(fk.sent, 0), &n);
	fk.cpg.cpg_deliver_fn(FAKE_HANDLE, &group, 3, 77, copy, n);
	g_free(copy);
	ck_assert_uint_eq(ev.delivered, 0);
	cluster_stats(cl, &st);
	ck_assert_uint_eq(st.dropped, 2);
	cluster_free(cl);
}
END_TEST

/* A big body that compresses: sent deflated (fewer chunks), delivered
 * whole and equal. */
START_TEST(test_deflated_roundtrip)
{
	struct cluster *cl = joined_cluster(8);
	size_t len = 2 * FO_MSG_MAX_BODY + 123, i;
	uint8_t *big = g_malloc(len);
	struct cluster_stats st;

	for (i = 0; i < len; i++)
		big[i] = (uint8_t)(i % 251);
	/* small ones around it: the compressed one is never batched */
	ck_assert_int_eq(cluster_send(cl, 5, "pre", 3), 0);
	ck_assert_int_eq(cluster_send(cl, 4, big, len), 0);
	ck_assert_int_eq(cluster_send(cl, 5, "post", 4), 0);
	spin(20);
	ck_assert_uint_eq(fk.sent->len, 3);
	ck_assert_uint_eq(sent_type(1), 4);
	ck_assert_uint_lt(g_bytes_get_size(fk.sent->pdata[1]), len / 50);
	cluster_stats(cl, &st);
	ck_assert_uint_eq(st.deflated_in, len);
	ck_assert_uint_eq(st.batched, 0);
	g_bytes_unref(g_ptr_array_steal_index(fk.sent, 2)); /* not "post" */
	fake_loopback();
	ck_assert_uint_eq(ev.delivered, 2);
	ck_assert_uint_eq(ev.last_hdr.type, 4);
	ck_assert_uint_eq(ev.last_hdr.flags & FO_MSG_F_DEFLATE, 0);
	ck_assert_uint_eq(ev.last_hdr.body_len, len);
	ck_assert_uint_eq(ev.last_body->len, len);
	ck_assert_mem_eq(ev.last_body->data, big, len);
	g_free(big);
	cluster_free(cl);
}
END_TEST

/* Append @b to @a, less its last @cut bytes. */
static void
append_bytes(GByteArray *a, GBytes *b, gsize cut)
{
	gsize n;
	const uint8_t *p = g_bytes_get_data(b, &n);

	g_byte_array_append(a, p, (guint)(n - cut));
}

/* Deliver hand-made bytes as if node 1 (us) had sent them. */
static void
deliver_raw(const void *p, size_t n)
{
	void *copy = g_memdup2(p, n);

	fk.cpg.cpg_deliver_fn(FAKE_HANDLE, &group, 1, (uint32_t)getpid(), copy,
			      n);
	g_free(copy);
}

/* Deliver @body as a batch envelope with header @b, from node 1. */
static void
deliver_batch(const struct fo_msg_hdr *b, const GByteArray *body)
{
	GBytes *out = NULL;
	const uint8_t *p;
	gsize n;

	ck_assert_int_eq(fo_msg_encode(b, body->data, body->len, &out), 0);
	p = g_bytes_get_data(out, &n);
	deliver_raw(p, n);
	g_bytes_unref(out);
}

/* A batch with a bad envelope: what precedes it is delivered, the rest is
 * dropped and counted; an inner envelope of another sender, a nested
 * batch, a truncated batch and a corrupt compressed one are refused. */
START_TEST(test_bad_batches)
{
	struct cluster *cl = joined_cluster(8);
	struct fo_msg_hdr h = {.type = 9, .sender = 1, .ring = {1, 8}};
	struct fo_msg_hdr b = {
		.type = CLUSTER_T_BATCH, .sender = 1, .ring = {1, 8}};
	struct cluster_stats st;
	GByteArray *body = g_byte_array_new();
	GBytes *e1, *e2, *spoof, *out, *z;

	ck_assert_int_eq(fo_msg_encode(&h, "one", 3, &e1), 0);
	ck_assert_int_eq(fo_msg_encode(&h, "two", 3, &e2), 0);
	h.sender = 2;
	ck_assert_int_eq(fo_msg_encode(&h, "bad", 3, &spoof), 0);
	/* one, garbage, two */
	append_bytes(body, e1, 0);
	g_byte_array_append(body, (const uint8_t *)"garbage!", 8);
	append_bytes(body, e2, 0);
	deliver_batch(&b, body);
	ck_assert_uint_eq(ev.delivered, 1);
	ck_assert_uint_eq(ev.last_body->data[0], 'o');
	/* one, then an envelope claiming node 2 */
	g_byte_array_set_size(body, 0);
	append_bytes(body, e1, 0);
	append_bytes(body, spoof, 0);
	deliver_batch(&b, body);
	ck_assert_uint_eq(ev.delivered, 2);
	/* a batch inside a batch */
	g_byte_array_set_size(body, 0);
	append_bytes(body, e1, 0);
	ck_assert_int_eq(fo_msg_encode(&b, body->data, body->len, &out), 0);
	g_byte_array_set_size(body, 0);
	append_bytes(body, out, 0);
	g_bytes_unref(out);
	deliver_batch(&b, body);
	ck_assert_uint_eq(ev.delivered, 2);
	/* the last envelope cut short */
	g_byte_array_set_size(body, 0);
	append_bytes(body, e1, 0);
	append_bytes(body, e2, 1);
	deliver_batch(&b, body);
	ck_assert_uint_eq(ev.delivered, 3);
	/* a compressed batch whose stream is corrupt: nothing delivered */
	g_byte_array_set_size(body, 0);
	for (int i = 0; i < 50; i++)
		append_bytes(body, e1, 0);
	ck_assert_int_eq(fo_msg_deflate(body->data, body->len, &z), 0);
	g_byte_array_set_size(body, 0);
	append_bytes(body, z, 0);
	body->data[body->len / 2] ^= 0x55;
	b.flags = FO_MSG_F_DEFLATE;
	deliver_batch(&b, body);
	ck_assert_uint_eq(ev.delivered, 3);
	cluster_stats(cl, &st);
	ck_assert_uint_eq(st.dropped, 5);
	g_bytes_unref(z);
	g_bytes_unref(e1);
	g_bytes_unref(e2);
	g_bytes_unref(spoof);
	g_byte_array_unref(body);
	cluster_free(cl);
}
END_TEST

static bool
have_empty_view(void)
{
	return ev.views >= 2 && ev.last_members == 0;
}

START_TEST(test_lost_and_reconnect)
{
	struct cluster *cl = joined_cluster(8);
	struct cluster_stats st;
	unsigned int calls;

	ck_assert(cluster_is_dc(cl));
	/* corosync dies: the send gets CS_ERR_LIBRARY. */
	fk.mcast_rc = CS_ERR_LIBRARY;
	fk.init_rc = CS_ERR_LIBRARY;
	ck_assert_int_eq(cluster_send(cl, 6, "x", 1), 0);
	spin_until(have_empty_view, 1000);
	ck_assert(have_empty_view());
	ck_assert(!ev.last_quorate);
	ck_assert(!cluster_is_dc(cl));
	ck_assert(!cluster_connected(cl));
	ck_assert_uint_ge(fk.finalized, 1);
	ck_assert_int_eq(cluster_send(cl, 6, "x", 1), -ENOTCONN);
	/* Retries every 100 ms: about 5 in 550 ms, never a spin. */
	calls = fk.init_calls;
	spin(550);
	ck_assert_uint_ge(fk.init_calls - calls, 4);
	ck_assert_uint_le(fk.init_calls - calls, 6);
	/* corosync is back (join answers TRY_AGAIN once): reconnected. */
	fk.init_rc = CS_OK;
	fk.mcast_rc = CS_OK;
	fk.join_try_again = 1;
	spin(250);
	fake_join_alone(12);
	ck_assert(cluster_connected(cl));
	ck_assert(cluster_is_dc(cl));
	ck_assert_uint_eq(ev.last_ring.seq, 12);
	cluster_stats(cl, &st);
	ck_assert_uint_eq(st.reconnects, 1);
	cluster_free(cl);
}
END_TEST

START_TEST(test_hangup)
{
	struct cluster *cl = joined_cluster(8);

	fk.init_rc = CS_ERR_LIBRARY;
	/* The fd reports a hangup (write end closed). */
	close(fk.cpg_pipe[1]);
	fk.cpg_pipe[1] = -1;
	spin_until(have_empty_view, 1000);
	ck_assert(have_empty_view());
	ck_assert(!cluster_is_dc(cl));
	cluster_free(cl);
}
END_TEST

START_TEST(test_evicted)
{
	struct cluster *cl = joined_cluster(8);
	struct cpg_address other = {2, 99, 0};
	struct cpg_address me = {1, (uint32_t)getpid(), CPG_REASON_LEAVE};

	fk.init_rc = CS_ERR_LIBRARY;
	/* A confchg that no longer lists us: handled after dispatch. */
	fk.cpg.cpg_confchg_fn(FAKE_HANDLE, &group, &other, 1, &me, 1, NULL, 0);
	ck_assert_int_eq(write(fk.cpg_pipe[1], "x", 1), 1);
	spin_until(have_empty_view, 1000);
	ck_assert(have_empty_view());
	cluster_free(cl);
}
END_TEST

static Suite *
fake_suite(void)
{
	Suite *s = suite_create("cluster-fake");
	TCase *tc = tcase_create("layer");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_join_view_dc);
	tcase_add_test(tc, test_send_is_async_and_stamped);
	tcase_add_test(tc, test_try_again_backoff);
	tcase_add_test(tc, test_chunked_roundtrip);
	tcase_add_test(tc, test_deflated_roundtrip);
	tcase_add_test(tc, test_bad_batches);
	tcase_add_test(tc, test_bad_envelopes_dropped);
	tcase_add_test(tc, test_lost_and_reconnect);
	tcase_add_test(tc, test_hangup);
	tcase_add_test(tc, test_evicted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fake_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
