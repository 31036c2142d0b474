/*
 * msg.h - the one message envelope of fo, for CPG and the control socket.
 *
 * Every message is a fixed 40-byte header in network byte order followed by
 * a body of at most FO_MSG_MAX_BODY bytes. The header (magic, protocol
 * version, type, flags, body length, sender node id, sequence number, the
 * sender's ring id) is validated before the body is touched. A body larger
 * than one message (a full CIB sync) travels as numbered chunks, each a
 * complete envelope with FO_MSG_F_CHUNK set, and is handed on by the
 * reassembler only when every chunk has arrived.
 */
#ifndef FO_MSG_H
#define FO_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define FO_MSG_MAGIC 0x464f4d31u /* "FOM1" */
#define FO_MSG_VERSION 1
#define FO_MSG_HDR_SIZE 40

/*
 * Largest body of one envelope: 960 KiB, so header + body stays well
 * inside corosync's single-message limit of 1,047,552 B (CPG-FACTS 3).
 */
#define FO_MSG_MAX_BODY (960u * 1024u)

/* Chunk sub-header at the start of a chunk's body. */
#define FO_MSG_CHUNK_HDR_SIZE 16
#define FO_MSG_MAX_CHUNK_DATA (FO_MSG_MAX_BODY - FO_MSG_CHUNK_HDR_SIZE)

/* Largest body that chunking will carry (a CIB can be tens of MB). */
#define FO_MSG_MAX_XFER (512u * 1024u * 1024u)

/* Header flags. Unknown flags are a protocol error in version 1. */
#define FO_MSG_F_CHUNK 0x0001u	 /* body is one chunk of a larger body */
#define FO_MSG_F_REPLY 0x0002u	 /* answer to a request (control socket) */
#define FO_MSG_F_DEFLATE 0x0004u /* body compressed (CPG only, see below) */
#define FO_MSG_F_ALL (FO_MSG_F_CHUNK | FO_MSG_F_REPLY | FO_MSG_F_DEFLATE)

/* Bodies shorter than this are sent as they are. */
#define FO_MSG_DEFLATE_MIN 256

/* A ring id as corosync gives it: representative node id + sequence. */
struct fo_ring_id {
	uint32_t nodeid;
	uint64_t seq;
};

/* The decoded header, in host byte order. */
struct fo_msg_hdr {
	uint16_t version;	/* FO_MSG_VERSION (set by the encoder) */
	uint16_t type;		/* message type, nonzero, owned by the user */
	uint32_t flags;		/* FO_MSG_F_* */
	uint32_t body_len;	/* bytes after the header */
	uint32_t sender;	/* sender's node id (0: a local tool) */
	uint64_t seq;		/* sender's sequence number */
	struct fo_ring_id ring; /* the sender's view when it sent this */
};

/**
 * fo_msg_hdr_decode() - validate and decode the header at the start of a
 * buffer, without looking at the body.
 * @buf: [in] received bytes.
 * @len: [in] number of bytes in @buf (at least the header is needed).
 * @hdr: [out] decoded header, valid only on success.
 * @why: [out] optional: on error, a static text saying what is wrong.
 *
 * For stream transports: read FO_MSG_HDR_SIZE bytes, decode, then read
 * hdr->body_len more. Checks magic, version, type != 0, known flags and
 * body_len <= FO_MSG_MAX_BODY.
 *
 * Returns 0, or -FO_EPROTO (short, bad magic, version, flags, type,
 * oversize body); -EINVAL for NULL arguments.
 */
int fo_msg_hdr_decode(const void *buf, size_t len, struct fo_msg_hdr *hdr,
		      const char **why);

/**
 * fo_msg_decode() - validate a whole received message (one datagram).
 * @buf:  [in] the message as received.
 * @len:  [in] its size; must equal header + body_len exactly.
 * @hdr:  [out] decoded header.
 * @body: [out] points into @buf at the body (not copied), or NULL when
 *        body_len is 0.
 * @why:  [out] optional: on error, a static text saying what is wrong.
 *
 * Returns 0 or -FO_EPROTO.
 */
int fo_msg_decode(const void *buf, size_t len, struct fo_msg_hdr *hdr,
		  const uint8_t **body, const char **why);

/**
 * fo_msg_encode() - build one message.
 * @hdr:  [in] header; version and body_len are filled in by the encoder.
 * @body: [in] body bytes, may be NULL when @len is 0.
 * @len:  [in] body length, at most FO_MSG_MAX_BODY.
 * @out:  [out] the encoded message; the caller frees it with
 *        g_bytes_unref().
 *
 * Returns 0, -EMSGSIZE when @len is too large, -FO_EPROTO for a type of 0
 * or unknown flags, -EINVAL for NULL arguments.
 */
int fo_msg_encode(const struct fo_msg_hdr *hdr, const void *body, size_t len,
		  GBytes **out);

/**
 * fo_msg_chunk() - split a large body into chunk messages.
 * @hdr:        [in] template header: type, sender, ring; chunk i gets
 *              sequence number hdr->seq + i and FO_MSG_F_CHUNK.
 * @xfer_id:    [in] transfer id, unique per sender among transfers in
 *              flight.
 * @body:       [in] the whole body.
 * @len:        [in] its length, 1 .. FO_MSG_MAX_XFER.
 * @chunk_data: [in] payload bytes per chunk, 1 .. FO_MSG_MAX_CHUNK_DATA
 *              (0 means FO_MSG_MAX_CHUNK_DATA).
 * @out:        [out] array of GBytes (encoded messages) in order; the
 *              caller frees it with g_ptr_array_unref().
 *
 * Returns 0, -EMSGSIZE, -EINVAL.
 */
int fo_msg_chunk(const struct fo_msg_hdr *hdr, uint32_t xfer_id,
		 const void *body, size_t len, size_t chunk_data,
		 GPtrArray **out);

/* Opaque reassembly state for chunked transfers. */
struct fo_msg_reasm;

/**
 * fo_msg_reasm_new() - create a reassembler.
 * @max_pending: [in] transfers in flight per source before the oldest is
 *               dropped (0 means 4).
 *
 * Free with fo_msg_reasm_free().
 */
struct fo_msg_reasm *fo_msg_reasm_new(unsigned int max_pending);

/** fo_msg_reasm_free() - free a reassembler; NULL is fine. */
void fo_msg_reasm_free(struct fo_msg_reasm *r);

/**
 * fo_msg_reasm_add() - feed one decoded chunk.
 * @r:      [in] reassembler.
 * @source: [in] who sent it (the cluster layer uses nodeid << 32 | pid),
 *          so chunks of different senders never mix.
 * @hdr:    [in] the chunk's decoded header (FO_MSG_F_CHUNK set).
 * @body:   [in] the chunk's body (sub-header + data).
 * @whole_hdr:  [out] on completion: the last chunk's header with
 *              FO_MSG_F_CHUNK cleared and body_len the whole length.
 * @whole:  [out] on completion: the whole body; the caller frees it with
 *          g_bytes_unref(). NULL otherwise.
 *
 * Duplicates are ignored, order does not matter; a chunk that contradicts
 * the others of its transfer (count, total length, sizes) drops the
 * transfer.
 *
 * Returns 1 when the body is whole, 0 when more chunks are needed (or a
 * duplicate was ignored), -FO_EPROTO for an inconsistent or malformed chunk.
 */
int fo_msg_reasm_add(struct fo_msg_reasm *r, uint64_t source,
		     const struct fo_msg_hdr *hdr, const uint8_t *body,
		     struct fo_msg_hdr *whole_hdr, GBytes **whole);

/**
 * fo_msg_reasm_drop() - forget every partial transfer of a source (it left
 * the membership, so the rest of its chunks will never come).
 *
 * Returns the number of transfers dropped.
 */
unsigned int fo_msg_reasm_drop(struct fo_msg_reasm *r, uint64_t source);

/** fo_msg_reasm_pending() - number of partial transfers held. */
unsigned int fo_msg_reasm_pending(const struct fo_msg_reasm *r);

/**
 * fo_msg_reasm_sources() - the sources that have partial transfers.
 *
 * Returns a new array of uint64_t (g_array_unref() it), in no order.
 */
GArray *fo_msg_reasm_sources(const struct fo_msg_reasm *r);

/**
 * fo_msg_deflate() - compress a body for FO_MSG_F_DEFLATE (zlib, fastest
 * level, window sized to the body): 4 bytes of the original length in
 * network order, then the zlib stream. Chunk the result as any body.
 * @body, @len: [in] the body.
 * @out:        [out] the compressed body; g_bytes_unref() it.
 *
 * Returns 0; -EAGAIN when @len is under FO_MSG_DEFLATE_MIN or the result
 * would not be smaller (send the body as it is); -EINVAL, -ENOMEM.
 */
int fo_msg_deflate(const void *body, size_t len, GBytes **out);

/**
 * fo_msg_inflate() - undo fo_msg_deflate() on a received (reassembled)
 * body. The stream must make exactly the announced length (at most
 * FO_MSG_MAX_XFER) and end where the body ends.
 * @body, @len: [in] the compressed body.
 * @out:        [out] the original body; g_bytes_unref() it.
 * @why:        [out] optional: on -FO_EPROTO, what is wrong.
 *
 * Returns 0, -FO_EPROTO for a bad length or stream, -EINVAL, -ENOMEM.
 */
int fo_msg_inflate(const void *body, size_t len, GBytes **out,
		   const char **why);

/* Opaque incremental decoder for a byte stream (the control socket). */
struct fo_msg_stream;

/**
 * fo_msg_stream_new() - create a stream decoder.
 * @max_body: [in] largest body accepted, at most FO_MSG_MAX_BODY (0 means
 *            FO_MSG_MAX_BODY); a header announcing more is refused before
 *            any of its body is buffered.
 *
 * Free with fo_msg_stream_free().
 */
struct fo_msg_stream *fo_msg_stream_new(size_t max_body);

/** fo_msg_stream_free() - free a stream decoder; NULL is fine. */
void fo_msg_stream_free(struct fo_msg_stream *s);

/**
 * fo_msg_stream_feed() - append received bytes.
 * @buf, @len: [in] bytes as read from the socket, any split.
 * @why:       [out] optional: on error, what is wrong.
 *
 * Each header is validated as soon as its 40 bytes are in, before its body
 * is read. After an error the stream stays failed (close the connection).
 *
 * Returns 0, or -FO_EPROTO.
 */
int fo_msg_stream_feed(struct fo_msg_stream *s, const void *buf, size_t len,
		       const char **why);

/**
 * fo_msg_stream_next() - take the next complete message, if any.
 * @hdr:  [out] its header.
 * @body: [out] its body (possibly empty); the caller frees it with
 *        g_bytes_unref().
 *
 * Returns 1 when a message was taken, 0 when more bytes are needed,
 * -FO_EPROTO when the stream has failed.
 */
int fo_msg_stream_next(struct fo_msg_stream *s, struct fo_msg_hdr *hdr,
		       GBytes **body);

#endif /* FO_MSG_H */
