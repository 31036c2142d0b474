/*
 * ctl.h - the control socket between fo's tools and the local fo-crmd.
 *
 * A unix stream socket (default FO_RUN_DIR "/crmd.sock", mode 0660, group
 * haclient). Every message on it is one fo envelope (msg.h): the header is
 * validated before the body is read, bodies over FO_MSG_MAX_BODY travel as
 * chunks. Only root and members of group haclient (primary or
 * supplementary, checked with SO_PEERCRED when the connection is
 * accepted) are served; anyone else gets one FO_CTL_T_ERROR message
 * saying so and the connection is closed. A malformed message gets an
 * error reply naming what was wrong, then the connection is closed; the
 * server itself is never harmed by what a client sends.
 */
#ifndef FO_CTL_H
#define FO_CTL_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fo/msg.h"

/* Message types on the control socket. */
#define FO_CTL_T_REQUEST 0x0100 /* tool -> daemon: a request body */
#define FO_CTL_T_REPLY 0x0101	/* daemon -> tool: the answer */
#define FO_CTL_T_ERROR 0x0102	/* daemon -> tool: text, then close */

#define FO_CTL_GROUP "haclient"

struct ctl_server;
struct ctl_conn;

/* Who is at the other end of a connection. */
struct ctl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/*
 * Called for each whole request. The server keeps @conn alive until the
 * client hangs up; the handler answers now or later with ctl_conn_reply()
 * (a reply to a client that has gone is dropped). @body is valid only
 * during the call.
 */
typedef void (*ctl_request_fn)(struct ctl_conn *conn,
			       const struct fo_msg_hdr *hdr,
			       const uint8_t *body, size_t len, void *data);

struct ctl_server_config {
	const char *path;     /* socket path; NULL: FO_RUN_DIR/crmd.sock */
	const char *group;    /* NULL: FO_CTL_GROUP */
	unsigned max_clients; /* 0: 64 */
	unsigned idle_ms;     /* close a silent half-read client; 0: 30 s */
};

/**
 * ctl_server_new() - listen on the control socket.
 * @ctx:  [in] main context to attach to (NULL: the default one).
 * @cfg:  [in] configuration; copied.
 * @fn:   [in] request handler.
 * @data: [in] passed to @fn.
 * @out:  [out] the server; free with ctl_server_free().
 *
 * A stale socket file is replaced; a live one (another daemon answers
 * on it) is an error, -EADDRINUSE. Returns 0 or a negative errno.
 */
int ctl_server_new(GMainContext *ctx, const struct ctl_server_config *cfg,
		   ctl_request_fn fn, void *data, struct ctl_server **out);

/** ctl_server_free() - close every connection, unlink the socket. */
void ctl_server_free(struct ctl_server *srv);

/** ctl_server_clients() - number of open connections. */
unsigned ctl_server_clients(const struct ctl_server *srv);

/**
 * ctl_conn_reply() - answer a request (FO_CTL_T_REPLY, or
 * FO_CTL_T_ERROR) on a connection, chunked if large.
 * @seq: [in] the request's sequence number, echoed.
 *
 * Returns 0, -ENOTCONN when the client has gone, or a negative errno.
 */
int ctl_conn_reply(struct ctl_conn *conn, uint16_t type, uint64_t seq,
		   const void *body, size_t len);

/** ctl_conn_peer() - the credentials the connection was accepted with. */
const struct ctl_peer *ctl_conn_peer(const struct ctl_conn *conn);

/** ctl_conn_ref()/ctl_conn_unref() - keep a connection for a late reply. */
struct ctl_conn *ctl_conn_ref(struct ctl_conn *conn);
void ctl_conn_unref(struct ctl_conn *conn);

/**
 * ctl_peer_allowed() - may this peer use the socket?
 * @peer:  [in] credentials from SO_PEERCRED.
 * @group: [in] the group name (NULL: FO_CTL_GROUP).
 *
 * True for uid 0 and for members of @group, primary or supplementary
 * (read from /proc/<pid>/status). A missing group allows only root.
 */
bool ctl_peer_allowed(const struct ctl_peer *peer, const char *group);

/**
 * ctl_call() - a tool's blocking request/answer round trip.
 * @path:       [in] socket path; NULL: $FO_CTL_SOCKET or the default.
 * @body, @len: [in] request body.
 * @timeout_ms: [in] how long to wait for the whole answer.
 * @reply:      [out] the answer's body on success (g_bytes_unref()).
 * @err:        [out] on failure a message for the user, saying what to
 *              do (g_free()).
 *
 * Returns 0 when a FO_CTL_T_REPLY arrived; -EACCES when the socket or the
 * daemon refused us; -ECONNREFUSED/-ENOENT when no daemon runs;
 * -FO_ETIMEOUT; -FO_EPROTO for a malformed answer; 1 (positive) when the
 * daemon answered FO_CTL_T_ERROR (its text is in @err).
 */
int ctl_call(const char *path, const void *body, size_t len,
	     unsigned timeout_ms, GBytes **reply, char **err);

/** ctl_default_path() - $FO_CTL_SOCKET, else FO_RUN_DIR "/crmd.sock". */
const char *ctl_default_path(void);

#endif /* FO_CTL_H */
