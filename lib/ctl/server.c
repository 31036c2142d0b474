/*
 * server.c - the daemon's end of the control socket (include/fo/ctl.h).
 *
 * In: connections from fo's tools. Out: whole, validated requests handed
 * to the daemon's handler; replies written back without blocking. Each
 * connection is checked once with SO_PEERCRED when accepted. A client is
 * only ever able to hurt its own connection: a bad header, an oversize or
 * contradictory chunk, or a stall in the middle of a message closes that
 * connection (after an error message saying why) and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fo/common.h"
#include "fo/ctl.h"

/* Largest request body a tool may send, chunks included. */
#define CTL_MAX_REQUEST (64u * 1024u * 1024u)

struct ctl_server {
	GMainContext *ctx;
	char *path, *group;
	unsigned max_clients, idle_ms;
	ctl_request_fn fn;
	void *data;
	int fd;
	GSource *src;
	GList *conns;
};

struct ctl_conn {
	int refs;
	struct ctl_server *srv; /* NULL once closed */
	int fd;
	struct ctl_peer peer;
	GSource *in_src, *out_src, *idle_src;
	GByteArray *in, *out;
	size_t chunked; /* request bytes received as chunks */
	struct fo_msg_reasm *reasm;
	bool close_after_flush;
	bool out_big; /* out grew past OUT_KEEP: let it go once written */
};

/* An output buffer that held a reply bigger than this (a whole CIB) is
 * freed once written, not kept for the connection's life. */
#define OUT_KEEP (64 * 1024)

static void conn_close(struct ctl_conn *conn);

const char *
ctl_default_path(void)
{
	const char *env = g_getenv("FO_CTL_SOCKET");

	return env && *env ? env : FO_RUN_DIR "/crmd.sock";
}

bool
ctl_peer_allowed(const struct ctl_peer *peer, const char *group)
{
	g_autofree char *status_path = NULL, *status = NULL;
	struct group *gr;
	char *line;

	if (peer->uid == 0)
		return true;
	gr = getgrnam(group ? group : FO_CTL_GROUP);
	if (gr == NULL)
		return false;
	if (peer->gid == gr->gr_gid)
		return true;
	/* Supplementary groups of the peer process, as the kernel has them. */
	status_path = g_strdup_printf("/proc/%d/status", (int)peer->pid);
	if (!g_file_get_contents(status_path, &status, NULL, NULL))
		return false;
	line = strstr(status, "\nGroups:");
	if (line == NULL)
		return false;
	line += strlen("\nGroups:");
	while (*line && *line != '\n') {
		char *end;
		unsigned long g = strtoul(line, &end, 10);

		if (end == line)
			break;
		if ((gid_t)g == gr->gr_gid)
			return true;
		line = end;
		while (*line == ' ' || *line == '\t')
			line++;
	}
	return false;
}

const struct ctl_peer *
ctl_conn_peer(const struct ctl_conn *conn)
{
	return &conn->peer;
}

struct ctl_conn *
ctl_conn_ref(struct ctl_conn *conn)
{
	conn->refs++;
	return conn;
}

void
ctl_conn_unref(struct ctl_conn *conn)
{
	if (conn == NULL || --conn->refs > 0)
		return;
	g_byte_array_unref(conn->in);
	g_byte_array_unref(conn->out);
	fo_msg_reasm_free(conn->reasm);
	g_free(conn);
}

static void
source_drop(GSource **src)
{
	if (*src == NULL)
		return;
	g_source_destroy(*src);
	g_source_unref(*src);
	*src = NULL;
}

static gboolean conn_writable(gint fd, GIOCondition cond, gpointer data);

/* Write what is queued; keep a G_IO_OUT watch while some remains. */
static void
conn_flush(struct ctl_conn *conn)
{
	while (conn->out->len > 0) {
		ssize_t n = send(conn->fd, conn->out->data, conn->out->len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			log_debug("%s: client pid %d: %s; closing", __func__,
				  (int)conn->peer.pid, g_strerror(errno));
			conn_close(conn);
			return;
		}
		g_byte_array_remove_range(conn->out, 0, (guint)n);
	}
	if (conn->out->len > 0 && conn->out_src == NULL) {
		conn->out_src = g_unix_fd_source_new(conn->fd, G_IO_OUT);
		g_source_set_callback(conn->out_src,
				      G_SOURCE_FUNC(conn_writable), conn, NULL);
		g_source_attach(conn->out_src, conn->srv->ctx);
	} else if (conn->out->len == 0) {
		source_drop(&conn->out_src);
		if (conn->out_big) {
			g_byte_array_unref(conn->out);
			conn->out = g_byte_array_new();
			conn->out_big = false;
		}
		if (conn->close_after_flush)
			conn_close(conn);
	}
}

static gboolean
conn_writable(gint fd, GIOCondition cond, gpointer data)
{
	struct ctl_conn *conn = data;

	(void)fd;
	(void)cond;
	ctl_conn_ref(conn);
	conn_flush(conn);
	ctl_conn_unref(conn);
	return G_SOURCE_CONTINUE;
}

static int
conn_queue(struct ctl_conn *conn, uint16_t type, uint64_t seq, const void *body,
	   size_t len)
{
	struct fo_msg_hdr hdr = {
		.type = type, .flags = FO_MSG_F_REPLY, .seq = seq};
	int rc;

	if (conn->srv == NULL)
		return -ENOTCONN;
	if (len <= FO_MSG_MAX_BODY) {
		GBytes *msg = NULL;
		gsize n;
		const void *p;

		rc = fo_msg_encode(&hdr, body, len, &msg);
		if (rc != 0)
			return rc;
		p = g_bytes_get_data(msg, &n);
		g_byte_array_append(conn->out, p, (guint)n);
		g_bytes_unref(msg);
	} else {
		GPtrArray *chunks = NULL;

		rc = fo_msg_chunk(&hdr, (uint32_t)seq, body, len, 0, &chunks);
		if (rc != 0)
			return rc;
		for (guint i = 0; i < chunks->len; i++) {
			gsize n;
			const void *p = g_bytes_get_data(chunks->pdata[i], &n);

			g_byte_array_append(conn->out, p, (guint)n);
		}
		g_ptr_array_unref(chunks);
	}
	if (conn->out->len > OUT_KEEP)
		conn->out_big = true;
	return 0;
}

int
ctl_conn_reply(struct ctl_conn *conn, uint16_t type, uint64_t seq,
	       const void *body, size_t len)
{
	int rc = conn_queue(conn, type, seq, body, len);

	if (rc == 0)
		conn_flush(conn);
	return rc;
}

/* Tell the client what was wrong, then hang up once that is written. */
static void conn_refuse(struct ctl_conn *conn, uint64_t seq, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));

static void
conn_refuse(struct ctl_conn *conn, uint64_t seq, const char *fmt, ...)
{
	g_autofree char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_warnx("ctl: client pid %d uid %d: %s; closing its connection",
		  (int)conn->peer.pid, (int)conn->peer.uid, text);
	source_drop(&conn->in_src);
	source_drop(&conn->idle_src);
	conn->close_after_flush = true;
	if (conn_queue(conn, FO_CTL_T_ERROR, seq, text, strlen(text)) != 0)
		conn_close(conn);
	else
		conn_flush(conn);
}

static void
conn_close(struct ctl_conn *conn)
{
	struct ctl_server *srv = conn->srv;

	if (srv == NULL)
		return;
	source_drop(&conn->in_src);
	source_drop(&conn->out_src);
	source_drop(&conn->idle_src);
	close(conn->fd);
	conn->fd = -1;
	conn->srv = NULL;
	srv->conns = g_list_remove(srv->conns, conn);
	ctl_conn_unref(conn);
}

static gboolean
conn_idle_expired(gpointer data)
{
	struct ctl_conn *conn = data;

	g_source_unref(conn->idle_src);
	conn->idle_src = NULL;
	conn_refuse(conn, 0, "message incomplete after %u ms",
		    conn->srv->idle_ms);
	return G_SOURCE_REMOVE;
}

/* Arm the stall timer while part of a message is buffered. */
static void
conn_idle_arm(struct ctl_conn *conn)
{
	source_drop(&conn->idle_src);
	if (conn->in->len == 0 && fo_msg_reasm_pending(conn->reasm) == 0)
		return;
	conn->idle_src = g_timeout_source_new(conn->srv->idle_ms);
	g_source_set_callback(conn->idle_src, conn_idle_expired, conn, NULL);
	g_source_attach(conn->idle_src, conn->srv->ctx);
}

/*
 * Handle one whole envelope at the front of conn->in. Returns false when
 * the connection was refused and nothing more must be read from it.
 */
static bool
conn_dispatch(struct ctl_conn *conn, const struct fo_msg_hdr *hdr,
	      const uint8_t *body)
{
	struct ctl_server *srv = conn->srv;
	struct fo_msg_hdr whole_hdr;
	GBytes *whole = NULL;
	int rc;

	if (hdr->type != FO_CTL_T_REQUEST) {
		conn_refuse(conn, hdr->seq, "unexpected message type 0x%x",
			    hdr->type);
		return false;
	}
	if (hdr->flags & FO_MSG_F_DEFLATE) {
		conn_refuse(conn, hdr->seq,
			    "compressed messages are for the "
			    "cluster, not the control socket");
		return false;
	}
	if (!(hdr->flags & FO_MSG_F_CHUNK)) {
		srv->fn(conn, hdr, body, hdr->body_len, srv->data);
		return conn->srv != NULL;
	}
	conn->chunked += hdr->body_len;
	if (conn->chunked > CTL_MAX_REQUEST) {
		conn_refuse(conn, hdr->seq, "request larger than %u bytes",
			    CTL_MAX_REQUEST);
		return false;
	}
	rc = fo_msg_reasm_add(conn->reasm, 0, hdr, body, &whole_hdr, &whole);
	if (rc < 0) {
		conn_refuse(conn, hdr->seq, "inconsistent chunk: %s",
			    fo_strerror(rc));
		return false;
	}
	if (rc == 1) {
		gsize n;
		const uint8_t *p = g_bytes_get_data(whole, &n);

		conn->chunked = 0;
		srv->fn(conn, &whole_hdr, p, n, srv->data);
		g_bytes_unref(whole);
	}
	return conn->srv != NULL;
}

static gboolean
conn_readable(gint fd, GIOCondition cond, gpointer data)
{
	struct ctl_conn *conn = data;
	uint8_t buf[16384]; /* a big request takes more reads, not more stack */
	ssize_t n;

	(void)cond;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		if (conn->in->len > 0)
			log_warnx("ctl: client pid %d hung up in the middle of "
				  "a message (%u bytes); dropped it",
				  (int)conn->peer.pid, conn->in->len);
		conn_close(conn);
		return G_SOURCE_REMOVE;
	}
	g_byte_array_append(conn->in, buf, (guint)n);
	ctl_conn_ref(conn);
	while (conn->srv != NULL && conn->in->len >= FO_MSG_HDR_SIZE) {
		struct fo_msg_hdr hdr;
		const char *why = NULL;
		size_t whole;

		if (fo_msg_hdr_decode(conn->in->data, conn->in->len, &hdr,
				      &why) != 0) {
			conn_refuse(conn, 0, "bad message header: %s",
				    why ? why : "invalid");
			break;
		}
		whole = FO_MSG_HDR_SIZE + (size_t)hdr.body_len;
		if (conn->in->len < whole)
			break;
		if (!conn_dispatch(conn, &hdr,
				   conn->in->data + FO_MSG_HDR_SIZE))
			break;
		if (conn->srv != NULL)
			g_byte_array_remove_range(conn->in, 0, (guint)whole);
	}
	if (conn->srv != NULL && conn->in_src != NULL)
		conn_idle_arm(conn);
	ctl_conn_unref(conn);
	return G_SOURCE_CONTINUE;
}

static gboolean
server_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct ctl_server *srv = data;
	struct ctl_conn *conn;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int cfd;

	(void)cond;
	cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (cfd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept on %s", __func__, srv->path);
		return G_SOURCE_CONTINUE;
	}
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0) {
		log_warn("%s: SO_PEERCRED; closing the connection", __func__);
		close(cfd);
		return G_SOURCE_CONTINUE;
	}
	conn = g_new0(struct ctl_conn, 1);
	conn->refs = 1;
	conn->srv = srv;
	conn->fd = cfd;
	conn->peer = (struct ctl_peer){cred.pid, cred.uid, cred.gid};
	conn->in = g_byte_array_new();
	conn->out = g_byte_array_new();
	conn->reasm = fo_msg_reasm_new(1);
	srv->conns = g_list_prepend(srv->conns, conn);

	if (!ctl_peer_allowed(&conn->peer, srv->group)) {
		conn_refuse(conn, 0,
			    "permission denied: uid %d is neither "
			    "root nor in group %s",
			    (int)cred.uid, srv->group);
		return G_SOURCE_CONTINUE;
	}
	if (g_list_length(srv->conns) > srv->max_clients) {
		conn_refuse(conn, 0, "too many clients (%u); try again",
			    srv->max_clients);
		return G_SOURCE_CONTINUE;
	}
	conn->in_src = g_unix_fd_source_new(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback(conn->in_src, G_SOURCE_FUNC(conn_readable), conn,
			      NULL);
	g_source_attach(conn->in_src, srv->ctx);
	return G_SOURCE_CONTINUE;
}

/* Is a daemon answering on this path? (Then it is not stale.) */
static bool
server_path_live(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return live;
}

int
ctl_server_new(GMainContext *ctx, const struct ctl_server_config *cfg,
	       ctl_request_fn fn, void *data, struct ctl_server **out)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct ctl_server *srv;
	struct group *gr;
	const char *path;
	int fd, rc;

	path = cfg && cfg->path ? cfg->path : ctl_default_path();
	if (fn == NULL || out == NULL)
		return -EINVAL;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (access(path, F_OK) == 0) {
		if (server_path_live(&sun))
			return -EADDRINUSE;
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(fd, 16) != 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	srv = g_new0(struct ctl_server, 1);
	srv->group = g_strdup(cfg && cfg->group ? cfg->group : FO_CTL_GROUP);
	/* Socket file: root and the group may connect, nobody else. */
	gr = getgrnam(srv->group);
	if (chown(path, (uid_t)-1, gr ? gr->gr_gid : 0) != 0 ||
	    chmod(path, 0660) != 0) {
		rc = -errno;
		close(fd);
		unlink(path);
		g_free(srv->group);
		g_free(srv);
		return rc;
	}
	srv->ctx = ctx ? g_main_context_ref(ctx) : NULL;
	srv->path = g_strdup(path);
	srv->max_clients = cfg && cfg->max_clients ? cfg->max_clients : 64;
	srv->idle_ms = cfg && cfg->idle_ms ? cfg->idle_ms : 30000;
	srv->fn = fn;
	srv->data = data;
	srv->fd = fd;
	srv->src = g_unix_fd_source_new(fd, G_IO_IN);
	g_source_set_callback(srv->src, G_SOURCE_FUNC(server_accept), srv,
			      NULL);
	g_source_attach(srv->src, ctx);
	*out = srv;
	return 0;
}

unsigned
ctl_server_clients(const struct ctl_server *srv)
{
	return g_list_length(srv->conns);
}

void
ctl_server_free(struct ctl_server *srv)
{
	if (srv == NULL)
		return;
	while (srv->conns)
		conn_close(srv->conns->data);
	source_drop(&srv->src);
	close(srv->fd);
	unlink(srv->path);
	if (srv->ctx)
		g_main_context_unref(srv->ctx);
	g_free(srv->path);
	g_free(srv->group);
	g_free(srv);
}
