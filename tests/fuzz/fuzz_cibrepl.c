/*
 * fuzz_cibrepl.c - libFuzzer target: the replicated CIB receiving
 * arbitrary message bodies of every type from a member of its view.
 * The first byte picks the type, the rest is the body.
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "fo/cibrepl.h"
#include "fo/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
drop(uint16_t type, const void *body, size_t len, void *data)
{
	(void)type;
	(void)body;
	(void)len;
	(void)data;
	return 0;
}

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cib_repl_callbacks cb = {.send = drop};
	static const uint32_t ids[] = {1, 2};
	struct fo_ring_id ring = {1, 4};
	struct fo_msg_hdr hdr = {.ring = {1, 4}};
	struct cib_repl *r;

	if (size < 1 || size > 1 << 20)
		return 0;
	xmlSetGenericErrorFunc(NULL, quiet);
	log_init("fuzz", true, -1);
	r = cib_repl_new(1, NULL, &cb, NULL);
	cib_repl_membership(r, &ring, ids, 2, NULL);
	cib_repl_quorum(r, &ring, true);
	hdr.type = (uint16_t)(CIB_T_VERSION + data[0] % 7);
	hdr.body_len = (uint32_t)(size - 1);
	cib_repl_deliver(r, 2, &hdr, data + 1, size - 1);
	/* A second delivery on top of whatever the first one did. */
	hdr.type = CIB_T_CHANGE;
	cib_repl_deliver(r, 1, &hdr, data + 1, size - 1);
	cib_repl_free(r);
	return 0;
}
