/*
 * check_ctl.c - unit tests for lib/ctl: the control socket. A server runs
 * on its own main context in a thread; clients are this thread, raw
 * sockets sending garbage, and (as root) forked children that drop to
 * other users to prove the SO_PEERCRED check.
 */
#include <check.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/ctl.h"

static char *tmpdir, *sock;
static GMainContext *ctx;
static GMainLoop *loop;
static GThread *thread;
static struct ctl_server *srv;
static int requests;

/* Echo "ok:" + body; "big" answers 3 MB; "size" answers the body length. */
static void
handle(struct ctl_conn *conn, const struct fo_msg_hdr *hdr, const uint8_t *body,
       size_t len, void *data)
{
	(void)data;
	g_atomic_int_inc(&requests);
	if (len == 3 && memcmp(body, "big", 3) == 0) {
		size_t n = 3u * 1024 * 1024;
		g_autofree char *big = g_malloc(n);

		for (size_t i = 0; i < n; i++)
			big[i] = (char)('a' + i % 26);
		ctl_conn_reply(conn, FO_CTL_T_REPLY, hdr->seq, big, n);
	} else if (len > 1024) {
		g_autofree char *t =
			g_strdup_printf("size:%zu:%c", len, body[len - 1]);

		ctl_conn_reply(conn, FO_CTL_T_REPLY, hdr->seq, t, strlen(t));
	} else {
		g_autofree char *t = g_strdup_printf("ok:%.*s", (int)len,
						     (const char *)body);

		ctl_conn_reply(conn, FO_CTL_T_REPLY, hdr->seq, t, strlen(t));
	}
}

static gpointer
run_loop(gpointer data)
{
	(void)data;
	g_main_context_push_thread_default(ctx);
	g_main_loop_run(loop);
	g_main_context_pop_thread_default(ctx);
	return NULL;
}

static void
setup(void)
{
	struct ctl_server_config cfg = {.idle_ms = 300};

	tmpdir = g_dir_make_tmp("check_ctl-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmpdir);
	chmod(tmpdir, 0755);
	sock = g_build_filename(tmpdir, "crmd.sock", NULL);
	cfg.path = sock;
	ctx = g_main_context_new();
	loop = g_main_loop_new(ctx, FALSE);
	ck_assert_int_eq(ctl_server_new(ctx, &cfg, handle, NULL, &srv), 0);
	thread = g_thread_new("server", run_loop, NULL);
}

static gboolean
quit_loop(gpointer data)
{
	(void)data;
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

static void
teardown(void)
{
	GSource *s = g_idle_source_new();

	g_source_set_callback(s, quit_loop, NULL, NULL);
	g_source_attach(s, ctx);
	g_source_unref(s);
	g_thread_join(thread);
	ctl_server_free(srv);
	g_main_loop_unref(loop);
	g_main_context_unref(ctx);
	rmdir(tmpdir);
	g_free(sock);
	g_free(tmpdir);
}

static char *
call_text(const char *body, int want_rc)
{
	GBytes *reply = NULL;
	char *err = NULL, *text = NULL;
	int rc = ctl_call(sock, body, strlen(body), 5000, &reply, &err);

	ck_assert_msg(rc == want_rc, "rc %d (%s), wanted %d", rc,
		      err ? err : "", want_rc);
	if (reply) {
		gsize n;
		const char *p = g_bytes_get_data(reply, &n);

		text = g_strndup(p, n);
		g_bytes_unref(reply);
	}
	if (rc != 0) {
		g_free(text);
		return err;
	}
	g_free(err);
	return text;
}

START_TEST(test_round_trip)
{
	g_autofree char *a = call_text("status", 0);
	g_autofree char *b = call_text("", 0);

	ck_assert_str_eq(a, "ok:status");
	ck_assert_str_eq(b, "ok:");
}
END_TEST

START_TEST(test_large_request_and_reply)
{
	size_t n = 2u * 1024 * 1024 + 17;
	g_autofree char *big = g_malloc(n + 1);
	g_autofree char *r1 = NULL, *r2 = NULL;

	memset(big, 'x', n);
	big[n - 1] = 'z';
	big[n] = '\0';
	r1 = call_text(big, 0);
	ck_assert_str_eq(r1, "size:2097169:z");
	r2 = call_text("big", 0);
	ck_assert_uint_eq(strlen(r2), 3u * 1024 * 1024);
	ck_assert_int_eq(r2[0], 'a');
	ck_assert_int_eq(r2[3u * 1024 * 1024 - 1],
			 'a' + (3 * 1024 * 1024 - 1) % 26);
}
END_TEST

static int
raw_connect(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	g_strlcpy(sun.sun_path, sock, sizeof(sun.sun_path));
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Read until EOF (bounded); return what the server said. */
static char *
raw_read_all(int fd)
{
	GString *s = g_string_new(NULL);
	struct timeval tv = {.tv_sec = 5};
	char buf[4096];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		g_string_append_len(s, buf, n);
	ck_assert_msg(n == 0, "server did not close the connection");
	return g_string_free(s, FALSE);
}

/* The error text inside the first envelope of a server's answer. */
static const char *
error_text(const char *raw, size_t len)
{
	struct fo_msg_hdr hdr;

	ck_assert_int_ge(len, FO_MSG_HDR_SIZE);
	ck_assert_int_eq(fo_msg_hdr_decode(raw, len, &hdr, NULL), 0);
	ck_assert_int_eq(hdr.type, FO_CTL_T_ERROR);
	return raw + FO_MSG_HDR_SIZE;
}

/* Send one message (@hdr, text @body) on a connection of its own; return
 * everything the server said before it hung up. */
static char *
raw_exchange(const struct fo_msg_hdr *hdr, const char *body)
{
	GBytes *msg = NULL;
	char *raw;
	int fd;

	ck_assert_int_eq(fo_msg_encode(hdr, body, strlen(body), &msg), 0);
	fd = raw_connect();
	ck_assert_int_eq(
		send(fd, g_bytes_get_data(msg, NULL), g_bytes_get_size(msg), 0),
		(ssize_t)g_bytes_get_size(msg));
	g_bytes_unref(msg);
	raw = raw_read_all(fd);
	close(fd);
	return raw;
}

START_TEST(test_garbage_is_refused_and_server_survives)
{
	static const char junk[64] = "GET / HTTP/1.0\r\n\r\nthis is not fo";
	g_autofree char *after = NULL, *raw = NULL;
	int fd = raw_connect();

	ck_assert_int_eq(send(fd, junk, sizeof(junk), 0), sizeof(junk));
	raw = raw_read_all(fd);
	close(fd);
	ck_assert_ptr_nonnull(strstr(error_text(raw, 64 + FO_MSG_HDR_SIZE),
				     "bad message header"));
	after = call_text("still-there", 0);
	ck_assert_str_eq(after, "ok:still-there");
}
END_TEST

START_TEST(test_oversize_and_wrong_type)
{
	struct fo_msg_hdr hdr = {.type = FO_CTL_T_REPLY, .seq = 9};
	g_autofree char *raw = NULL, *raw2 = NULL, *after = NULL;
	uint8_t head[FO_MSG_HDR_SIZE];
	GBytes *msg = NULL;
	int fd;

	/* A valid header claiming a body over the limit. */
	ck_assert_int_eq(fo_msg_encode(&hdr, "x", 1, &msg), 0);
	memcpy(head, g_bytes_get_data(msg, NULL), sizeof(head));
	g_bytes_unref(msg);
	head[12] = 0x7f; /* body length field, most significant byte */
	fd = raw_connect();
	ck_assert_int_eq(send(fd, head, sizeof(head), 0), sizeof(head));
	raw = raw_read_all(fd);
	close(fd);
	ck_assert_ptr_nonnull(strstr(raw + FO_MSG_HDR_SIZE, "header"));

	/* A well-formed message of a type tools must not send. */
	raw2 = raw_exchange(&hdr, "x");
	ck_assert_ptr_nonnull(
		strstr(raw2 + FO_MSG_HDR_SIZE, "unexpected message type"));
	after = call_text("fine", 0);
	ck_assert_str_eq(after, "ok:fine");
}
END_TEST

/* A request with the cluster's compression flag: refused with a reason,
 * the server goes on. */
START_TEST(test_compressed_request_refused)
{
	struct fo_msg_hdr hdr = {
		.type = FO_CTL_T_REQUEST, .flags = FO_MSG_F_DEFLATE, .seq = 4};
	g_autofree char *raw = raw_exchange(&hdr, "zzzz"), *after = NULL;

	ck_assert_ptr_nonnull(
		strstr(error_text(raw, FO_MSG_HDR_SIZE +
					       strlen(raw + FO_MSG_HDR_SIZE)),
		       "compressed messages are for the cluster"));
	after = call_text("fine", 0);
	ck_assert_str_eq(after, "ok:fine");
}
END_TEST

START_TEST(test_truncated_and_stalled)
{
	struct fo_msg_hdr hdr = {.type = FO_CTL_T_REQUEST, .seq = 1};
	g_autofree char *raw = NULL, *after = NULL;
	GBytes *msg = NULL;
	int fd;

	ck_assert_int_eq(fo_msg_encode(&hdr, "0123456789", 10, &msg), 0);
	/* Half a message, then hang up. */
	fd = raw_connect();
	ck_assert_int_eq(send(fd, g_bytes_get_data(msg, NULL), 45, 0), 45);
	close(fd);
	/* Half a message, then silence: the idle timer (300 ms) ends it. */
	fd = raw_connect();
	ck_assert_int_eq(send(fd, g_bytes_get_data(msg, NULL), 45, 0), 45);
	raw = raw_read_all(fd);
	close(fd);
	g_bytes_unref(msg);
	ck_assert_ptr_nonnull(strstr(raw + FO_MSG_HDR_SIZE, "incomplete"));
	after = call_text("ok", 0);
	ck_assert_str_eq(after, "ok:ok");
	ck_assert_int_eq(g_atomic_int_get(&requests), 1);
}
END_TEST

/* A fake daemon for one call: accept, read the request, send the answer
 * (an encoded envelope), hang up. */
struct fake_daemon {
	int lfd;
	GBytes *answer;
};

static gpointer
fake_daemon_run(gpointer data)
{
	struct fake_daemon *f = data;
	int fd = accept(f->lfd, NULL, NULL);
	char buf[256];
	gsize n;
	const void *p = g_bytes_get_data(f->answer, &n);

	if (fd >= 0) {
		(void)recv(fd, buf, sizeof(buf), 0);
		(void)send(fd, p, n, MSG_NOSIGNAL);
		close(fd);
	}
	return NULL;
}

/* An answer with the cluster's compression flag: the tool says what is
 * wrong with it instead of using it. */
START_TEST(test_compressed_answer_refused)
{
	struct fo_msg_hdr hdr = {.type = FO_CTL_T_REPLY,
				 .flags = FO_MSG_F_REPLY | FO_MSG_F_DEFLATE,
				 .seq = 1};
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	g_autofree char *path = g_build_filename(tmpdir, "fake.sock", NULL);
	struct fake_daemon f;
	GBytes *reply = NULL;
	char *err = NULL;
	GThread *t;
	int rc;

	f.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	ck_assert_int_eq(bind(f.lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(f.lfd, 1), 0);
	ck_assert_int_eq(fo_msg_encode(&hdr, "zzzz", 4, &f.answer), 0);
	t = g_thread_new("fake", fake_daemon_run, &f);
	rc = ctl_call(path, "x", 1, 3000, &reply, &err);
	g_thread_join(t);
	close(f.lfd);
	unlink(path);
	g_bytes_unref(f.answer);
	ck_assert_int_eq(rc, -FO_EPROTO);
	ck_assert_ptr_null(reply);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "compressed answer") != NULL, "err: %s", err);
	g_free(err);
}
END_TEST

START_TEST(test_no_daemon)
{
	GBytes *reply = NULL;
	char *err = NULL;
	g_autofree char *path = g_build_filename(tmpdir, "none.sock", NULL);
	int rc = ctl_call(path, "x", 1, 1000, &reply, &err);

	ck_assert_int_eq(rc, -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "not running"));
	g_free(err);
}
END_TEST

/*
 * As root: a child that becomes @user calls the daemon. Returns the rc the
 * child saw (its exit status: 0 answered, 1 EACCES with the right text).
 */
static int
call_as(const char *user)
{
	struct passwd *pw = getpwnam(user);
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(pw);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		GBytes *reply = NULL;
		char *err = NULL;
		int rc;

		if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
		    setuid(pw->pw_uid) != 0)
			_exit(3);
		rc = ctl_call(sock, "who", 3, 3000, &reply, &err);
		if (rc == 0)
			_exit(0);
		if (rc == -EACCES && err && strstr(err, "permission denied"))
			_exit(1);
		_exit(2);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_permissions)
{
	if (geteuid() != 0) {
		if (g_strcmp0(g_getenv("CI"), "true") == 0)
			ck_abort_msg("CI runs as root; this test needs root");
		fprintf(stderr, "SKIP test_permissions: needs root to run "
				"clients as other users\n");
		return;
	}
	ck_assert_msg(getgrnam(FO_CTL_GROUP) != NULL,
		      "group %s missing (tests/deps creates it)", FO_CTL_GROUP);
	/* The socket file's mode stops a stranger at connect(). */
	ck_assert_int_eq(call_as("nobody"), 1);
	/* With the file open to all, SO_PEERCRED still stops him ... */
	ck_assert_int_eq(chmod(sock, 0666), 0);
	ck_assert_int_eq(call_as("nobody"), 1);
	/* ... and lets a member of haclient in (hacluster's primary group). */
	if (getpwnam("hacluster") != NULL)
		ck_assert_int_eq(call_as("hacluster"), 0);
}
END_TEST

START_TEST(test_second_server_refused)
{
	struct ctl_server_config cfg = {.path = sock};
	struct ctl_server *other = NULL;

	ck_assert_int_eq(ctl_server_new(NULL, &cfg, handle, NULL, &other),
			 -EADDRINUSE);
	ck_assert_ptr_null(other);
}
END_TEST

START_TEST(test_peer_allowed)
{
	struct ctl_peer root = {.pid = getpid(), .uid = 0, .gid = 0};
	struct ctl_peer stranger = {
		.pid = getpid(), .uid = 65534, .gid = 65534};

	ck_assert(ctl_peer_allowed(&root, "no-such-group-fo"));
	ck_assert(!ctl_peer_allowed(&stranger, "no-such-group-fo"));
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("socket");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_large_request_and_reply);
	tcase_add_test(tc, test_garbage_is_refused_and_server_survives);
	tcase_add_test(tc, test_oversize_and_wrong_type);
	tcase_add_test(tc, test_compressed_request_refused);
	tcase_add_test(tc, test_compressed_answer_refused);
	tcase_add_test(tc, test_truncated_and_stalled);
	tcase_add_test(tc, test_no_daemon);
	tcase_add_test(tc, test_permissions);
	tcase_add_test(tc, test_second_server_refused);
	tcase_add_test(tc, test_peer_allowed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ctl_suite());
	int failed;

	log_init("check_ctl", true, 0);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
