/*
 * control.c - what fo-crmd answers on its control socket.
 *
 * In: a validated envelope whose body is one <request op="..."> element.
 * Out: one <reply rc="N" [error="..."]> with the answer inside. Requests
 * that change the configuration are answered only once the cluster has
 * applied or refused them on every node (crmd_control_change_done). A
 * request the daemon cannot parse gets rc 2 and the reason; it never
 * changes anything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "crmd.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

void
crmd_control_reply(struct ctl_conn *conn, uint64_t seq, int rc,
		   const char *error, xmlNodePtr payload)
{
	xmlDocPtr doc = xmlNewDoc(XC("1.0"));
	xmlNodePtr reply = xmlNewNode(NULL, XC("reply"));
	xmlChar *text = NULL;
	char buf[16];
	int len = 0;

	xmlDocSetRootElement(doc, reply);
	snprintf(buf, sizeof(buf), "%d", rc);
	xmlNewProp(reply, XC("rc"), XC(buf));
	if (error)
		xmlNewProp(reply, XC("error"), XC(error));
	if (payload)
		xmlAddChild(reply, xmlDocCopyNode(payload, doc, 1));
	xmlDocDumpMemory(doc, &text, &len);
	if (ctl_conn_reply(conn, FO_CTL_T_REPLY, seq, text, (size_t)len) != 0)
		log_debug("%s: the client left before its answer", __func__);
	xmlFree(text);
	xmlFreeDoc(doc);
}

static xmlNodePtr
section_of(xmlNodePtr root, const char *name)
{
	if (name == NULL || strcmp(name, "cib") == 0)
		return root;
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, name) == 0)
			return c;
		if (strcmp((const char *)c->name, "configuration") == 0)
			for (xmlNodePtr s = c->children; s; s = s->next)
				if (s->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)s->name, name) == 0)
					return s;
	}
	return NULL;
}

static void
req_cib_query(struct crmd *d, struct ctl_conn *conn, uint64_t seq,
	      xmlNodePtr req)
{
	g_autofree char *section = (char *)xmlGetProp(req, XC("section"));
	xmlNodePtr copy = cib_repl_copy(d->cib);
	xmlNodePtr n = section_of(copy, section);

	if (n == NULL) {
		g_autofree char *e = g_strdup_printf("no section '%s' in the "
						     "CIB",
						     section);

		crmd_control_reply(conn, seq, 1, e, NULL);
	} else {
		crmd_control_reply(conn, seq, 0, NULL, n);
	}
	xmlFreeNode(copy);
	crmd_trim_now(d);
}

#define CHANGE_TRIES 5

/*
 * Send a tool's change to the cluster. When the membership changes under
 * it (or the copy is being synced) it waits for the next sync and is sent
 * again, up to CHANGE_TRIES times: the tool sees one answer. Takes @p.
 */
static void
pending_send(struct crmd *d, struct crmd_pending *p)
{
	uint64_t id = ++d->next_req;
	int rc = cib_repl_request_change(d->cib, id, p->change);

	p->tries++;
	p->seq_req = id;
	if (rc == -EAGAIN && p->tries < CHANGE_TRIES) {
		/* wait for the sync (under an unused key) */
		p->seq_req = 0;
		rc = 0;
	}
	if (rc == -FO_ENOQUORUM) {
		crmd_control_reply(p->conn, p->seq, 1,
				   "this partition has no quorum, "
				   "so the configuration cannot change; "
				   "nothing was changed",
				   NULL);
	} else if (rc == -EAGAIN) {
		crmd_control_reply(p->conn, p->seq, 1,
				   "the cluster kept synchronising its "
				   "configuration; nothing was changed, "
				   "try again in a moment",
				   NULL);
	} else if (rc != 0) {
		crmd_control_reply(p->conn, p->seq, 1, fo_strerror(rc), NULL);
	} else {
		g_hash_table_insert(d->pending, g_memdup2(&id, sizeof(id)), p);
		return;
	}
	ctl_conn_unref(p->conn);
	xmlFreeNode(p->change);
	g_free(p);
}

/* After a sync: send again the changes that a view change overtook. */
void
crmd_control_retry(struct crmd *d)
{
	GHashTableIter it;
	gpointer k, v;
	GPtrArray *again;

	if (d->cib == NULL || !cib_repl_synced(d->cib))
		return;
	again = g_ptr_array_new();
	g_hash_table_iter_init(&it, d->pending);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct crmd_pending *p = v;

		if (p->seq_req == 0) {
			g_ptr_array_add(again, p);
			g_hash_table_iter_steal(&it);
			g_free(k);
		}
	}
	for (guint i = 0; i < again->len; i++)
		pending_send(d, again->pdata[i]);
	g_ptr_array_free(again, TRUE);
}

static void
req_cib_change(struct crmd *d, struct ctl_conn *conn, uint64_t seq,
	       xmlNodePtr req)
{
	struct crmd_pending *p;
	xmlNodePtr change = NULL;

	for (xmlNodePtr c = req->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "change") == 0)
			change = c;
	if (change == NULL) {
		crmd_control_reply(conn, seq, 2, "cib-change without <change>",
				   NULL);
		return;
	}
	p = g_new0(struct crmd_pending, 1);
	p->conn = ctl_conn_ref(conn);
	p->seq = seq;
	p->change = xmlCopyNode(change, 1);
	pending_send(d, p);
}

void
crmd_control_change_done(struct crmd *d, uint64_t req, int rc, const char *why)
{
	struct crmd_pending *p = g_hash_table_lookup(d->pending, &req);
	gpointer key = NULL;

	if (p == NULL)
		return;
	if (rc == -EAGAIN && p->tries < CHANGE_TRIES &&
	    g_hash_table_steal_extended(d->pending, &req, &key, NULL)) {
		/* the membership changed before it applied: once more */
		g_free(key);
		log_info("control: a change was overtaken by a membership "
			 "change; sending it again after the sync");
		p->seq_req = 0;
		req = ++d->next_req; /* an unused key while it waits */
		g_hash_table_insert(d->pending, g_memdup2(&req, sizeof(req)),
				    p);
		crmd_control_retry(d);
		return;
	}
	crmd_control_reply(p->conn, p->seq, rc == 0 ? 0 : 1, why, NULL);
	g_hash_table_remove(d->pending, &req);
}

static void
req_cib_history(struct crmd *d, struct ctl_conn *conn, uint64_t seq)
{
	xmlNodePtr list = xmlNewNode(NULL, XC("history"));
	GArray *h = NULL;
	int rc = cib_store_history(d->store, &h);

	for (guint i = 0; rc == 0 && i < h->len; i++) {
		const struct cib_store_entry *e =
			&g_array_index(h, struct cib_store_entry, i);
		xmlNodePtr v = xmlNewChild(list, NULL, XC("version"), NULL);
		char buf[32];

		snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, e->serial);
		xmlNewProp(v, XC("serial"), XC(buf));
		snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, e->mtime);
		xmlNewProp(v, XC("time"), XC(buf));
		snprintf(buf, sizeof(buf), "%zu", e->size);
		xmlNewProp(v, XC("size"), XC(buf));
		xmlNewProp(v, XC("valid"), XC(e->valid ? "true" : "false"));
	}
	if (h)
		g_array_unref(h);
	crmd_control_reply(conn, seq, rc == 0 ? 0 : 1,
			   rc == 0 ? NULL : fo_strerror(rc), list);
	xmlFreeNode(list);
}

static void
req_cib_version(struct crmd *d, struct ctl_conn *conn, uint64_t seq,
		xmlNodePtr req)
{
	g_autofree char *s = (char *)xmlGetProp(req, XC("serial"));
	g_autofree char *xml = NULL;
	xmlDocPtr doc = NULL;
	size_t len = 0;
	int rc;

	if (s == NULL) {
		crmd_control_reply(conn, seq, 2,
				   "cib-version needs serial=", NULL);
		return;
	}
	rc = cib_store_load_serial(d->store, g_ascii_strtoull(s, NULL, 10),
				   &xml, &len);
	if (rc == 0)
		doc = xmlReadMemory(xml, (int)len, "store", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOBLANKS |
					    XML_PARSE_HUGE);
	if (doc == NULL) {
		g_autofree char *e = g_strdup_printf(
			"version %s: %s", s,
			rc == -ENOENT ? "no such version (see fo-cib history)"
				      : fo_strerror(rc ? rc : -FO_ESYNTAX));

		crmd_control_reply(conn, seq, 1, e, NULL);
		return;
	}
	crmd_control_reply(conn, seq, 0, NULL, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

static void
req_status(struct crmd *d, struct ctl_conn *conn, uint64_t seq)
{
	xmlNodePtr st = xmlNewNode(NULL, XC("crmd-status"));
	struct cluster_view v;
	char buf[48];

	cluster_view(d->cl, &v);
	snprintf(buf, sizeof(buf), "%" PRIu32, cluster_local_nodeid(d->cl));
	xmlNewProp(st, XC("nodeid"), XC(buf));
	snprintf(buf, sizeof(buf), "%" PRIu32, cluster_dc_nodeid(d->cl));
	xmlNewProp(st, XC("dc"), XC(buf));
	xmlNewProp(st, XC("quorate"),
		   XC(cluster_quorate(d->cl) ? "true" : "false"));
	xmlNewProp(st, XC("synced"),
		   XC(cib_repl_synced(d->cib) ? "true" : "false"));
	snprintf(buf, sizeof(buf), "%" PRIu32 ".%" PRIu64, v.ring.nodeid,
		 v.ring.seq);
	xmlNewProp(st, XC("ring"), XC(buf));
	if (d->te && cluster_is_dc(d->cl)) {
		snprintf(buf, sizeof(buf), "%d", te_transition(d->te));
		xmlNewProp(st, XC("transition"), XC(buf));
		xmlNewProp(st, XC("idle"),
			   XC(te_idle(d->te) ? "true" : "false"));
	}
	xmlAddChild(st, cib_repl_copy(d->cib));
	crmd_control_reply(conn, seq, 0, NULL, st);
	xmlFreeNode(st);
	crmd_trim_now(d);
}

/* cleanup: every node (or the one named) forgets the resource's history
 * and fail counts; the DC then probes it again. */
static void
req_cleanup(struct crmd *d, struct ctl_conn *conn, uint64_t seq, xmlNodePtr req)
{
	xmlNodePtr c = xmlNewNode(NULL, XC("cleanup"));
	g_autofree char *rsc = (char *)xmlGetProp(req, XC("rsc"));
	g_autofree char *node = (char *)xmlGetProp(req, XC("node"));

	if (rsc)
		xmlNewProp(c, XC("rsc"), XC(rsc));
	if (node)
		xmlNewProp(c, XC("node"), XC(node));
	if (te_send_xml(d->cl, TE_T_CLEANUP, c) != 0)
		crmd_control_reply(conn, seq, 1,
				   "cannot reach the cluster; nothing was "
				   "cleaned up",
				   NULL);
	else
		crmd_control_reply(conn, seq, 0, NULL, c);
	xmlFreeNode(c);
}

static int
wait_ping(struct crmd *d, const char *token)
{
	xmlNodePtr p = xmlNewNode(NULL, XC("ping"));
	int rc;

	xmlNewProp(p, XC("token"), XC(token));
	rc = te_send_xml(d->cl, TE_T_PING, p);
	xmlFreeNode(p);
	return rc;
}

void
crmd_wait_free(gpointer p)
{
	struct crmd_wait *w = p;

	if (w->timer)
		g_source_remove(w->timer);
	ctl_conn_unref(w->conn);
	g_free(w->token);
	g_free(w);
}

static gboolean
wait_timeout(gpointer data)
{
	struct crmd_wait *w = data;

	w->timer = 0;
	crmd_control_reply(w->conn, w->seq, 1,
			   cluster_dc_nodeid(w->d->cl)
				   ? "the cluster did not become idle in time "
				     "(a transition is still running or "
				     "waiting, e.g. for a lost node's "
				     "stop-grace)"
				   : "there is no DC (no quorum?)",
			   NULL);
	g_hash_table_remove(w->d->waits, w->token);
	return G_SOURCE_REMOVE;
}

/* wait-idle: answered when the DC reports idle after this request. */
static void
req_wait_idle(struct crmd *d, struct ctl_conn *conn, uint64_t seq,
	      xmlNodePtr req)
{
	g_autofree char *t = (char *)xmlGetProp(req, XC("timeout-ms"));
	guint64 ms = t ? g_ascii_strtoull(t, NULL, 10) : 60000;
	struct crmd_wait *w = g_new0(struct crmd_wait, 1);

	w->d = d;
	w->conn = ctl_conn_ref(conn);
	w->seq = seq;
	w->token = g_strdup_printf("%" PRIu64, ++d->next_token);
	if (ms == 0 || ms > 24 * 3600 * 1000)
		ms = 60000;
	w->timer = g_timeout_add((guint)ms, wait_timeout, w);
	g_hash_table_replace(d->waits, w->token, w);
	if (wait_ping(d, w->token) != 0)
		log_debug("control: cannot ask the DC yet; asking again at "
			  "the next membership change");
}

void
crmd_wait_answer(struct crmd *d, const char *token, const char *transition)
{
	struct crmd_wait *w = g_hash_table_lookup(d->waits, token);
	xmlNodePtr idle;

	if (w == NULL)
		return;
	idle = xmlNewNode(NULL, XC("idle"));
	xmlNewProp(idle, XC("transition"), XC(transition ? transition : ""));
	crmd_control_reply(w->conn, w->seq, 0, NULL, idle);
	xmlFreeNode(idle);
	g_hash_table_remove(d->waits, token);
}

void
crmd_wait_resend(struct crmd *d)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, d->waits);
	while (g_hash_table_iter_next(&it, &k, NULL))
		wait_ping(d, k);
}

void
crmd_control_request(struct ctl_conn *conn, const struct fo_msg_hdr *hdr,
		     const uint8_t *body, size_t len, void *data)
{
	struct crmd *d = data;
	g_autofree char *op = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr req;

	req = fo_xml_read_msg(body, len, "request", &doc);
	if (req == NULL || strcmp((const char *)req->name, "request") != 0) {
		crmd_control_reply(conn, hdr->seq, 2,
				   "the request is not a "
				   "well-formed <request> element",
				   NULL);
		xmlFreeDoc(doc);
		return;
	}
	op = (char *)xmlGetProp(req, XC("op"));
	if (g_strcmp0(op, "cib-query") == 0)
		req_cib_query(d, conn, hdr->seq, req);
	else if (g_strcmp0(op, "cib-change") == 0)
		req_cib_change(d, conn, hdr->seq, req);
	else if (g_strcmp0(op, "cib-history") == 0)
		req_cib_history(d, conn, hdr->seq);
	else if (g_strcmp0(op, "cib-version") == 0)
		req_cib_version(d, conn, hdr->seq, req);
	else if (g_strcmp0(op, "status") == 0)
		req_status(d, conn, hdr->seq);
	else if (g_strcmp0(op, "cleanup") == 0)
		req_cleanup(d, conn, hdr->seq, req);
	else if (g_strcmp0(op, "wait-idle") == 0)
		req_wait_idle(d, conn, hdr->seq, req);
	else {
		g_autofree char *e =
			g_strdup_printf("unknown request '%s'", op ? op : "");

		crmd_control_reply(conn, hdr->seq, 2, e, NULL);
	}
	xmlFreeDoc(doc);
}
