/*
 * msg_deflate.c - compressed bodies (FO_MSG_F_DEFLATE) for CPG traffic.
 *
 * In: a body before it is enveloped and chunked; out: 4 bytes of the
 * original length (network order) and a zlib stream of it. The receiver
 * inflates into exactly that many bytes and refuses anything else: a
 * length over FO_MSG_MAX_XFER or over what a stream of that size can make,
 * a stream that is corrupt, ends early, makes more bytes or has bytes after
 * its end. The compressor's window and hash are sized to the body, so a
 * message of a few hundred bytes costs a few kilobytes of memory, not
 * zlib's default quarter megabyte.
 */
#include <errno.h>
#include <zlib.h>

#include "fo/common.h"
#include "fo/msg.h"
#include "msg_int.h"

#define LEN_SIZE 4
#define MAX_RATIO 1032 /* deflate's largest expansion on inflating */

static unsigned
log2_ceil(size_t n)
{
	unsigned b = 0;

	while (b < 31 && ((size_t)1 << b) < n)
		b++;
	return b;
}

int
fo_msg_deflate(const void *body, size_t len, GBytes **out)
{
	z_stream zs = {0};
	int wbits = (int)CLAMP(log2_ceil(len), 9, 15);
	int level = CLAMP(wbits - 7, 1, 8); /* memLevel: 2^(level+7) hashes */
	uLong bound;
	uint8_t *buf;
	int zrc;

	if (body == NULL || out == NULL)
		return -EINVAL;
	*out = NULL;
	if (len < FO_MSG_DEFLATE_MIN || len > FO_MSG_MAX_XFER)
		return -EAGAIN;
	if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, wbits, level,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	bound = deflateBound(&zs, (uLong)len);
	buf = g_malloc(LEN_SIZE + bound);
	put32(buf, (uint32_t)len);
	zs.next_in = (Bytef *)(uintptr_t)body;
	zs.avail_in = (uInt)len;
	zs.next_out = buf + LEN_SIZE;
	zs.avail_out = (uInt)bound;
	zrc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (zrc != Z_STREAM_END || LEN_SIZE + zs.total_out >= len) {
		g_free(buf);
		return -EAGAIN; /* not smaller: send it as it is */
	}
	*out = g_bytes_new_take(g_realloc(buf, LEN_SIZE + zs.total_out),
				LEN_SIZE + zs.total_out);
	return 0;
}

static int
inflate_fail(const char **why, const char *text)
{
	if (why)
		*why = text;
	return -FO_EPROTO;
}

int
fo_msg_inflate(const void *body, size_t len, GBytes **out, const char **why)
{
	const uint8_t *p = body;
	z_stream zs = {0};
	size_t orig;
	uint8_t *buf;
	int zrc;

	if (out == NULL || (body == NULL && len))
		return -EINVAL;
	*out = NULL;
	if (len <= LEN_SIZE)
		return inflate_fail(why, "compressed body too short");
	orig = get32(p);
	if (orig == 0 || orig > FO_MSG_MAX_XFER)
		return inflate_fail(why, "compressed body: bad length");
	/* deflate makes at most about 1032 bytes of one: a longer claim is a
	 * lie, refused before its buffer is allocated */
	if (orig > (len - LEN_SIZE) * MAX_RATIO + 64)
		return inflate_fail(why, "compressed body: length more than "
					 "its stream can make");
	if (inflateInit(&zs) != Z_OK)
		return -ENOMEM;
	buf = g_malloc(orig + 1);
	zs.next_in = (Bytef *)(uintptr_t)(p + LEN_SIZE);
	zs.avail_in = (uInt)(len - LEN_SIZE);
	zs.next_out = buf;
	zs.avail_out = (uInt)orig + 1; /* room for one byte too many */
	zrc = inflate(&zs, Z_FINISH);
	inflateEnd(&zs);
	if (zrc != Z_STREAM_END) {
		g_free(buf);
		if (zrc == Z_MEM_ERROR)
			return -ENOMEM;
		return inflate_fail(
			why, zrc == Z_BUF_ERROR ? "compressed body ends early "
						  "or is longer than it says"
						: "compressed body is corrupt");
	}
	if (zs.total_out != orig || zs.avail_in != 0) {
		g_free(buf);
		return inflate_fail(why, "compressed body: length or trailing "
					 "bytes do not match");
	}
	*out = g_bytes_new_take(buf, orig);
	return 0;
}
