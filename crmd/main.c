/*
 * main.c - fo-crmd: the daemon that runs on every node.
 *
 * Wires the stages onto one GLib main loop: the cluster layer (corosync
 * membership, messages, quorum) feeds the replicated CIB, which persists
 * its configuration in the on-disk store; on the DC the transition engine
 * runs the policy engine on it and sends actions; every node's local
 * resource manager runs them with the executor and writes the results
 * back; the control socket serves the tools. Without quorum the node
 * stops its resources itself; on SIGTERM it hands them over, then leaves.
 * The daemon is a child subreaper so that daemons started by resource
 * agents are reaped by it when they exit. Only this file exits.
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "crmd.h"
#include "config.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

#define STORE_KEEP 20
#define LEAVE_WAIT_MS 5000  /* own expected=down status coming back */
#define SHUTDOWN_WAIT_S 300 /* the DC moving our resources away */
#define EXEC_PARALLEL 64    /* a node stops everything at once */

static xmlDocPtr initial_doc;

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: fo-crmd [-f] [-d]... [-n] [-s DIR] [-S SOCKET]\n"
		"  -f, --foreground   stay in the foreground, log to stderr\n"
		"  -d, --debug        more log detail (repeat for more)\n"
		"  -n, --check        check the stored configuration and exit\n"
		"  -s, --state-dir D  state directory (default %s)\n"
		"  -S, --socket P     control socket (default %s)\n"
		"  -h, --help         this text\n"
		"Exit codes: 0 ok, 1 error, 2 usage.\n",
		FO_STATE_DIR, FO_RUN_DIR "/crmd.sock");
}

/* The store's validator: well-formed, a <cib>, inside the subset. */
static int
validate_stored(const char *xml, size_t len, char **why, void *data)
{
	xmlDocPtr doc;
	int rc;

	(void)data;
	doc = xmlReadMemory(xml, (int)len, "cib.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				    XML_PARSE_HUGE | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		*why = g_strdup("not well-formed XML");
		xmlFreeDoc(doc);
		return -FO_ESYNTAX;
	}
	rc = crmd_config_validate(doc, why, NULL);
	xmlFreeDoc(doc);
	return rc;
}

static int
load_config(struct crmd *d)
{
	g_autofree char *xml = NULL;
	unsigned bad = 0;
	size_t len = 0;
	int rc;

	rc = cib_store_load(d->store, validate_stored, NULL, &xml, &len, &bad);
	if (bad)
		log_warnx("%s: %u stored version(s) were bad and set aside; "
			  "the configuration will come from the peers",
			  __func__, bad);
	if (rc == -ENOENT) {
		log_info("%s: no stored configuration in %s; starting empty",
			 __func__, d->state_dir);
		return bad ? 1 : 0;
	}
	if (rc != 0) {
		log_warnx("%s: cannot read the stored configuration: %s",
			  __func__, fo_strerror(rc));
		return -1;
	}
	initial_doc = xmlReadMemory(xml, (int)len, "cib.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOBLANKS |
					    XML_PARSE_HUGE);
	log_info("%s: loaded the stored configuration (%zu bytes)", __func__,
		 len);
	return bad ? 1 : 0;
}

static int
cib_send(uint16_t type, const void *body, size_t len, void *data)
{
	struct crmd *d = data;

	return cluster_send(d->cl, type, body, len);
}

static void
cib_persist(const char *xml, size_t len, void *data)
{
	struct crmd *d = data;
	guint64 serial = 0;
	int rc = cib_store_save(d->store, xml, len, &serial);

	if (rc != 0)
		log_warnx("cib: cannot persist the configuration in %s: %s; "
			  "it stays in memory and on the peers",
			  d->state_dir, fo_strerror(rc));
	else
		log_debug("cib: configuration saved as version "
			  "%" G_GUINT64_FORMAT,
			  serial);
}

/* Is there a <node id="ID"> in the configuration's <nodes>? */
static bool
config_has_node(xmlDocPtr doc, uint32_t nodeid)
{
	char id[16];

	snprintf(id, sizeof(id), "%" PRIu32, nodeid);
	for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c;
	     c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "configuration") != 0)
			continue;
		for (xmlNodePtr s = c->children; s; s = s->next) {
			if (s->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)s->name, "nodes") != 0)
				continue;
			for (xmlNodePtr n = s->children; n; n = n->next) {
				xmlChar *v = xmlGetProp(n, XC("id"));
				bool hit =
					v && strcmp((const char *)v, id) == 0;

				xmlFree(v);
				if (hit)
					return true;
			}
		}
	}
	return false;
}

/*
 * The DC makes sure every member is listed in <nodes> (id = corosync node
 * id, uname = its nodelist name), so node attributes (standby, ...) and
 * the policy engine can refer to it. One change at a time.
 */
static void
dc_register_nodes(struct crmd *d)
{
	struct cluster_view v;
	xmlNodePtr change;
	bool any = false;
	int rc;

	if (d->nodes_req || d->cib == NULL || !cib_repl_synced(d->cib) ||
	    !cluster_is_dc(d->cl))
		return;
	change = xmlNewNode(NULL, XC("change"));
	cluster_view(d->cl, &v);
	for (size_t i = 0; i < v.n_members; i++) {
		uint32_t id = v.members[i].nodeid;
		const char *name = cluster_node_name(d->cl, id);
		xmlNodePtr put, node;
		char buf[16];

		if (name == NULL || config_has_node(cib_repl_doc(d->cib), id) ||
		    (i > 0 && v.members[i - 1].nodeid == id))
			continue;
		put = xmlNewChild(change, NULL, XC("put"), NULL);
		xmlNewProp(put, XC("section"), XC("nodes"));
		node = xmlNewChild(put, NULL, XC("node"), NULL);
		snprintf(buf, sizeof(buf), "%" PRIu32, id);
		xmlNewProp(node, XC("id"), XC(buf));
		xmlNewProp(node, XC("uname"), XC(name));
		any = true;
	}
	if (any) {
		d->nodes_req = ++d->next_req;
		rc = cib_repl_request_change(d->cib, d->nodes_req, change);
		if (rc != 0) {
			log_debug("dc: cannot add nodes yet: %s",
				  fo_strerror(rc));
			d->nodes_req = 0;
		} else {
			log_info("dc: adding new member(s) to <nodes>");
		}
	}
	xmlFreeNode(change);
}

#define TRIM_QUIET_MS 1000 /* trim once no event came for this long */
#define TRIM_MAX_MS 10000  /* but at the latest this long after the first */

static gboolean
trim_heap(gpointer data)
{
	struct crmd *d = data;
	gint64 now = g_get_monotonic_time();
	gint64 due = MIN(d->trim_last + TRIM_QUIET_MS * 1000,
			 d->trim_first + TRIM_MAX_MS * 1000);

	d->trim_src = 0;
	if (now < due) {
		d->trim_src = g_timeout_add((guint)((due - now + 999) / 1000),
					    trim_heap, d);
		return G_SOURCE_REMOVE;
	}
	d->trim_first = 0;
	malloc_trim(0);
	return G_SOURCE_REMOVE;
}

/* malloc_trim once fo-crmd has been quiet for a second: a failover, a
 * configuration load or a round of monitors is a burst of work, and what
 * the burst freed is given back after its last event. One timer: an event
 * only notes its time. */
static void
trim_soon(struct crmd *d)
{
	d->trim_last = g_get_monotonic_time();
	if (d->trim_first == 0)
		d->trim_first = d->trim_last;
	if (d->trim_src == 0)
		d->trim_src = g_timeout_add(TRIM_QUIET_MS, trim_heap, d);
}

/* The main loop's poll: every wake-up with an event (a message, a socket,
 * an agent's exit or output) is work that may leave freed pages behind.
 * A timer's wake-up (poll returns 0) is not, so the trim timer does not
 * re-arm itself. */
static GPollFunc default_poll;
static struct crmd *poll_crmd;

static gint
crmd_poll(GPollFD *fds, guint nfds, gint timeout)
{
	gint n = default_poll(fds, nfds, timeout);

	if (n > 0)
		trim_soon(poll_crmd);
	return n;
}

void
crmd_trim_now(struct crmd *d)
{
	if (d->trim_src) {
		g_source_remove(d->trim_src);
		d->trim_src = 0;
	}
	d->trim_first = 0;
	malloc_trim(0);
}

static void
cib_changed(unsigned what, void *data)
{
	struct crmd *d = data;

	log_debug("cib: changed (%s%s)",
		  what & CIB_CHANGED_CONFIG ? "configuration " : "",
		  what & CIB_CHANGED_STATUS ? "status" : "");
	dc_register_nodes(d);
	crmd_control_retry(d);
	if ((what & CIB_CHANGED_CONFIG) && d->te)
		te_trigger(d->te, true, "the CIB changed or was synced");
}

static xmlNodePtr
cib_local_status(void *data)
{
	struct crmd *d = data;

	if (d->lrm == NULL)
		return NULL;
	return lrm_status(d->lrm, cluster_local_nodeid(d->cl),
			  d->leaving ? "down" : "member");
}

/* ---- the local resource manager's callbacks ---- */

static int
lrm_send_history(xmlNodePtr rsc, void *data)
{
	struct crmd *d = data;

	return d->cib ? cib_repl_send_op(d->cib, rsc) : -ENOTCONN;
}

static int
lrm_send_forget(const char *rsc, void *data)
{
	struct crmd *d = data;

	return d->cib ? cib_repl_send_forget(d->cib, rsc) : -ENOTCONN;
}

static int
lrm_send_attr(const char *name, const char *value, void *data)
{
	struct crmd *d = data;

	return d->cib ? cib_repl_send_attr(d->cib, name, value) : -ENOTCONN;
}

static bool
lrm_start_fatal(void *data)
{
	struct crmd *d = data;
	const char *v =
		d->cib ? cib_repl_option(d->cib, "start-failure-is-fatal")
		       : NULL;

	return v == NULL || g_ascii_strcasecmp(v, "false") != 0;
}

static gboolean
leave_timeout(gpointer data)
{
	struct crmd *d = data;

	d->leave_src = 0;
	log_warnx("main: my shutdown status did not come back in time; "
		  "leaving anyway");
	g_main_loop_quit(d->loop);
	return G_SOURCE_REMOVE;
}

/* Announce expected=down, and quit when that message is delivered. */
static void
finish_leave(struct crmd *d)
{
	if (d->leaving)
		return;
	d->leaving = true;
	if (d->leave_src)
		g_source_remove(d->leave_src);
	d->leave_src = 0;
	if (d->cib == NULL || !cluster_connected(d->cl)) {
		g_main_loop_quit(d->loop);
		return;
	}
	log_info("main: my resources are stopped; leaving the cluster");
	cib_repl_announce(d->cib);
	d->leave_src = g_timeout_add(LEAVE_WAIT_MS, leave_timeout, d);
}

static void
lrm_shutdown(void *data)
{
	struct crmd *d = data;

	if (!d->stopping) {
		log_warnx("main: the DC asked this node to shut down, but "
			  "nobody asked it to stop; ignored");
		return;
	}
	finish_leave(d);
}

static void
lrm_all_stopped(void *data)
{
	struct crmd *d = data;

	log_info("main: every resource here is stopped");
	if (d->stopping)
		finish_leave(d);
}

static gboolean
shutdown_fallback(gpointer data)
{
	struct crmd *d = data;

	d->leave_src = 0;
	log_warnx("main: the DC did not move my resources within %d s; "
		  "stopping them here",
		  SHUTDOWN_WAIT_S);
	lrm_stop_all(d->lrm, "shutdown without the DC");
	return G_SOURCE_REMOVE;
}

static void
start_executor(struct crmd *d)
{
	static const struct lrm_callbacks lcb = {
		.send_history = lrm_send_history,
		.send_forget = lrm_send_forget,
		.send_attr = lrm_send_attr,
		.shutdown = lrm_shutdown,
		.all_stopped = lrm_all_stopped,
		.start_failure_fatal = lrm_start_fatal,
	};
	struct exec_config ec = {0};
	g_autofree char *leaf = NULL;
	const char *name =
		cluster_node_name(d->cl, cluster_local_nodeid(d->cl));
	int err = 0;

	/* one cgroup per cluster and node: two clusters on one host (tests,
	 * a demo) never share a resource's cgroup */
	leaf = g_strdup_printf("fo-%s-%s",
			       cluster_name(d->cl) ? cluster_name(d->cl)
						   : "cluster",
			       name ? name : "node");
	g_strdelimit(leaf, "/ ", '_');
	ec.node_name = name;
	ec.cgroup_leaf = leaf;
	ec.max_parallel = EXEC_PARALLEL;
	d->exec = exec_new(NULL, &ec, &err);
	if (d->exec == NULL)
		fatalx("main: cannot start the executor: %s", fo_strerror(err));
	d->lrm = lrm_new(d->exec, name ? name : "localhost", &lcb, d);
	log_info("main: executor ready (OCF root %s, %s)",
		 exec_ocf_root(d->exec),
		 exec_cgroup_base(d->exec) ? exec_cgroup_base(d->exec)
					   : "process groups, no cgroup");
}

static void
cib_done(uint64_t req, int rc, const char *why, void *data)
{
	struct crmd *d = data;

	if (req == d->nodes_req) {
		d->nodes_req = 0;
		if (rc != 0)
			log_warnx("dc: adding members to <nodes> failed: %s",
				  why ? why : fo_strerror(rc));
		dc_register_nodes(d);
		return;
	}
	crmd_control_change_done(d, req, rc, why);
}

static void
on_membership(struct cluster *cl, const struct cluster_view *v, void *data)
{
	struct crmd *d = data;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GArray *names = g_array_new(FALSE, FALSE, sizeof(const char *));

	if (d->cib == NULL && v->n_members > 0) {
		static const struct cib_repl_callbacks cb = {
			.send = cib_send,
			.validate = crmd_config_validate,
			.persist = cib_persist,
			.local_status = cib_local_status,
			.changed = cib_changed,
			.request_done = cib_done,
		};

		start_executor(d);
		d->cib = cib_repl_new(cluster_local_nodeid(cl), initial_doc,
				      &cb, d);
		initial_doc = NULL;
		d->te = te_new(cl, d->cib);
	}
	for (size_t i = 0; i < v->n_members; i++) {
		uint32_t id = v->members[i].nodeid;

		if (ids->len &&
		    g_array_index(ids, uint32_t, ids->len - 1) == id)
			continue;
		g_array_append_val(ids, id);
		const char *name = cluster_node_name(cl, id);

		g_array_append_val(names, name);
	}
	log_info("membership: ring %" PRIu32 ".%" PRIu64 ", %u node(s)",
		 v->ring.nodeid, v->ring.seq, ids->len);
	if (d->cib)
		cib_repl_membership(
			d->cib, &v->ring, (const uint32_t *)(void *)ids->data,
			ids->len, (const char *const *)(void *)names->data);
	/* corosync may have told us the quorum of this ring before the
	 * view itself (or before the replica existed) */
	if (d->cib && cluster_quorate(cl))
		cib_repl_quorum(d->cib, &v->ring, true);
	if (d->te)
		te_membership(d->te);
	crmd_wait_resend(d);
	g_array_unref(ids);
	g_array_unref(names);
}

/* A TE_T_* message: an action for us, a cleanup, an idle answer. */
static void
on_te_message(struct crmd *d, uint32_t sender, const struct fo_msg_hdr *hdr,
	      const uint8_t *body)
{
	xmlDocPtr doc;
	xmlNodePtr root = fo_xml_read_msg(body, hdr->body_len, "cpg", &doc);
	uint32_t me = cluster_local_nodeid(d->cl);
	char mine[16];

	snprintf(mine, sizeof(mine), "%" PRIu32, me);
	if (root == NULL) {
		log_warnx("cpg: message 0x%x from node %" PRIu32
			  " is not well-formed XML; dropped",
			  hdr->type, sender);
		xmlFreeDoc(doc);
		return;
	}
	switch (hdr->type) {
	case TE_T_ACTION: {
		g_autofree char *on =
			(char *)xmlGetProp(root, XC("on_node_uuid"));

		if (g_strcmp0(on, mine) != 0 || d->lrm == NULL)
			break;
		if (!cluster_msg_current(d->cl, hdr) ||
		    sender != cluster_dc_nodeid(d->cl)) {
			log_info("lrm: action from node %" PRIu32
				 " sent in an earlier view or not by the "
				 "DC; dropped",
				 sender);
			break;
		}
		lrm_action(d->lrm, root);
		break;
	}
	case TE_T_CLEANUP: {
		g_autofree char *rsc = (char *)xmlGetProp(root, XC("rsc"));
		g_autofree char *node = (char *)xmlGetProp(root, XC("node"));
		const char *name = cluster_node_name(d->cl, me);

		if (d->lrm && (node == NULL || g_strcmp0(node, name) == 0 ||
			       g_strcmp0(node, mine) == 0))
			lrm_cleanup(d->lrm, rsc);
		break;
	}
	case TE_T_PING:
		if (d->te)
			te_delivered(d->te, sender, hdr, body, hdr->body_len);
		break;
	case TE_T_IDLE: {
		g_autofree char *to = (char *)xmlGetProp(root, XC("to"));
		g_autofree char *tok = (char *)xmlGetProp(root, XC("token"));
		g_autofree char *tr =
			(char *)xmlGetProp(root, XC("transition"));

		if (g_strcmp0(to, mine) == 0 && tok)
			crmd_wait_answer(d, tok, tr);
		break;
	}
	default:
		break;
	}
	xmlFreeDoc(doc);
}

static void
on_deliver(struct cluster *cl, const struct cluster_member *from,
	   const struct fo_msg_hdr *hdr, const uint8_t *body, void *data)
{
	struct crmd *d = data;

	(void)cl;
	if (d->cib && cib_repl_is_type(hdr->type)) {
		cib_repl_deliver(d->cib, from->nodeid, hdr, body,
				 hdr->body_len);
		if (d->te)
			te_delivered(d->te, from->nodeid, hdr, body,
				     hdr->body_len);
		if (d->leaving && hdr->type == CIB_T_STATUS &&
		    from->nodeid == cluster_local_nodeid(d->cl)) {
			log_info("main: the cluster knows I am leaving");
			g_main_loop_quit(d->loop);
		}
	} else if (te_is_type(hdr->type))
		on_te_message(d, from->nodeid, hdr, body);
	else
		log_debug("cpg: message type 0x%x from node %" PRIu32
			  " not handled here",
			  hdr->type, from->nodeid);
}

static void
on_quorum(struct cluster *cl, bool quorate, const struct fo_ring_id *ring,
	  void *data)
{
	struct crmd *d = data;

	(void)cl;
	log_info("quorum: %s in ring %" PRIu32 ".%" PRIu64,
		 quorate ? "quorate" : "NOT quorate", ring->nodeid, ring->seq);
	if (d->cib) {
		cib_repl_quorum(d->cib, ring, quorate);
		dc_register_nodes(d);
	}
	if (d->te)
		te_trigger(d->te, true, "quorum changed");
	if (!quorate && d->stopping && !d->leaving && d->lrm) {
		/* shutting down and no DC can finish it: do it here */
		if (lrm_active(d->lrm) == 0)
			finish_leave(d);
		else
			lrm_stop_all(d->lrm, "shutdown without quorum");
	} else if (!quorate && d->lrm && lrm_active(d->lrm) > 0) {
		const char *p =
			d->cib ? cib_repl_option(d->cib, "no-quorum-policy")
			       : NULL;

		if (p == NULL || strcmp(p, "stop") == 0)
			lrm_stop_all(d->lrm, "lost quorum "
					     "(no-quorum-policy=stop)");
		else
			log_info("quorum: lost; no-quorum-policy=%s keeps "
				 "what runs here",
				 p);
	}
}

/* Until the first view, answer the tools that we are not ready. */
static void
control_request(struct ctl_conn *conn, const struct fo_msg_hdr *hdr,
		const uint8_t *body, size_t len, void *data)
{
	struct crmd *d = data;

	if (d->cib == NULL) {
		crmd_control_reply(conn, hdr->seq, 1,
				   "fo-crmd is not connected "
				   "to corosync yet; try again in a moment",
				   NULL);
		return;
	}
	crmd_control_request(conn, hdr, body, len, data);
}

/*
 * SIGTERM: hand the resources over before leaving. With a DC, ask it
 * (transient attribute "shutdown", as Pacemaker does): it stops them here
 * and starts them elsewhere, then sends do_shutdown. Without one, stop
 * them here. Then announce expected=down and leave.
 */
static gboolean
on_stop_signal(gpointer data)
{
	struct crmd *d = data;
	char buf[24];

	if (d->stopping) {
		log_info("main: already stopping");
		return G_SOURCE_CONTINUE;
	}
	d->stopping = true;
	if (d->lrm == NULL || lrm_active(d->lrm) == 0) {
		log_info("main: asked to stop; nothing runs here");
		finish_leave(d);
		return G_SOURCE_CONTINUE;
	}
	if (d->cib && cluster_quorate(d->cl) && cluster_dc_nodeid(d->cl)) {
		log_info("main: asked to stop; asking the DC to move %u "
			 "resource(s) away first",
			 lrm_active(d->lrm));
		snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT,
			 (gint64)time(NULL));
		lrm_set_attr(d->lrm, "shutdown", buf);
		d->leave_src = g_timeout_add_seconds(SHUTDOWN_WAIT_S,
						     shutdown_fallback, d);
	} else {
		lrm_stop_all(d->lrm, "shutdown without a DC");
	}
	return G_SOURCE_CONTINUE;
}

/* SIGCHLD through a signalfd (GLib's signal sources do not take it):
 * agents and the orphans re-parented to us, a child subreaper. */
static gboolean
on_sigchld(gint fd, GIOCondition cond, gpointer data)
{
	struct crmd *d = data;
	struct signalfd_siginfo si;

	(void)cond;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	if (d->exec)
		exec_reap_children(d->exec);
	return G_SOURCE_CONTINUE;
}

static int
sigchld_fd(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	/* agents get an empty mask from the executor before they run */
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd;
}

static void
pending_free(gpointer p)
{
	struct crmd_pending *pd = p;

	ctl_conn_unref(pd->conn);
	xmlFreeNode(pd->change);
	g_free(pd);
}

/* What fo-crmd's CPG traffic was, on the way out. */
static void
log_cluster_stats(const struct cluster *cl)
{
	struct cluster_stats st;

	cluster_stats(cl, &st);
	log_info("main: sent %" G_GUINT64_FORMAT
		 " CPG message(s), %" G_GUINT64_FORMAT
		 " envelope(s) of them in batches; %" G_GUINT64_FORMAT
		 " byte(s) compressed to %" G_GUINT64_FORMAT
		 "; %" G_GUINT64_FORMAT " received message(s) dropped",
		 st.sent, st.batched, st.deflated_in, st.deflated_out,
		 st.dropped);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"foreground", no_argument, NULL, 'f'},
		{"debug", no_argument, NULL, 'd'},
		{"check", no_argument, NULL, 'n'},
		{"state-dir", required_argument, NULL, 's'},
		{"socket", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const struct cluster_callbacks ccb = {
		.membership = on_membership,
		.deliver = on_deliver,
		.quorum = on_quorum,
	};
	struct ctl_server_config cc = {0};
	struct crmd d = {0};
	bool foreground = false, check = false;
	g_autofree char *cibdir = NULL;
	int c, debug = 0, rc, chld;

	while ((c = getopt_long(argc, argv, "fdns:S:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'd':
			debug++;
			break;
		case 'n':
			check = true;
			break;
		case 's':
			d.state_dir = g_strdup(optarg);
			break;
		case 'S':
			cc.path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init("fo-crmd", foreground || check, debug);
	if (d.state_dir == NULL)
		d.state_dir = g_strdup(FO_STATE_DIR);
	cibdir = g_build_filename(d.state_dir, "cib", NULL);
	rc = cib_store_open(cibdir, STORE_KEEP, &d.store);
	if (rc != 0)
		fatalx("main: cannot open the state directory %s: %s", cibdir,
		       fo_strerror(rc));
	rc = load_config(&d);
	if (check) {
		printf("%s\n", rc == 0 ? "configuration OK"
				       : "configuration has problems (see the "
					 "log above)");
		return rc == 0 ? 0 : 1;
	}
	/* before anything can start a thread: they inherit the mask */
	if ((chld = sigchld_fd()) < 0)
		fatal("main: cannot watch SIGCHLD");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		log_warn("main: cannot become a child subreaper");

	d.loop = g_main_loop_new(NULL, FALSE);
	poll_crmd = &d;
	default_poll = g_main_context_get_poll_func(NULL);
	g_main_context_set_poll_func(NULL, crmd_poll);
	d.pending = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					  pending_free);
	d.waits = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					crmd_wait_free);
	if (cc.path == NULL && g_mkdir_with_parents(FO_RUN_DIR, 0750) != 0)
		fatal("main: cannot create %s", FO_RUN_DIR);
	rc = ctl_server_new(NULL, &cc, control_request, &d, &d.ctl);
	if (rc != 0)
		fatalx("main: cannot listen on the control socket %s: %s",
		       cc.path ? cc.path : ctl_default_path(), fo_strerror(rc));
	d.cl = cluster_new(NULL, &ccb, &d, NULL);
	if (cluster_start(d.cl) != 0)
		log_info("main: corosync is not answering yet; retrying");
	g_unix_signal_add(SIGTERM, on_stop_signal, &d);
	g_unix_signal_add(SIGINT, on_stop_signal, &d);
	g_unix_fd_add(chld, G_IO_IN, on_sigchld, &d);
	log_info("main: fo-crmd %s started (state in %s)", PACKAGE_VERSION,
		 d.state_dir);
	g_main_loop_run(d.loop);

	log_cluster_stats(d.cl);
	te_free(d.te);
	cluster_free(d.cl);
	ctl_server_free(d.ctl);
	g_hash_table_destroy(d.pending);
	g_hash_table_destroy(d.waits);
	exec_free(d.exec);
	lrm_free(d.lrm);
	cib_repl_free(d.cib);
	xmlFreeDoc(initial_doc);
	cib_store_free(d.store);
	g_main_loop_unref(d.loop);
	g_free(d.state_dir);
	log_info("main: stopped");
	return 0;
}
