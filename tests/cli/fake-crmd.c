/*
 * fake-crmd.c - a stand-in for fo-crmd's control socket, for testing the
 * tools' side of requests without a cluster (tests/cli/res-client.sh).
 *
 * In: requests on SOCKET (the real ctl server code of lib/ctl). Out: for
 * op="status", <reply rc="0"> around the text of DIR/status.xml; for any
 * other OP, the whole reply from DIR/OP.xml when that file exists, else
 * what fo-crmd says to a request it does not know (rc 2, "unknown
 * request 'OP'"). Files are read at each request, so a test can change
 * the answers while a tool runs. Every request body is appended, one per
 * line, to DIR/requests.log. Ends on SIGTERM or SIGINT.
 *
 * Usage: fake-crmd SOCKET DIR
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "fo/common.h"
#include "fo/ctl.h"

struct fake {
	const char *dir;
	GMainLoop *loop;
};

static void
answer(struct ctl_conn *conn, uint64_t seq, const char *text)
{
	ctl_conn_reply(conn, FO_CTL_T_REPLY, seq, text, strlen(text));
}

static void
on_request(struct ctl_conn *conn, const struct fo_msg_hdr *hdr,
	   const uint8_t *body, size_t len, void *data)
{
	struct fake *f = data;
	g_autofree char *log = g_build_filename(f->dir, "requests.log", NULL);
	g_autofree char *op = NULL, *path = NULL, *text = NULL;
	g_autofree char *reply = NULL;
	xmlDocPtr doc =
		xmlReadMemory((const char *)body, (int)len, "request", NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	FILE *fp = fopen(log, "a");

	if (fp) {
		g_autofree char *line = g_strndup((const char *)body, len);

		g_strdelimit(line, "\n", ' ');
		fprintf(fp, "%s\n", g_strstrip(line));
		fclose(fp);
	}
	if (root)
		op = (char *)xmlGetProp(root, (const xmlChar *)"op");
	xmlFreeDoc(doc);
	if (op == NULL || strchr(op, '/') || op[0] == '.') {
		answer(conn, hdr->seq,
		       "<reply rc=\"2\" error=\"the request is not a "
		       "well-formed &lt;request&gt; element\"/>");
		return;
	}
	path = g_strdup_printf("%s/%s.xml", f->dir, op);
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		reply = g_markup_printf_escaped(
			"<reply rc=\"2\" error=\"unknown request '%s'\"/>", op);
		answer(conn, hdr->seq, reply);
		return;
	}
	if (strcmp(op, "status") == 0) {
		reply = g_strdup_printf("<reply rc=\"0\">%s</reply>", text);
		answer(conn, hdr->seq, reply);
	} else {
		answer(conn, hdr->seq, text);
	}
}

static gboolean
on_signal(gpointer data)
{
	g_main_loop_quit(((struct fake *)data)->loop);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	struct ctl_server_config cfg = {0};
	struct ctl_server *srv = NULL;
	struct fake f;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: fake-crmd SOCKET DIR\n");
		return 2;
	}
	f.dir = argv[2];
	f.loop = g_main_loop_new(NULL, FALSE);
	cfg.path = argv[1];
	rc = ctl_server_new(NULL, &cfg, on_request, &f, &srv);
	if (rc != 0) {
		fprintf(stderr, "fake-crmd: cannot listen on %s: %s\n", argv[1],
			fo_strerror(rc));
		return 1;
	}
	g_unix_signal_add(SIGTERM, on_signal, &f);
	g_unix_signal_add(SIGINT, on_signal, &f);
	g_main_loop_run(f.loop);
	ctl_server_free(srv);
	g_main_loop_unref(f.loop);
	return 0;
}
