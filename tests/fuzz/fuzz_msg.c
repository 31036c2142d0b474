/*
 * fuzz_msg.c - libFuzzer target: the message envelope, chunk reassembly
 * and compressed bodies (lib/msg) on arbitrary bytes, as CPG or the
 * control socket could deliver them.
 */
#include <stddef.h>
#include <stdint.h>

#include "fo/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fo_msg_reasm *r = fo_msg_reasm_new(2);
	size_t off = 0;
	GBytes *plain = NULL;

	/* The whole input as a compressed body. */
	if (fo_msg_inflate(data, size, &plain, NULL) == 0)
		g_bytes_unref(plain);

	/* The input is a stream of envelopes; feed each to the reassembler. */
	while (off + FO_MSG_HDR_SIZE <= size) {
		struct fo_msg_hdr hdr, whole_hdr;
		const uint8_t *body = NULL;
		GBytes *whole = NULL;
		size_t len;

		if (fo_msg_hdr_decode(data + off, size - off, &hdr, NULL) != 0)
			break;
		len = FO_MSG_HDR_SIZE + hdr.body_len;
		if (len > size - off)
			break;
		if (fo_msg_decode(data + off, len, &hdr, &body, NULL) != 0) {
			off += len;
			continue;
		}
		if (hdr.flags & FO_MSG_F_CHUNK) {
			if (fo_msg_reasm_add(r, hdr.sender, &hdr, body,
					     &whole_hdr, &whole) != 1)
				whole = NULL;
			else if (whole_hdr.flags & FO_MSG_F_DEFLATE &&
				 fo_msg_inflate(g_bytes_get_data(whole, NULL),
						whole_hdr.body_len, &plain,
						NULL) == 0)
				g_bytes_unref(plain);
			if (whole)
				g_bytes_unref(whole);
		} else if (hdr.flags & FO_MSG_F_DEFLATE &&
			   fo_msg_inflate(body, hdr.body_len, &plain, NULL) ==
				   0) {
			g_bytes_unref(plain);
		}
		off += len;
	}
	fo_msg_reasm_free(r);
	return 0;
}
