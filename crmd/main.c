/*
 * main.c - fo-crmd: the daemon that runs on every node.
 *
 * Wires the stages onto one GLib main loop: the cluster layer (corosync
 * membership, messages, quorum) feeds the replicated CIB, which persists
 * its configuration in the on-disk store; the control socket serves the
 * tools. The daemon is a child subreaper so that daemons started by
 * resource agents are reaped by it when they exit. Only this file exits.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "crmd.h"
#include "config.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

#define STORE_KEEP 20

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

static void
cib_changed(unsigned what, void *data)
{
	log_debug("cib: changed (%s%s)",
		  what & CIB_CHANGED_CONFIG ? "configuration " : "",
		  what & CIB_CHANGED_STATUS ? "status" : "");
	dc_register_nodes(data);
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
			.changed = cib_changed,
			.request_done = cib_done,
		};

		d->cib = cib_repl_new(cluster_local_nodeid(cl), initial_doc,
				      &cb, d);
		initial_doc = NULL;
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
	g_array_unref(ids);
	g_array_unref(names);
}

static void
on_deliver(struct cluster *cl, const struct cluster_member *from,
	   const struct fo_msg_hdr *hdr, const uint8_t *body, void *data)
{
	struct crmd *d = data;

	(void)cl;
	if (d->cib && cib_repl_is_type(hdr->type))
		cib_repl_deliver(d->cib, from->nodeid, hdr, body,
				 hdr->body_len);
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

static gboolean
on_stop_signal(gpointer data)
{
	struct crmd *d = data;

	log_info("main: asked to stop; leaving the cluster");
	d->stopping = true;
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

static void
pending_free(gpointer p)
{
	struct crmd_pending *pd = p;

	ctl_conn_unref(pd->conn);
	g_free(pd);
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
	int c, debug = 0, rc;

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
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		log_warn("main: cannot become a child subreaper");

	d.loop = g_main_loop_new(NULL, FALSE);
	d.pending = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					  pending_free);
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
	log_info("main: fo-crmd %s started (state in %s)", PACKAGE_VERSION,
		 d.state_dir);
	g_main_loop_run(d.loop);

	cluster_free(d.cl);
	ctl_server_free(d.ctl);
	g_hash_table_destroy(d.pending);
	cib_repl_free(d.cib);
	xmlFreeDoc(initial_doc);
	cib_store_free(d.store);
	g_main_loop_unref(d.loop);
	g_free(d.state_dir);
	log_info("main: stopped");
	return 0;
}
