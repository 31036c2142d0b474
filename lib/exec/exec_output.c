/*
 * exec_output.c - capture of an agent's stdout and stderr.
 *
 * In: the read ends of the agent's pipes (non-blocking). Out: at most
 * output_max bytes per stream (the rest is read and counted, so an agent
 * that prints megabytes never blocks), and the last "ocf-exit-reason:" line
 * of stderr. The pipes are never what ends an operation: daemons that an
 * agent starts may hold them open for ever, so after waitpid() the executor
 * drains what is buffered and closes its ends (exec__capture_drain).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

#include "exec_int.h"

#define CAPTURE_LINE_MAX 4096
#define CAPTURE_READS_PER_WAKEUP 16

void
exec__capture_init(struct exec_capture *c, int fd, size_t max, bool scan_reason)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->max = max;
	c->buf = g_string_new(NULL);
	c->scan_reason = scan_reason;
	if (scan_reason)
		c->line = g_string_new(NULL);
}

static void
capture_line_end(struct exec_capture *c)
{
	const size_t plen = strlen(EXEC_EXIT_REASON_PREFIX);

	if (c->line->len >= plen &&
	    strncmp(c->line->str, EXEC_EXIT_REASON_PREFIX, plen) == 0) {
		g_free(c->reason);
		c->reason = g_strstrip(g_strdup(c->line->str + plen));
	}
	g_string_truncate(c->line, 0);
}

static void
capture_scan(struct exec_capture *c, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		size_t room = CAPTURE_LINE_MAX - c->line->len;

		g_string_append_len(c->line, p, MIN(take, room));
		if (nl == NULL)
			return;
		capture_line_end(c);
		p = nl + 1;
		n -= take + 1;
	}
}

static void
capture_add(struct exec_capture *c, const char *p, size_t n)
{
	size_t keep = c->buf->len < c->max ? MIN(n, c->max - c->buf->len) : 0;

	g_string_append_len(c->buf, p, keep);
	c->dropped += n - keep;
	if (c->scan_reason)
		capture_scan(c, p, n);
}

static void
capture_close(struct exec_capture *c)
{
	if (c->src != NULL) {
		g_source_destroy(c->src);
		g_source_unref(c->src);
		c->src = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}

/* Read what is there; returns false once the stream is finished. */
static bool
capture_read(struct exec_capture *c, int max_reads)
{
	char buf[16384]; /* on the stack: every page touched stays resident */
	int i;

	for (i = 0; i < max_reads; i++) {
		ssize_t n = read(c->fd, buf, sizeof(buf));

		if (n > 0) {
			capture_add(c, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		return false; /* EOF or a real error */
	}
	return true;
}

static gboolean
capture_ready(int fd, GIOCondition cond, void *data)
{
	struct exec_capture *c = data;

	(void)fd;
	(void)cond;
	if (capture_read(c, CAPTURE_READS_PER_WAKEUP))
		return G_SOURCE_CONTINUE;
	/* Finished: drop our reference; capture_close() must not destroy. */
	g_source_unref(c->src);
	c->src = NULL;
	close(c->fd);
	c->fd = -1;
	return G_SOURCE_REMOVE;
}

void
exec__capture_watch(struct exec *exec, struct exec_capture *c)
{
	c->src = g_unix_fd_source_new(c->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback(c->src, G_SOURCE_FUNC(capture_ready), c, NULL);
	g_source_attach(c->src, exec->ctx);
}

void
exec__capture_drain(struct exec_capture *c)
{
	if (c->fd >= 0)
		(void)capture_read(c, CAPTURE_READS_PER_WAKEUP);
	capture_close(c);
	if (c->scan_reason && c->line->len > 0)
		capture_line_end(c);
}

void
exec__capture_clear(struct exec_capture *c)
{
	capture_close(c);
	if (c->buf != NULL)
		g_string_free(c->buf, TRUE);
	if (c->line != NULL)
		g_string_free(c->line, TRUE);
	g_free(c->reason);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}
