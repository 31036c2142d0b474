/*
 * check_msg.c - unit tests for the message envelope (lib/msg).
 *
 * Expected wire bytes are written out by hand from the layout in msg.h,
 * not taken from the encoder. Covers garbage, truncation, oversize,
 * wrong version and flags, chunk loss, duplication and reordering, and
 * compressed bodies (a zlib stream written by hand, every truncation,
 * wrong lengths, checksums and trailing bytes).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "fo/common.h"
#include "fo/msg.h"

static struct fo_msg_hdr
sample_hdr(void)
{
	struct fo_msg_hdr h = {
		.type = 0x0102,
		.flags = FO_MSG_F_REPLY,
		.sender = 0x0a0b0c0d,
		.seq = 0x1122334455667788ull,
		.ring = {.nodeid = 3, .seq = 0x99},
	};
	return h;
}

START_TEST(test_wire_layout)
{
	static const uint8_t want[FO_MSG_HDR_SIZE] = {
		0x46, 0x4f, 0x4d, 0x31, /* magic "FOM1" */
		0x00, 0x01,		/* version */
		0x01, 0x02,		/* type */
		0x00, 0x00, 0x00, 0x02, /* flags: reply */
		0x00, 0x00, 0x00, 0x03, /* body length */
		0x0a, 0x0b, 0x0c, 0x0d, /* sender */
		0x00, 0x00, 0x00, 0x03, /* ring nodeid */
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* seq */
		0,    0,    0,	  0,	0,    0,    0,	  0x99, /* ring seq */
	};
	struct fo_msg_hdr h = sample_hdr(), d;
	const uint8_t *body;
	GBytes *b;
	size_t n;
	const uint8_t *p;

	ck_assert_int_eq(fo_msg_encode(&h, "abc", 3, &b), 0);
	p = g_bytes_get_data(b, &n);
	ck_assert_uint_eq(n, FO_MSG_HDR_SIZE + 3);
	ck_assert_mem_eq(p, want, FO_MSG_HDR_SIZE);
	ck_assert_mem_eq(p + FO_MSG_HDR_SIZE, "abc", 3);
	ck_assert_int_eq(fo_msg_decode(p, n, &d, &body, NULL), 0);
	ck_assert_uint_eq(d.version, FO_MSG_VERSION);
	ck_assert_uint_eq(d.type, 0x0102);
	ck_assert_uint_eq(d.flags, FO_MSG_F_REPLY);
	ck_assert_uint_eq(d.body_len, 3);
	ck_assert_uint_eq(d.sender, 0x0a0b0c0d);
	ck_assert_uint_eq(d.seq, 0x1122334455667788ull);
	ck_assert_uint_eq(d.ring.nodeid, 3);
	ck_assert_uint_eq(d.ring.seq, 0x99);
	ck_assert_ptr_eq(body, p + FO_MSG_HDR_SIZE);
	g_bytes_unref(b);
}
END_TEST

START_TEST(test_empty_body)
{
	struct fo_msg_hdr h = sample_hdr(), d;
	const uint8_t *body = (const uint8_t *)"x";
	GBytes *b;
	size_t n;
	const void *p;

	ck_assert_int_eq(fo_msg_encode(&h, NULL, 0, &b), 0);
	p = g_bytes_get_data(b, &n);
	ck_assert_int_eq(fo_msg_decode(p, n, &d, &body, NULL), 0);
	ck_assert_ptr_null(body);
	ck_assert_uint_eq(d.body_len, 0);
	g_bytes_unref(b);
}
END_TEST

/* Decode must fail with -FO_EPROTO and name the problem. */
static void
expect_proto(const void *buf, size_t len, const char *needle)
{
	struct fo_msg_hdr d;
	const uint8_t *body;
	const char *why = NULL;

	ck_assert_int_eq(fo_msg_decode(buf, len, &d, &body, &why), -FO_EPROTO);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, needle) != NULL, "reason '%s' lacks '%s'",
		      why, needle);
	ck_assert_ptr_null(body);
}

static uint8_t *
encoded_copy(size_t body_len, size_t *n)
{
	struct fo_msg_hdr h = sample_hdr();
	uint8_t *body = g_malloc0(body_len + 1), *copy;
	GBytes *b;

	ck_assert_int_eq(fo_msg_encode(&h, body, body_len, &b), 0);
	const void *data = g_bytes_get_data(b, n);

	copy = g_memdup2(data, *n);
	g_bytes_unref(b);
	g_free(body);
	return copy;
}

START_TEST(test_garbage)
{
	uint8_t buf[256];
	GRand *rnd = g_rand_new_with_seed(4242);
	struct fo_msg_hdr d;
	const uint8_t *body;
	unsigned int i, j, accepted = 0;

	for (i = 0; i < 2000; i++) {
		size_t len = g_rand_int_range(rnd, 0, sizeof(buf));

		for (j = 0; j < len; j++)
			buf[j] = g_rand_int(rnd);
		if (fo_msg_decode(buf, len, &d, &body, NULL) == 0)
			accepted++;
	}
	ck_assert_uint_eq(accepted, 0);
	expect_proto("GET / HTTP/1.0\r\n\r\n0123456789012345678901234", 40,
		     "magic");
	g_rand_free(rnd);
}
END_TEST

START_TEST(test_truncated)
{
	size_t n, cut;
	uint8_t *p = encoded_copy(100, &n);

	for (cut = 0; cut < FO_MSG_HDR_SIZE; cut++)
		expect_proto(p, cut, "shorter than the message header");
	for (cut = FO_MSG_HDR_SIZE; cut < n; cut++)
		expect_proto(p, cut, "truncated");
	g_free(p);
}
END_TEST

START_TEST(test_trailing)
{
	size_t n;
	uint8_t *p = encoded_copy(10, &n);
	uint8_t *q = g_malloc0(n + 5);

	memcpy(q, p, n);
	expect_proto(q, n + 5, "trailing bytes");
	g_free(q);
	g_free(p);
}
END_TEST

START_TEST(test_oversize)
{
	struct fo_msg_hdr h = sample_hdr(), d;
	uint8_t *big = g_malloc0(FO_MSG_MAX_BODY + 1);
	GBytes *b;
	size_t n;
	uint8_t *p;

	ck_assert_int_eq(fo_msg_encode(&h, big, FO_MSG_MAX_BODY + 1, &b),
			 -EMSGSIZE);
	ck_assert_int_eq(fo_msg_encode(&h, big, FO_MSG_MAX_BODY, &b), 0);
	ck_assert_uint_lt(FO_MSG_HDR_SIZE + FO_MSG_MAX_BODY, 1047552);
	g_bytes_unref(b);
	g_free(big);
	/* A header that claims more than the maximum: refused from the
	 * header alone, before any body is read (stream case). */
	p = encoded_copy(4, &n);
	p[12] = 0x7f;
	ck_assert_int_eq(fo_msg_hdr_decode(p, FO_MSG_HDR_SIZE, &d, NULL),
			 -FO_EPROTO);
	expect_proto(p, n, "above the maximum");
	g_free(p);
}
END_TEST

START_TEST(test_bad_fields)
{
	size_t n;
	uint8_t *p = encoded_copy(4, &n);

	p[5] = 2; /* version 2 */
	expect_proto(p, n, "version");
	p[5] = 0; /* version 0 */
	expect_proto(p, n, "version");
	p[5] = 1;
	p[6] = p[7] = 0; /* type 0 */
	expect_proto(p, n, "type 0");
	p[7] = 1;
	p[8] = 0x80; /* unknown flag */
	expect_proto(p, n, "flags");
	p[8] = 0;
	p[0] ^= 1;
	expect_proto(p, n, "magic");
	p[0] ^= 1;
	{
		struct fo_msg_hdr d;
		const uint8_t *body;

		ck_assert_int_eq(fo_msg_decode(p, n, &d, &body, NULL), 0);
	}
	g_free(p);
}
END_TEST

START_TEST(test_encode_refuses)
{
	struct fo_msg_hdr h = sample_hdr();
	GBytes *b;

	h.type = 0;
	ck_assert_int_eq(fo_msg_encode(&h, "a", 1, &b), -FO_EPROTO);
	h = sample_hdr();
	h.flags = 0x100;
	ck_assert_int_eq(fo_msg_encode(&h, "a", 1, &b), -FO_EPROTO);
	h = sample_hdr();
	ck_assert_int_eq(fo_msg_encode(&h, NULL, 1, &b), -EINVAL);
	ck_assert_int_eq(fo_msg_encode(NULL, "a", 1, &b), -EINVAL);
}
END_TEST

/* ---- chunking ---- */

static uint8_t *
pattern(size_t len)
{
	uint8_t *p = g_malloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + i / 251);
	return p;
}

/* Feed chunk i of arr; returns the reassembler's result. */
static int
feed(struct fo_msg_reasm *r, uint64_t src, GPtrArray *arr, guint i,
     struct fo_msg_hdr *wh, GBytes **whole)
{
	struct fo_msg_hdr d;
	const uint8_t *body;
	size_t n;
	const void *p = g_bytes_get_data(g_ptr_array_index(arr, i), &n);

	ck_assert_int_eq(fo_msg_decode(p, n, &d, &body, NULL), 0);
	ck_assert(d.flags & FO_MSG_F_CHUNK);
	return fo_msg_reasm_add(r, src, &d, body, wh, whole);
}

static void
check_whole(GBytes *whole, const uint8_t *want, size_t len)
{
	size_t n;
	const void *p = g_bytes_get_data(whole, &n);

	ck_assert_uint_eq(n, len);
	ck_assert_mem_eq(p, want, len);
}

START_TEST(test_chunk_in_order)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	size_t len = 10000;
	uint8_t *body = pattern(len);
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	GPtrArray *arr;
	GBytes *whole = NULL;
	guint i;

	h.flags = 0;
	ck_assert_int_eq(fo_msg_chunk(&h, 7, body, len, 999, &arr), 0);
	ck_assert_uint_eq(arr->len, 11); /* ceil(10000 / 999) */
	for (i = 0; i + 1 < arr->len; i++) {
		ck_assert_int_eq(feed(r, 1, arr, i, &wh, &whole), 0);
		ck_assert_ptr_null(whole);
	}
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 1);
	ck_assert_int_eq(feed(r, 1, arr, i, &wh, &whole), 1);
	check_whole(whole, body, len);
	ck_assert_uint_eq(wh.flags, 0);
	ck_assert_uint_eq(wh.body_len, len);
	ck_assert_uint_eq(wh.type, h.type);
	ck_assert_uint_eq(wh.seq, h.seq + 10); /* the last chunk's */
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	g_bytes_unref(whole);
	g_ptr_array_unref(arr);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_reorder_dup)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	size_t len = 5000;
	uint8_t *body = pattern(len);
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	static const guint order[] = {4, 0, 0, 3, 4, 1, 3};
	GPtrArray *arr;
	GBytes *whole = NULL;
	guint i;

	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, len, 1000, &arr), 0);
	ck_assert_uint_eq(arr->len, 5);
	for (i = 0; i < G_N_ELEMENTS(order); i++)
		ck_assert_int_eq(feed(r, 9, arr, order[i], &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 9, arr, 2, &wh, &whole), 1);
	check_whole(whole, body, len);
	g_bytes_unref(whole);
	/* A late duplicate after completion starts a new partial transfer
	 * that never completes; it is dropped with its source. */
	ck_assert_int_eq(feed(r, 9, arr, 1, &wh, &whole), 0);
	ck_assert_ptr_null(whole);
	ck_assert_uint_eq(fo_msg_reasm_drop(r, 9), 1);
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	g_ptr_array_unref(arr);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_loss)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	size_t len = 4000;
	uint8_t *body = pattern(len);
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	GPtrArray *arr;
	GBytes *whole = NULL;
	guint i;
	GArray *src;

	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, len, 1000, &arr), 0);
	for (i = 0; i < arr->len; i++)
		if (i != 2)
			ck_assert_int_eq(feed(r, 5, arr, i, &wh, &whole), 0);
	ck_assert_ptr_null(whole);
	src = fo_msg_reasm_sources(r);
	ck_assert_uint_eq(src->len, 1);
	ck_assert_uint_eq(g_array_index(src, uint64_t, 0), 5);
	g_array_unref(src);
	ck_assert_uint_eq(fo_msg_reasm_drop(r, 6), 0);
	ck_assert_uint_eq(fo_msg_reasm_drop(r, 5), 1);
	/* The missing chunk alone after the drop does not complete it. */
	ck_assert_int_eq(feed(r, 5, arr, 2, &wh, &whole), 0);
	ck_assert_ptr_null(whole);
	g_ptr_array_unref(arr);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_sources_apart)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	size_t len = 3000;
	uint8_t *a = pattern(len), *b = g_malloc(len);
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	GPtrArray *ca, *cb;
	GBytes *whole = NULL;

	memset(b, 'b', len);
	/* Same transfer id from two sources: never mixed. */
	ck_assert_int_eq(fo_msg_chunk(&h, 1, a, len, 1000, &ca), 0);
	ck_assert_int_eq(fo_msg_chunk(&h, 1, b, len, 1000, &cb), 0);
	ck_assert_int_eq(feed(r, 1, ca, 0, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 2, cb, 0, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 2, cb, 1, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, ca, 1, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, ca, 2, &wh, &whole), 1);
	check_whole(whole, a, len);
	g_bytes_unref(whole);
	ck_assert_int_eq(feed(r, 2, cb, 2, &wh, &whole), 1);
	check_whole(whole, b, len);
	g_bytes_unref(whole);
	g_ptr_array_unref(ca);
	g_ptr_array_unref(cb);
	fo_msg_reasm_free(r);
	g_free(a);
	g_free(b);
}
END_TEST

START_TEST(test_chunk_inconsistent)
{
	struct fo_msg_hdr h = sample_hdr(), wh, d;
	size_t len = 3000, n;
	uint8_t *body = pattern(len), *p;
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	GPtrArray *arr;
	GBytes *whole = NULL;
	const uint8_t *cb;

	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, len, 1000, &arr), 0);
	ck_assert_int_eq(feed(r, 1, arr, 0, &wh, &whole), 0);
	/* Chunk 1 claiming a different chunk count drops the transfer. */
	cb = g_bytes_get_data(g_ptr_array_index(arr, 1), &n);
	p = g_memdup2(cb, n);
	p[FO_MSG_HDR_SIZE + 11] = 4;
	ck_assert_int_eq(fo_msg_decode(p, n, &d, &cb, NULL), 0);
	ck_assert_int_eq(fo_msg_reasm_add(r, 1, &d, cb, &wh, &whole),
			 -FO_EPROTO);
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	/* Index beyond the count, count 0, total below the data: refused. */
	p[FO_MSG_HDR_SIZE + 11] = 3;
	p[FO_MSG_HDR_SIZE + 7] = 3;
	ck_assert_int_eq(fo_msg_reasm_add(r, 1, &d, cb, &wh, &whole),
			 -FO_EPROTO);
	p[FO_MSG_HDR_SIZE + 7] = 1;
	p[FO_MSG_HDR_SIZE + 11] = 0;
	ck_assert_int_eq(fo_msg_reasm_add(r, 1, &d, cb, &wh, &whole),
			 -FO_EPROTO);
	p[FO_MSG_HDR_SIZE + 11] = 3;
	p[FO_MSG_HDR_SIZE + 14] = 0; /* total 3000 -> 184 < 1000 */
	ck_assert_int_eq(fo_msg_reasm_add(r, 1, &d, cb, &wh, &whole),
			 -FO_EPROTO);
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	/* Not a chunk at all. */
	d.flags = 0;
	ck_assert_int_eq(fo_msg_reasm_add(r, 1, &d, cb, &wh, &whole),
			 -FO_EPROTO);
	g_free(p);
	g_ptr_array_unref(arr);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_sum_mismatch)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	uint8_t *body = pattern(3000);
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	GPtrArray *a, *b;
	GBytes *whole = NULL;

	/* Same id, count (3) and total (3000) but different chunk sizes:
	 * a = 1000+1000+1000, b = 1001+1001+998. */
	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, 3000, 1000, &a), 0);
	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, 3000, 1001, &b), 0);
	ck_assert_uint_eq(a->len, 3);
	ck_assert_uint_eq(b->len, 3);
	/* Sum below the total once all indexes are in. */
	ck_assert_int_eq(feed(r, 1, a, 0, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, a, 1, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, b, 2, &wh, &whole), -FO_EPROTO);
	ck_assert_ptr_null(whole);
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	/* Sum above the total before all indexes are in. */
	ck_assert_int_eq(feed(r, 1, b, 0, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, b, 1, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, a, 2, &wh, &whole), -FO_EPROTO);
	ck_assert_ptr_null(whole);
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 0);
	g_ptr_array_unref(a);
	g_ptr_array_unref(b);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_eviction)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	uint8_t *body = pattern(2000);
	struct fo_msg_reasm *r = fo_msg_reasm_new(2);
	GPtrArray *arr[3];
	GBytes *whole = NULL;
	guint i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(fo_msg_chunk(&h, i, body, 2000, 1000, &arr[i]),
				 0);
		ck_assert_int_eq(feed(r, 1, arr[i], 0, &wh, &whole), 0);
	}
	/* At most 2 in flight per source: transfer 0 was evicted. */
	ck_assert_uint_eq(fo_msg_reasm_pending(r), 2);
	ck_assert_int_eq(feed(r, 1, arr[0], 1, &wh, &whole), 0);
	ck_assert_int_eq(feed(r, 1, arr[2], 1, &wh, &whole), 1);
	g_bytes_unref(whole);
	for (i = 0; i < 3; i++)
		g_ptr_array_unref(arr[i]);
	fo_msg_reasm_free(r);
	g_free(body);
}
END_TEST

START_TEST(test_chunk_limits)
{
	struct fo_msg_hdr h = sample_hdr();
	uint8_t *body = pattern(100);
	GPtrArray *arr;

	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, 0, 10, &arr), -EINVAL);
	ck_assert_int_eq(
		fo_msg_chunk(&h, 1, body, 100, FO_MSG_MAX_CHUNK_DATA + 1, &arr),
		-EINVAL);
	ck_assert_int_eq(
		fo_msg_chunk(&h, 1, body, FO_MSG_MAX_XFER + 1ul, 0, &arr),
		-EMSGSIZE);
	ck_assert_int_eq(fo_msg_chunk(&h, 1, body, 100, 0, &arr), 0);
	ck_assert_uint_eq(arr->len, 1);
	g_ptr_array_unref(arr);
	g_free(body);
}
END_TEST

/* ---- stream decoder (control socket) ---- */

/* Two messages back to back, as one byte string. */
static GByteArray *
two_messages(void)
{
	struct fo_msg_hdr h = sample_hdr();
	GByteArray *a = g_byte_array_new();
	GBytes *b;
	const void *p;
	size_t n;

	ck_assert_int_eq(fo_msg_encode(&h, "first", 5, &b), 0);
	p = g_bytes_get_data(b, &n);
	g_byte_array_append(a, p, n);
	g_bytes_unref(b);
	h.seq++;
	ck_assert_int_eq(fo_msg_encode(&h, NULL, 0, &b), 0);
	p = g_bytes_get_data(b, &n);
	g_byte_array_append(a, p, n);
	g_bytes_unref(b);
	return a;
}

START_TEST(test_stream_byte_by_byte)
{
	struct fo_msg_stream *s = fo_msg_stream_new(0);
	GByteArray *a = two_messages();
	struct fo_msg_hdr d;
	GBytes *body;
	guint i, got = 0;
	size_t n;

	for (i = 0; i < a->len; i++) {
		ck_assert_int_eq(fo_msg_stream_feed(s, a->data + i, 1, NULL),
				 0);
		while (fo_msg_stream_next(s, &d, &body) == 1) {
			const void *p = g_bytes_get_data(body, &n);

			if (got == 0) {
				/* complete only with its last byte */
				ck_assert_uint_eq(i, FO_MSG_HDR_SIZE + 5 - 1);
				ck_assert_uint_eq(n, 5);
				ck_assert_mem_eq(p, "first", 5);
			} else {
				ck_assert_uint_eq(i, a->len - 1);
				ck_assert_uint_eq(n, 0);
				ck_assert_uint_eq(d.seq, sample_hdr().seq + 1);
			}
			g_bytes_unref(body);
			got++;
		}
	}
	ck_assert_uint_eq(got, 2);
	g_byte_array_unref(a);
	fo_msg_stream_free(s);
}
END_TEST

/* fo_msg_stream_next(), dropping the message; returns its result. */
static int
stream_take(struct fo_msg_stream *s)
{
	struct fo_msg_hdr d;
	GBytes *body = NULL;
	int rc = fo_msg_stream_next(s, &d, &body);

	if (rc == 1)
		g_bytes_unref(body);
	return rc;
}

START_TEST(test_stream_one_read)
{
	struct fo_msg_stream *s = fo_msg_stream_new(0);
	GByteArray *a = two_messages();

	ck_assert_int_eq(fo_msg_stream_feed(s, a->data, a->len, NULL), 0);
	ck_assert_int_eq(stream_take(s), 1);
	ck_assert_int_eq(stream_take(s), 1);
	ck_assert_int_eq(stream_take(s), 0);
	g_byte_array_unref(a);
	fo_msg_stream_free(s);
}
END_TEST

START_TEST(test_stream_refuses_early)
{
	struct fo_msg_stream *s = fo_msg_stream_new(1000);
	const char *why = NULL;
	size_t n;
	uint8_t *p = encoded_copy(10, &n);

	/* A header announcing 2000 bytes on a 1000-byte stream: refused
	 * from the 40 header bytes, no body needed. */
	p[12] = 0, p[13] = 0, p[14] = 0x07, p[15] = 0xd0; /* 2000 */
	ck_assert_int_eq(fo_msg_stream_feed(s, p, FO_MSG_HDR_SIZE - 1, &why),
			 0);
	ck_assert_int_eq(
		fo_msg_stream_feed(s, p + FO_MSG_HDR_SIZE - 1, 1, &why),
		-FO_EPROTO);
	ck_assert_ptr_nonnull(strstr(why, "this stream's maximum"));
	/* Failed for good: more bytes change nothing. */
	why = NULL;
	ck_assert_int_eq(fo_msg_stream_feed(s, p, n, &why), -FO_EPROTO);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(stream_take(s), -FO_EPROTO);
	fo_msg_stream_free(s);
	/* Garbage: refused at the 40th byte. */
	s = fo_msg_stream_new(0);
	memset(p, 'G', FO_MSG_HDR_SIZE);
	ck_assert_int_eq(fo_msg_stream_feed(s, p, FO_MSG_HDR_SIZE, &why),
			 -FO_EPROTO);
	ck_assert_ptr_nonnull(strstr(why, "magic"));
	fo_msg_stream_free(s);
	g_free(p);
}
END_TEST

START_TEST(test_stream_bad_second)
{
	struct fo_msg_stream *s = fo_msg_stream_new(0);
	GByteArray *a = two_messages();

	/* Spoil the second header's version: the first message still comes
	 * out, then the stream reports the failure. */
	a->data[FO_MSG_HDR_SIZE + 5 + 5] = 9;
	ck_assert_int_eq(
		fo_msg_stream_feed(s, a->data, FO_MSG_HDR_SIZE + 5, NULL), 0);
	ck_assert_int_eq(fo_msg_stream_feed(s, a->data + FO_MSG_HDR_SIZE + 5,
					    a->len - FO_MSG_HDR_SIZE - 5, NULL),
			 0);
	ck_assert_int_eq(stream_take(s), 1);
	ck_assert_int_eq(stream_take(s), -FO_EPROTO);
	g_byte_array_unref(a);
	fo_msg_stream_free(s);
}
END_TEST

/* XML much like a history record: compresses well. */
static char *
sample_xml(size_t *len)
{
	GString *g = g_string_new("<lrm_resource id=\"web\">");

	for (int i = 0; i < 40; i++)
		g_string_append_printf(g,
				       "<lrm_rsc_op id=\"web_monitor_%d\" "
				       "operation=\"monitor\" call-id=\"%d\" "
				       "rc-code=\"0\" op-status=\"0\"/>",
				       i * 1000, i + 3);
	g_string_append(g, "</lrm_resource>");
	*len = g->len;
	return g_string_free(g, FALSE);
}

START_TEST(test_deflate_round_trip)
{
	size_t len;
	g_autofree char *xml = sample_xml(&len);
	GBytes *z = NULL, *back = NULL;
	const uint8_t *p;
	gsize zn, bn;
	const char *why = NULL;

	ck_assert_int_eq(fo_msg_deflate(xml, len, &z), 0);
	p = g_bytes_get_data(z, &zn);
	ck_assert_uint_lt(zn, len / 4); /* 40 near-equal records */
	/* the original length, in network order */
	ck_assert_uint_eq((size_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3],
			  len);
	ck_assert_int_eq(fo_msg_inflate(p, zn, &back, &why), 0);
	ck_assert_ptr_nonnull(back);
	ck_assert_mem_eq(g_bytes_get_data(back, &bn), xml, len);
	ck_assert_uint_eq(bn, len);
	g_bytes_unref(back);
	g_bytes_unref(z);
}
END_TEST

START_TEST(test_deflate_declines)
{
	uint8_t small[FO_MSG_DEFLATE_MIN - 1];
	g_autofree uint8_t *noise = g_malloc(4096);
	GBytes *z = NULL;
	guint32 x = 12345;

	memset(small, 'a', sizeof(small));
	ck_assert_int_eq(fo_msg_deflate(small, sizeof(small), &z), -EAGAIN);
	ck_assert_ptr_null(z);
	for (size_t i = 0; i < 4096; i++) { /* xorshift: incompressible */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (uint8_t)x;
	}
	ck_assert_int_eq(fo_msg_deflate(noise, 4096, &z), -EAGAIN);
	ck_assert_ptr_null(z);
}
END_TEST

/* A zlib stream written by hand (RFC 1950/1951): header 78 01, one final
 * stored block (BFINAL=1, BTYPE=00), LEN and its complement, the bytes,
 * then the Adler-32 of the bytes, big-endian. */
static GByteArray *
hand_stream(const char *text, uint32_t announced)
{
	GByteArray *a = g_byte_array_new();
	size_t n = strlen(text);
	uint32_t s1 = 1, s2 = 0;
	uint8_t b[9] = {announced >> 24,
			announced >> 16,
			announced >> 8,
			announced,
			0x78,
			0x01,
			0x01,
			(uint8_t)n,
			(uint8_t)(n >> 8)};
	uint8_t nlen[2] = {(uint8_t)~n, (uint8_t)(~n >> 8)};
	uint8_t ad[4];

	for (size_t i = 0; i < n; i++) {
		s1 = (s1 + (uint8_t)text[i]) % 65521;
		s2 = (s2 + s1) % 65521;
	}
	ad[0] = (uint8_t)(s2 >> 8);
	ad[1] = (uint8_t)s2;
	ad[2] = (uint8_t)(s1 >> 8);
	ad[3] = (uint8_t)s1;
	g_byte_array_append(a, b, sizeof(b));
	g_byte_array_append(a, nlen, 2);
	g_byte_array_append(a, (const uint8_t *)text, (guint)n);
	g_byte_array_append(a, ad, 4);
	return a;
}

START_TEST(test_inflate_hand_made)
{
	const char *text = "<ping from=\"2\"/>";
	GByteArray *a = hand_stream(text, (uint32_t)strlen(text));
	GBytes *out = NULL;
	const char *why = NULL;
	gsize n;

	ck_assert_int_eq(fo_msg_inflate(a->data, a->len, &out, &why), 0);
	ck_assert_mem_eq(g_bytes_get_data(out, &n), text, strlen(text));
	ck_assert_uint_eq(n, strlen(text));
	g_bytes_unref(out);
	g_byte_array_unref(a);
}
END_TEST

static void
inflate_refused(const uint8_t *p, size_t n, const char *what)
{
	GBytes *out = NULL;
	const char *why = NULL;

	ck_assert_msg(fo_msg_inflate(p, n, &out, &why) == -FO_EPROTO,
		      "%s: accepted", what);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(why);
}

START_TEST(test_inflate_refuses)
{
	const char *text = "<ping from=\"2\"/>";
	size_t tl = strlen(text);
	GByteArray *a = hand_stream(text, (uint32_t)tl);
	GByteArray *longer = hand_stream(text, (uint32_t)tl + 1);
	GByteArray *shorter = hand_stream(text, (uint32_t)tl - 1);
	GByteArray *zero = hand_stream(text, 0);
	GByteArray *huge = hand_stream(text, FO_MSG_MAX_XFER + 1);
	GByteArray *lie = hand_stream(text, 1000000); /* 31 bytes can't */
	uint8_t *bad = g_memdup2(a->data, a->len);
	size_t len;
	g_autofree char *xml = sample_xml(&len);
	GBytes *z = NULL;
	const uint8_t *zp;
	gsize zn;
	uint8_t *tail;

	for (guint cut = 0; cut < a->len; cut++)
		inflate_refused(a->data, cut, "truncated");
	inflate_refused(longer->data, longer->len, "length too big");
	inflate_refused(shorter->data, shorter->len, "length too small");
	inflate_refused(zero->data, zero->len, "length 0");
	inflate_refused(huge->data, huge->len, "length over the maximum");
	inflate_refused(lie->data, lie->len, "length over deflate's ratio");
	bad[a->len - 1] ^= 1; /* the checksum */
	inflate_refused(bad, a->len, "bad checksum");
	bad[a->len - 1] ^= 1;
	bad[4] = 0x77; /* not a zlib header */
	inflate_refused(bad, a->len, "bad header");
	tail = g_malloc(a->len + 1);
	memcpy(tail, a->data, a->len);
	tail[a->len] = 0;
	inflate_refused(tail, a->len + 1, "bytes after the stream");
	/* every cut of a real compressed body */
	ck_assert_int_eq(fo_msg_deflate(xml, len, &z), 0);
	zp = g_bytes_get_data(z, &zn);
	for (gsize cut = 0; cut < zn; cut++)
		inflate_refused(zp, cut, "truncated deflate stream");
	g_bytes_unref(z);
	g_free(tail);
	g_free(bad);
	g_byte_array_unref(a);
	g_byte_array_unref(longer);
	g_byte_array_unref(shorter);
	g_byte_array_unref(zero);
	g_byte_array_unref(huge);
	g_byte_array_unref(lie);
}
END_TEST

/* The flag travels through chunking: the reassembled header keeps it. */
START_TEST(test_deflate_chunked)
{
	struct fo_msg_hdr h = sample_hdr(), wh;
	struct fo_msg_reasm *r = fo_msg_reasm_new(0);
	size_t len;
	g_autofree char *xml = sample_xml(&len);
	GBytes *z = NULL, *whole = NULL, *back = NULL;
	GPtrArray *arr;
	const uint8_t *zp;
	gsize zn;
	const char *why = NULL;
	int rc = 0;

	ck_assert_int_eq(fo_msg_deflate(xml, len, &z), 0);
	zp = g_bytes_get_data(z, &zn);
	h.flags = FO_MSG_F_DEFLATE;
	ck_assert_int_eq(fo_msg_chunk(&h, 3, zp, zn, 50, &arr), 0);
	ck_assert_uint_gt(arr->len, 1);
	for (guint i = 0; i < arr->len; i++)
		rc = feed(r, 1, arr, i, &wh, &whole);
	ck_assert_int_eq(rc, 1);
	ck_assert_uint_eq(wh.flags, FO_MSG_F_DEFLATE);
	ck_assert_int_eq(fo_msg_inflate(g_bytes_get_data(whole, NULL),
					wh.body_len, &back, &why),
			 0);
	ck_assert_mem_eq(g_bytes_get_data(back, NULL), xml, len);
	g_bytes_unref(back);
	g_bytes_unref(whole);
	g_bytes_unref(z);
	g_ptr_array_unref(arr);
	fo_msg_reasm_free(r);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("envelope");
	TCase *tk = tcase_create("chunks");
	TCase *ts = tcase_create("stream");
	TCase *tz = tcase_create("deflate");

	tcase_add_test(tc, test_wire_layout);
	tcase_add_test(tc, test_empty_body);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_trailing);
	tcase_add_test(tc, test_oversize);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_encode_refuses);
	suite_add_tcase(s, tc);
	tcase_add_test(tk, test_chunk_in_order);
	tcase_add_test(tk, test_chunk_reorder_dup);
	tcase_add_test(tk, test_chunk_loss);
	tcase_add_test(tk, test_chunk_sources_apart);
	tcase_add_test(tk, test_chunk_inconsistent);
	tcase_add_test(tk, test_chunk_sum_mismatch);
	tcase_add_test(tk, test_chunk_eviction);
	tcase_add_test(tk, test_chunk_limits);
	suite_add_tcase(s, tk);
	tcase_add_test(ts, test_stream_byte_by_byte);
	tcase_add_test(ts, test_stream_one_read);
	tcase_add_test(ts, test_stream_refuses_early);
	tcase_add_test(ts, test_stream_bad_second);
	suite_add_tcase(s, ts);
	tcase_add_test(tz, test_deflate_round_trip);
	tcase_add_test(tz, test_deflate_declines);
	tcase_add_test(tz, test_inflate_hand_made);
	tcase_add_test(tz, test_inflate_refuses);
	tcase_add_test(tz, test_deflate_chunked);
	suite_add_tcase(s, tz);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
