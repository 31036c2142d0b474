/*
 * cpg-probe.c - a test client of the cluster layer (crmd/cluster).
 *
 * Joins the CPG group like fo-crmd does and writes every event it gets as
 * one machine-readable line to a file: "<ns> <event> key=value ...", with
 * events start, view, quorum, dc, recv, sent and exit. SIGUSR1 (or -a, on
 * the first quorate view) sends a burst of -n messages of -s bytes each;
 * bodies above the envelope's maximum go as chunks. Used by the harness in
 * tests/cluster/; not installed.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

#include "fo/cluster.h"
#include "fo/common.h"

#define PROBE_MSG_TYPE 0x7001

struct probe {
	struct cluster *cl;
	GMainLoop *loop;
	FILE *out;
	unsigned int burst; /* messages per burst */
	size_t size;	    /* body bytes */
	bool auto_send;
	bool sent_auto;
	unsigned int sent; /* messages queued so far */
	unsigned int own;  /* own messages delivered back */
	/* last printed DC state */
	int dc_known;
	bool was_dc;
	uint32_t dc_node;
	bool quorate;
	struct fo_ring_id dc_ring;
};

static void __attribute__((format(printf, 3, 4)))
probe_line(struct probe *p, const char *event, const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(p->out, "%lld%09ld %s ", (long long)ts.tv_sec, ts.tv_nsec,
		event);
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
	fputc('\n', p->out);
	fflush(p->out);
}

static void probe_send_burst(struct probe *p);

/* Print a dc line when the DC state changed; -a: send once quorate. */
static void
probe_dc_check(struct probe *p)
{
	struct cluster_view v;
	bool is_dc = cluster_is_dc(p->cl);
	uint32_t dc = cluster_dc_nodeid(p->cl);
	bool q = cluster_quorate(p->cl);

	cluster_view(p->cl, &v);
	if (!p->dc_known || is_dc != p->was_dc || dc != p->dc_node ||
	    q != p->quorate || v.ring.nodeid != p->dc_ring.nodeid ||
	    v.ring.seq != p->dc_ring.seq) {
		p->dc_known = 1;
		p->was_dc = is_dc;
		p->dc_node = dc;
		p->quorate = q;
		p->dc_ring = v.ring;
		probe_line(
			p, "dc",
			"is_dc=%d dc=%u quorate=%d ring=%u.%" G_GUINT64_FORMAT,
			is_dc, dc, q, v.ring.nodeid, v.ring.seq);
	}
	if (p->auto_send && !p->sent_auto && q) {
		p->sent_auto = true;
		probe_send_burst(p);
	}
}

static void
probe_stats(struct probe *p)
{
	struct cluster_stats st;

	cluster_stats(p->cl, &st);
	probe_line(p, "stats",
		   "sent=%" G_GUINT64_FORMAT " try_again=%" G_GUINT64_FORMAT
		   " max_stall_ms=%" G_GUINT64_FORMAT
		   " dropped=%" G_GUINT64_FORMAT " queued=%u reconnects=%u"
		   " batched=%" G_GUINT64_FORMAT " deflated=%" G_GUINT64_FORMAT
		   ":%" G_GUINT64_FORMAT,
		   st.sent, st.try_again, st.max_stall_ms, st.dropped,
		   st.queued, st.reconnects, st.batched, st.deflated_in,
		   st.deflated_out);
}

static void
probe_send_burst(struct probe *p)
{
	uint32_t self = cluster_local_nodeid(p->cl);
	unsigned int i, ok = 0;
	GString *b;
	int rc = 0;

	for (i = 0; i < p->burst; i++) {
		b = g_string_new(NULL);
		g_string_printf(b, "fo-probe %u %u", self, p->sent + i);
		/* letters from a linear congruential generator: a body that
		 * compresses only to about 60%, so a big one still goes in
		 * chunks after compression */
		for (guint32 x = (guint32)b->len; b->len < p->size;) {
			x = (x * 1103515245u + 12345u) & 0x7fffffffu;
			g_string_append_c(b, (char)('a' + (x >> 16) % 26));
		}
		g_string_truncate(b, MAX(p->size, 1));
		rc = cluster_send(p->cl, PROBE_MSG_TYPE, b->str, b->len);
		g_string_free(b, TRUE);
		if (rc != 0)
			break;
		ok++;
	}
	p->sent += ok;
	probe_line(p, "sent", "count=%u total=%u rc=%d%s%s", ok, p->sent, rc,
		   rc ? " error=" : "", rc ? fo_strerror(rc) : "");
}

static void
probe_membership(struct cluster *cl, const struct cluster_view *v, void *data)
{
	struct probe *p = data;
	GString *s = g_string_new(NULL);
	size_t i;

	(void)cl;
	for (i = 0; i < v->n_members; i++)
		g_string_append_printf(s, "%s%u:%u", i ? "," : "",
				       v->members[i].nodeid, v->members[i].pid);
	probe_line(p, "view", "ring=%u.%" G_GUINT64_FORMAT " n=%zu members=%s",
		   v->ring.nodeid, v->ring.seq, v->n_members,
		   s->len ? s->str : "-");
	g_string_free(s, TRUE);
	probe_dc_check(p);
}

static void
probe_quorum(struct cluster *cl, bool quorate, const struct fo_ring_id *ring,
	     void *data)
{
	struct probe *p = data;

	(void)cl;
	probe_line(p, "quorum", "quorate=%d ring=%u.%" G_GUINT64_FORMAT,
		   quorate, ring->nodeid, ring->seq);
	probe_dc_check(p);
}

static void
probe_deliver(struct cluster *cl, const struct cluster_member *from,
	      const struct fo_msg_hdr *hdr, const uint8_t *body, void *data)
{
	struct probe *p = data;
	char *sum = NULL, head[48];
	size_t i, n = MIN(hdr->body_len, sizeof(head) - 1);

	(void)cl;
	for (i = 0; i < n; i++) {
		head[i] = body[i] >= 0x21 && body[i] < 0x7f ? body[i] : '_';
	}
	head[n] = '\0';
	if (body)
		sum = g_compute_checksum_for_data(G_CHECKSUM_MD5, body,
						  hdr->body_len);
	probe_line(p, "recv",
		   "from=%u:%u seq=%" G_GUINT64_FORMAT
		   " ring=%u.%" G_GUINT64_FORMAT
		   " type=%u len=%u md5=%s head=%s",
		   from->nodeid, from->pid, hdr->seq, hdr->ring.nodeid,
		   hdr->ring.seq, hdr->type, hdr->body_len, sum ? sum : "-",
		   n ? head : "-");
	g_free(sum);
	if (from->nodeid == cluster_local_nodeid(p->cl) &&
	    from->pid == (uint32_t)getpid() && ++p->own == p->sent)
		probe_stats(p); /* the whole burst came back */
}

static gboolean
probe_on_usr1(gpointer data)
{
	probe_send_burst(data);
	return G_SOURCE_CONTINUE;
}

static gboolean
probe_on_term(gpointer data)
{
	struct probe *p = data;

	g_main_loop_quit(p->loop);
	return G_SOURCE_CONTINUE;
}

static void
probe_usage(FILE *f)
{
	fprintf(f,
		"usage: cpg-probe [-a] [-d] [-g GROUP] [-n COUNT] [-o FILE] "
		"[-s SIZE]\n"
		"  -o FILE   write event lines to FILE (default stdout)\n"
		"  -n COUNT  messages per burst (SIGUSR1 sends a burst)\n"
		"  -s SIZE   body size in bytes (default 64; above 983040 the\n"
		"            body travels in chunks)\n"
		"  -a        send one burst on the first quorate view\n"
		"  -g GROUP  CPG group (default fo-crmd)\n"
		"  -d        debug log on stderr\n");
}

int
main(int argc, char **argv)
{
	struct probe p = {.size = 64};
	struct cluster_options opt = {0};
	struct cluster_callbacks cb = {
		.membership = probe_membership,
		.deliver = probe_deliver,
		.quorum = probe_quorum,
	};
	const char *outfile = NULL;
	int c, debug = 0;

	while ((c = getopt(argc, argv, "adg:hn:o:s:")) != -1) {
		switch (c) {
		case 'a':
			p.auto_send = true;
			break;
		case 'd':
			debug++;
			break;
		case 'g':
			opt.group = optarg;
			break;
		case 'n':
			p.burst = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'o':
			outfile = optarg;
			break;
		case 's':
			p.size = strtoull(optarg, NULL, 10);
			break;
		case 'h':
			probe_usage(stdout);
			return 0;
		default:
			probe_usage(stderr);
			return 2;
		}
	}
	log_init("cpg-probe", true, debug);
	p.out = outfile ? fopen(outfile, "a") : stdout;
	if (p.out == NULL)
		fatal("cannot open %s", outfile);
	signal(SIGPIPE, SIG_IGN);
	p.loop = g_main_loop_new(NULL, FALSE);
	p.cl = cluster_new(&opt, &cb, &p, NULL);
	g_unix_signal_add(SIGUSR1, probe_on_usr1, &p);
	g_unix_signal_add(SIGTERM, probe_on_term, &p);
	g_unix_signal_add(SIGINT, probe_on_term, &p);
	probe_line(&p, "start", "pid=%d", (int)getpid());
	cluster_start(p.cl);
	probe_line(&p, "node", "id=%u name=%s", cluster_local_nodeid(p.cl),
		   cluster_node_name(p.cl, cluster_local_nodeid(p.cl))
			   ? cluster_node_name(p.cl, cluster_local_nodeid(p.cl))
			   : "-");
	g_main_loop_run(p.loop);
	probe_stats(&p);
	cluster_free(p.cl);
	probe_line(&p, "exit", "sent=%u", p.sent);
	g_main_loop_unref(p.loop);
	if (outfile)
		fclose(p.out);
	return 0;
}
