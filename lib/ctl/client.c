/*
 * client.c - the tools' end of the control socket (include/fo/ctl.h).
 *
 * In: one request body from a tool. Out: the daemon's answer, or an error
 * text that tells the user what to do (start the daemon, join haclient,
 * ...). Blocking with one deadline for the whole round trip; the answer is
 * validated like any message before its body is used.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/ctl.h"

static gint64
ms_left(gint64 deadline)
{
	gint64 left = (deadline - g_get_monotonic_time()) / 1000;

	return left > 0 ? left : 0;
}

static int
client_connect(const char *path, char **err)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd, rc;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		*err = g_strdup_printf("socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("socket: %s", g_strerror(errno));
		return rc;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	rc = -errno;
	close(fd);
	if (rc == -EACCES || rc == -EPERM)
		*err = g_strdup_printf("permission denied on %s: only root and "
				       "members of group %s may use fo's "
				       "control socket",
				       path, FO_CTL_GROUP);
	else if (rc == -ENOENT || rc == -ECONNREFUSED)
		*err = g_strdup_printf("fo-crmd is not running on this node "
				       "(nothing answers on %s); start it "
				       "first",
				       path);
	else
		*err = g_strdup_printf("cannot connect to %s: %s", path,
				       g_strerror(-rc));
	return rc;
}

static int
client_send_all(int fd, const void *buf, size_t len, gint64 deadline)
{
	const uint8_t *p = buf;

	while (len > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		ssize_t n;

		if (poll(&pfd, 1, (int)ms_left(deadline)) == 0)
			return -FO_ETIMEOUT;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
client_send(int fd, const void *body, size_t len, gint64 deadline)
{
	struct fo_msg_hdr hdr = {.type = FO_CTL_T_REQUEST, .seq = 1};
	GPtrArray *chunks = NULL;
	int rc;

	if (len <= FO_MSG_MAX_BODY) {
		GBytes *msg = NULL;
		gsize n;
		const void *p;

		rc = fo_msg_encode(&hdr, body, len, &msg);
		if (rc != 0)
			return rc;
		p = g_bytes_get_data(msg, &n);
		rc = client_send_all(fd, p, n, deadline);
		g_bytes_unref(msg);
		return rc;
	}
	rc = fo_msg_chunk(&hdr, 1, body, len, 0, &chunks);
	for (guint i = 0; rc == 0 && i < chunks->len; i++) {
		gsize n;
		const void *p = g_bytes_get_data(chunks->pdata[i], &n);

		rc = client_send_all(fd, p, n, deadline);
	}
	if (chunks)
		g_ptr_array_unref(chunks);
	return rc;
}

/* Read exactly len bytes before the deadline. */
static int
client_recv_all(int fd, uint8_t *buf, size_t len, gint64 deadline)
{
	while (len > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, (int)ms_left(deadline)) == 0)
			return -FO_ETIMEOUT;
		n = recv(fd, buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ctl_call(const char *path, const void *body, size_t len, unsigned timeout_ms,
	 GBytes **reply, char **err)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	struct fo_msg_reasm *reasm = fo_msg_reasm_new(1);
	const char *why = NULL; /* what was wrong with a bad answer */
	int fd, rc;

	*reply = NULL;
	*err = NULL;
	path = path ? path : ctl_default_path();
	fd = client_connect(path, err);
	if (fd < 0) {
		fo_msg_reasm_free(reasm);
		return fd;
	}
	rc = client_send(fd, body, len, deadline);
	/* Even when sending failed, the daemon may have said why. */
	for (;;) {
		uint8_t hb[FO_MSG_HDR_SIZE];
		g_autofree uint8_t *mb = NULL;
		struct fo_msg_hdr hdr, whole_hdr;
		GBytes *whole = NULL;
		int r;

		r = client_recv_all(fd, hb, sizeof(hb), deadline);
		if (r == 0)
			r = fo_msg_hdr_decode(hb, sizeof(hb), &hdr, &why);
		if (r == 0) {
			mb = g_malloc(hdr.body_len ? hdr.body_len : 1);
			r = client_recv_all(fd, mb, hdr.body_len, deadline);
		}
		if (r == 0 && (hdr.flags & FO_MSG_F_DEFLATE)) {
			r = -FO_EPROTO;
			why = "a compressed answer (only the cluster uses "
			      "those)";
		}
		if (r != 0) {
			rc = rc ? rc : r;
			break;
		}
		if (hdr.flags & FO_MSG_F_CHUNK) {
			r = fo_msg_reasm_add(reasm, 0, &hdr, mb, &whole_hdr,
					     &whole);
			if (r < 0) {
				rc = r;
				why = "inconsistent chunks";
				break;
			}
			if (r == 0)
				continue;
			hdr = whole_hdr;
		} else {
			whole = g_bytes_new(mb, hdr.body_len);
		}
		if (hdr.type == FO_CTL_T_REPLY) {
			*reply = whole;
			rc = 0;
		} else if (hdr.type == FO_CTL_T_ERROR) {
			gsize n;
			const char *t = g_bytes_get_data(whole, &n);

			*err = g_strndup(t, n);
			g_bytes_unref(whole);
			rc = strstr(*err, "permission denied") ? -EACCES : 1;
		} else {
			g_bytes_unref(whole);
			rc = -FO_EPROTO;
			why = "unexpected message type in the answer";
		}
		break;
	}
	close(fd);
	fo_msg_reasm_free(reasm);
	if (rc != 0 && *err == NULL) {
		if (rc == -FO_ETIMEOUT)
			*err = g_strdup_printf("fo-crmd did not answer within "
					       "%u ms",
					       timeout_ms);
		else if (rc == -ECONNRESET || rc == -EPIPE)
			*err = g_strdup("fo-crmd closed the connection "
					"without an answer");
		else
			*err = g_strdup_printf("bad answer from fo-crmd: %s",
					       rc == -FO_EPROTO && why
						       ? why
						       : fo_strerror(rc));
	}
	return rc;
}
