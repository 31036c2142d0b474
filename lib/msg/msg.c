/*
 * msg.c - encode, validate and reassemble fo's message envelope.
 *
 * In: bytes from CPG or the control socket. Out: a decoded header and a
 * pointer to the body, or -FO_EPROTO with a reason; never a read past what
 * was received. The header is checked completely (magic, version, type,
 * flags, body length against the maximum and against the received size)
 * before anyone looks at the body. Chunked bodies are kept per (source,
 * transfer id) and released only when every chunk is there.
 */
#include <errno.h>
#include <string.h>

#include "fo/common.h"
#include "fo/msg.h"
#include "msg_int.h"

#define FO_MSG_MAX_CHUNKS 65536u

/*
 * Wire layout (offsets): 0 magic, 4 version, 6 type, 8 flags, 12 body_len,
 * 16 sender, 20 ring nodeid, 24 seq, 32 ring seq.
 */
static int
msg_fail(const char **why, const char *text)
{
	if (why)
		*why = text;
	return -FO_EPROTO;
}

int
fo_msg_hdr_decode(const void *buf, size_t len, struct fo_msg_hdr *hdr,
		  const char **why)
{
	const uint8_t *p = buf;

	if (buf == NULL || hdr == NULL)
		return -EINVAL;
	if (len < FO_MSG_HDR_SIZE)
		return msg_fail(why, "shorter than the message header");
	if (get32(p) != FO_MSG_MAGIC)
		return msg_fail(why, "bad magic (not an fo message)");
	hdr->version = get16(p + 4);
	hdr->type = get16(p + 6);
	hdr->flags = get32(p + 8);
	hdr->body_len = get32(p + 12);
	hdr->sender = get32(p + 16);
	hdr->ring.nodeid = get32(p + 20);
	hdr->seq = get64(p + 24);
	hdr->ring.seq = get64(p + 32);
	if (hdr->version != FO_MSG_VERSION)
		return msg_fail(why, "unsupported protocol version");
	if (hdr->type == 0)
		return msg_fail(why, "message type 0");
	if (hdr->flags & ~FO_MSG_F_ALL)
		return msg_fail(why, "unknown header flags");
	if (hdr->body_len > FO_MSG_MAX_BODY)
		return msg_fail(why, "body length above the maximum");
	return 0;
}

int
fo_msg_decode(const void *buf, size_t len, struct fo_msg_hdr *hdr,
	      const uint8_t **body, const char **why)
{
	int rc;

	if (body == NULL)
		return -EINVAL;
	*body = NULL;
	if ((rc = fo_msg_hdr_decode(buf, len, hdr, why)) != 0)
		return rc;
	if (len - FO_MSG_HDR_SIZE != hdr->body_len)
		return msg_fail(why, len - FO_MSG_HDR_SIZE < hdr->body_len
					     ? "truncated: fewer bytes than "
					       "the header's body length"
					     : "trailing bytes after the "
					       "header's body length");
	if (hdr->body_len)
		*body = (const uint8_t *)buf + FO_MSG_HDR_SIZE;
	return 0;
}

static int
msg_check_out(const struct fo_msg_hdr *hdr, size_t len)
{
	if (len > FO_MSG_MAX_BODY)
		return -EMSGSIZE;
	if (hdr->type == 0 || (hdr->flags & ~FO_MSG_F_ALL))
		return -FO_EPROTO;
	return 0;
}

static void
msg_put_hdr(uint8_t *p, const struct fo_msg_hdr *hdr, uint32_t flags,
	    uint64_t seq, size_t len)
{
	put32(p, FO_MSG_MAGIC);
	put16(p + 4, FO_MSG_VERSION);
	put16(p + 6, hdr->type);
	put32(p + 8, flags);
	put32(p + 12, (uint32_t)len);
	put32(p + 16, hdr->sender);
	put32(p + 20, hdr->ring.nodeid);
	put64(p + 24, seq);
	put64(p + 32, hdr->ring.seq);
}

int
fo_msg_encode(const struct fo_msg_hdr *hdr, const void *body, size_t len,
	      GBytes **out)
{
	uint8_t *p;
	int rc;

	if (hdr == NULL || out == NULL || (body == NULL && len))
		return -EINVAL;
	if ((rc = msg_check_out(hdr, len)) != 0)
		return rc;
	p = g_malloc(FO_MSG_HDR_SIZE + len);
	msg_put_hdr(p, hdr, hdr->flags, hdr->seq, len);
	if (len)
		memcpy(p + FO_MSG_HDR_SIZE, body, len);
	*out = g_bytes_new_take(p, FO_MSG_HDR_SIZE + len);
	return 0;
}

int
fo_msg_chunk(const struct fo_msg_hdr *hdr, uint32_t xfer_id, const void *body,
	     size_t len, size_t chunk_data, GPtrArray **out)
{
	const uint8_t *src = body;
	size_t count, i, off, n;
	GPtrArray *arr;
	uint8_t *p;

	if (hdr == NULL || body == NULL || out == NULL)
		return -EINVAL;
	if (chunk_data == 0)
		chunk_data = FO_MSG_MAX_CHUNK_DATA;
	if (chunk_data > FO_MSG_MAX_CHUNK_DATA || len == 0)
		return -EINVAL;
	if (len > FO_MSG_MAX_XFER)
		return -EMSGSIZE;
	count = (len + chunk_data - 1) / chunk_data;
	if (count > FO_MSG_MAX_CHUNKS)
		return -EMSGSIZE;
	if (msg_check_out(hdr, 0) != 0)
		return -FO_EPROTO;
	arr = g_ptr_array_new_full(count, (GDestroyNotify)g_bytes_unref);
	for (i = 0, off = 0; i < count; i++, off += n) {
		n = MIN(chunk_data, len - off);
		p = g_malloc(FO_MSG_HDR_SIZE + FO_MSG_CHUNK_HDR_SIZE + n);
		msg_put_hdr(p, hdr, hdr->flags | FO_MSG_F_CHUNK, hdr->seq + i,
			    FO_MSG_CHUNK_HDR_SIZE + n);
		put32(p + FO_MSG_HDR_SIZE, xfer_id);
		put32(p + FO_MSG_HDR_SIZE + 4, (uint32_t)i);
		put32(p + FO_MSG_HDR_SIZE + 8, (uint32_t)count);
		put32(p + FO_MSG_HDR_SIZE + 12, (uint32_t)len);
		memcpy(p + FO_MSG_HDR_SIZE + FO_MSG_CHUNK_HDR_SIZE, src + off,
		       n);
		g_ptr_array_add(
			arr,
			g_bytes_new_take(p, FO_MSG_HDR_SIZE +
						    FO_MSG_CHUNK_HDR_SIZE + n));
	}
	*out = arr;
	return 0;
}

/* One transfer being reassembled. */
struct msg_xfer {
	uint64_t source;
	uint32_t id;
	uint32_t count;
	uint32_t total;
	uint32_t have;		/* distinct chunks received */
	uint64_t bytes;		/* data bytes received */
	uint64_t born;		/* arrival order, for eviction */
	struct fo_msg_hdr last; /* header of chunk count - 1 */
	GBytes **parts;		/* count entries, NULL until received */
};

struct fo_msg_reasm {
	unsigned int max_pending;
	uint64_t clock;
	GPtrArray *xfers; /* struct msg_xfer * */
};

static void
msg_xfer_free(struct msg_xfer *x)
{
	uint32_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->count; i++)
		if (x->parts[i])
			g_bytes_unref(x->parts[i]);
	g_free(x->parts);
	g_free(x);
}

struct fo_msg_reasm *
fo_msg_reasm_new(unsigned int max_pending)
{
	struct fo_msg_reasm *r = g_new0(struct fo_msg_reasm, 1);

	r->max_pending = max_pending ? max_pending : 4;
	r->xfers =
		g_ptr_array_new_with_free_func((GDestroyNotify)msg_xfer_free);
	return r;
}

void
fo_msg_reasm_free(struct fo_msg_reasm *r)
{
	if (r == NULL)
		return;
	g_ptr_array_unref(r->xfers);
	g_free(r);
}

/* Find a transfer; also count the source's transfers and its oldest. */
static struct msg_xfer *
msg_xfer_find(struct fo_msg_reasm *r, uint64_t source, uint32_t id,
	      unsigned int *n_source, guint *oldest)
{
	struct msg_xfer *x, *found = NULL;
	uint64_t born = UINT64_MAX;
	guint i;

	*n_source = 0;
	for (i = 0; i < r->xfers->len; i++) {
		x = g_ptr_array_index(r->xfers, i);
		if (x->source != source)
			continue;
		if (x->id == id)
			found = x;
		(*n_source)++;
		if (x->born < born) {
			born = x->born;
			*oldest = i;
		}
	}
	return found;
}

static struct msg_xfer *
msg_xfer_new(struct fo_msg_reasm *r, uint64_t source, uint32_t id,
	     uint32_t count, uint32_t total)
{
	unsigned int n_source;
	guint oldest = 0;
	struct msg_xfer *x;

	msg_xfer_find(r, source, id, &n_source, &oldest);
	if (n_source >= r->max_pending)
		g_ptr_array_remove_index(r->xfers, oldest);
	x = g_new0(struct msg_xfer, 1);
	x->source = source;
	x->id = id;
	x->count = count;
	x->total = total;
	x->born = r->clock++;
	x->parts = g_new0(GBytes *, count);
	g_ptr_array_add(r->xfers, x);
	return x;
}

static GBytes *
msg_xfer_join(const struct msg_xfer *x)
{
	uint8_t *p = g_malloc(x->total);
	size_t off = 0, n;
	uint32_t i;

	for (i = 0; i < x->count; i++) {
		const void *d = g_bytes_get_data(x->parts[i], &n);

		memcpy(p + off, d, n);
		off += n;
	}
	return g_bytes_new_take(p, x->total);
}

int
fo_msg_reasm_add(struct fo_msg_reasm *r, uint64_t source,
		 const struct fo_msg_hdr *hdr, const uint8_t *body,
		 struct fo_msg_hdr *whole_hdr, GBytes **whole)
{
	uint32_t id, idx, count, total, n;
	unsigned int n_source;
	struct msg_xfer *x;
	guint oldest = 0;

	if (r == NULL || hdr == NULL || whole_hdr == NULL || whole == NULL)
		return -EINVAL;
	*whole = NULL;
	if (!(hdr->flags & FO_MSG_F_CHUNK) || body == NULL ||
	    hdr->body_len <= FO_MSG_CHUNK_HDR_SIZE)
		return -FO_EPROTO;
	id = get32(body);
	idx = get32(body + 4);
	count = get32(body + 8);
	total = get32(body + 12);
	n = hdr->body_len - FO_MSG_CHUNK_HDR_SIZE;
	if (count == 0 || count > FO_MSG_MAX_CHUNKS || idx >= count ||
	    total == 0 || total > FO_MSG_MAX_XFER || count > total || n > total)
		return -FO_EPROTO;
	x = msg_xfer_find(r, source, id, &n_source, &oldest);
	if (x && (x->count != count || x->total != total)) {
		g_ptr_array_remove_fast(r->xfers, x);
		return -FO_EPROTO;
	}
	if (x == NULL)
		x = msg_xfer_new(r, source, id, count, total);
	if (x->parts[idx])
		return 0; /* duplicate */
	if (x->bytes + n > total) {
		g_ptr_array_remove_fast(r->xfers, x);
		return -FO_EPROTO;
	}
	x->parts[idx] = g_bytes_new(body + FO_MSG_CHUNK_HDR_SIZE, n);
	x->bytes += n;
	x->have++;
	if (idx == count - 1)
		x->last = *hdr;
	if (x->have < count)
		return 0;
	if (x->bytes != total) {
		g_ptr_array_remove_fast(r->xfers, x);
		return -FO_EPROTO;
	}
	*whole = msg_xfer_join(x);
	*whole_hdr = x->last;
	whole_hdr->flags &= ~FO_MSG_F_CHUNK;
	whole_hdr->body_len = total;
	g_ptr_array_remove_fast(r->xfers, x);
	return 1;
}

unsigned int
fo_msg_reasm_drop(struct fo_msg_reasm *r, uint64_t source)
{
	unsigned int dropped = 0;
	struct msg_xfer *x;
	guint i = 0;

	if (r == NULL)
		return 0;
	while (i < r->xfers->len) {
		x = g_ptr_array_index(r->xfers, i);
		if (x->source == source) {
			g_ptr_array_remove_index_fast(r->xfers, i);
			dropped++;
		} else
			i++;
	}
	return dropped;
}

unsigned int
fo_msg_reasm_pending(const struct fo_msg_reasm *r)
{
	return r ? r->xfers->len : 0;
}

GArray *
fo_msg_reasm_sources(const struct fo_msg_reasm *r)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	struct msg_xfer *x;
	guint i, j;

	for (i = 0; r && i < r->xfers->len; i++) {
		x = g_ptr_array_index(r->xfers, i);
		for (j = 0; j < a->len; j++)
			if (g_array_index(a, uint64_t, j) == x->source)
				break;
		if (j == a->len)
			g_array_append_val(a, x->source);
	}
	return a;
}

/*
 * The stream decoder keeps unread bytes in one buffer; a message is cut
 * from its front once header + body are in. The header is decoded (and
 * refused if bad) as soon as its bytes are there.
 */
struct fo_msg_stream {
	size_t max_body;
	GByteArray *buf;
	bool have_hdr;
	struct fo_msg_hdr hdr;
	int error;
	const char *why; /* reason of the error */
};

struct fo_msg_stream *
fo_msg_stream_new(size_t max_body)
{
	struct fo_msg_stream *s = g_new0(struct fo_msg_stream, 1);

	s->max_body = max_body && max_body < FO_MSG_MAX_BODY ? max_body
							     : FO_MSG_MAX_BODY;
	s->buf = g_byte_array_new();
	return s;
}

void
fo_msg_stream_free(struct fo_msg_stream *s)
{
	if (s == NULL)
		return;
	g_byte_array_unref(s->buf);
	g_free(s);
}

/* Decode the front header when it is complete. */
static int
msg_stream_header(struct fo_msg_stream *s)
{
	int rc;

	if (s->have_hdr || s->buf->len < FO_MSG_HDR_SIZE)
		return 0;
	rc = fo_msg_hdr_decode(s->buf->data, s->buf->len, &s->hdr, &s->why);
	if (rc == 0 && s->hdr.body_len > s->max_body)
		rc = msg_fail(&s->why,
			      "body length above this stream's maximum");
	if (rc != 0) {
		s->error = rc;
		g_byte_array_set_size(s->buf, 0);
		return rc;
	}
	s->have_hdr = true;
	return 0;
}

int
fo_msg_stream_feed(struct fo_msg_stream *s, const void *buf, size_t len,
		   const char **why)
{
	if (s == NULL || (buf == NULL && len))
		return -EINVAL;
	if (s->error == 0) {
		g_byte_array_append(s->buf, buf, (guint)len);
		msg_stream_header(s);
	}
	if (s->error && why)
		*why = s->why;
	return s->error;
}

int
fo_msg_stream_next(struct fo_msg_stream *s, struct fo_msg_hdr *hdr,
		   GBytes **body)
{
	size_t total;

	if (s == NULL || hdr == NULL || body == NULL)
		return -EINVAL;
	if (s->error)
		return s->error;
	if (!s->have_hdr)
		return 0;
	total = FO_MSG_HDR_SIZE + (size_t)s->hdr.body_len;
	if (s->buf->len < total)
		return 0;
	*hdr = s->hdr;
	*body = g_bytes_new(s->buf->data + FO_MSG_HDR_SIZE, s->hdr.body_len);
	g_byte_array_remove_range(s->buf, 0, (guint)total);
	s->have_hdr = false;
	/* The next header may already be in: check it now. */
	msg_stream_header(s);
	return 1;
}
