/*
 * cib_repl.c - the replicated CIB: one copy per node, kept identical by
 * applying the same agreed-order messages in the same order.
 *
 * In: views and quorum from the cluster layer, CIB_T_* messages, local
 * requests. Out: messages through cb.send, the configuration through
 * cb.persist, notifications through cb.changed / cb.request_done.
 * Invariant: every decision depends only on what all members of a view
 * see identically (message contents, sender, ring, the view, and whether
 * the copy was synced at that point of the stream), so the copies never
 * diverge inside a view; a new view always re-synchronises.
 *
 * Memory: the operation histories (<lrm_resource> elements, most of a
 * CIB) are kept out of the tree, each as its own serialization in a
 * per-node table sorted by resource id: a history is only ever replaced
 * whole and written out, and as a libxml2 tree it would cost ten times
 * its text. They go back into the tree only while a copy is written out
 * (hist_fill: one verbatim text node per node, fo_xml_pack's kind), so
 * every dump is the document it always was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "fo/cibrepl.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

struct peer_version {
	uint32_t nodeid;
	bool got;
	bool announced; /* its status arrived since the sync */
	guint64 v[3];
	char digest[65];
};

struct cib_repl {
	uint32_t me;
	xmlDocPtr doc;
	struct cib_repl_callbacks cb;
	void *data;
	struct fo_ring_id ring;
	GArray *peers;	   /* struct peer_version, one per node id */
	GHashTable *names; /* node id -> name, every node ever seen */
	bool synced;
	uint32_t full_from; /* node whose FULL we wait for, 0: none */
	struct fo_ring_id quorum_ring;
	bool quorate;
	GHashTable *hist; /* node id -> GTree: rsc id -> <lrm_resource> text */
};

static const char *const version_attrs[3] = {
	"admin_epoch",
	"epoch",
	"num_updates",
};

static bool
ring_eq(const struct fo_ring_id *a, const struct fo_ring_id *b)
{
	return a->nodeid == b->nodeid && a->seq == b->seq;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name, bool create)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return create ? xmlNewChild(parent, NULL, XC(name), NULL) : NULL;
}

static xmlNodePtr
child_by_id(xmlNodePtr parent, const char *name, const char *id)
{
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		xmlChar *v;
		bool hit;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, name) != 0)
			continue;
		v = xmlGetProp(c, XC("id"));
		hit = v && strcmp((const char *)v, id) == 0;
		xmlFree(v);
		if (hit)
			return c;
	}
	return NULL;
}

static xmlDocPtr
empty_cib(void)
{
	xmlDocPtr doc = xmlNewDoc(XC("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, XC("cib")), cfg;

	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, XC("validate-with"), XC("pacemaker-3.9"));
	for (int i = 0; i < 3; i++)
		xmlNewProp(root, XC(version_attrs[i]), XC("0"));
	cfg = xmlNewChild(root, NULL, XC("configuration"), NULL);
	xmlNewChild(cfg, NULL, XC("crm_config"), NULL);
	xmlNewChild(cfg, NULL, XC("nodes"), NULL);
	xmlNewChild(cfg, NULL, XC("resources"), NULL);
	xmlNewChild(cfg, NULL, XC("constraints"), NULL);
	xmlNewChild(root, NULL, XC("status"), NULL);
	return doc;
}

static guint64
version_get(xmlDocPtr doc, int i)
{
	xmlChar *v =
		xmlGetProp(xmlDocGetRootElement(doc), XC(version_attrs[i]));
	guint64 n = v ? g_ascii_strtoull((const char *)v, NULL, 10) : 0;

	xmlFree(v);
	return n;
}

static void
version_set(xmlDocPtr doc, int i, guint64 n)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, n);
	xmlSetProp(xmlDocGetRootElement(doc), XC(version_attrs[i]), XC(buf));
}

void
cib_repl_version(const struct cib_repl *r, guint64 v[3])
{
	for (int i = 0; i < 3; i++)
		v[i] = version_get(r->doc, i);
}

/* The configuration alone (a <cib> without <status>), for persisting. */
static void
persist(struct cib_repl *r)
{
	xmlDocPtr copy;
	xmlNodePtr status;
	char *text;
	int len = 0;

	if (r->cb.persist == NULL)
		return;
	copy = xmlCopyDoc(r->doc, 1);
	status = child(xmlDocGetRootElement(copy), "status", false);
	if (status) {
		xmlUnlinkNode(status);
		xmlFreeNode(status);
	}
	xmlDocDumpMemory(copy, (xmlChar **)&text, &len);
	r->cb.persist(text, (size_t)len, r->data);
	xmlFree(text);
	xmlFreeDoc(copy);
}

static int
send_node(struct cib_repl *r, uint16_t type, xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();
	int rc;

	xmlNodeDump(buf, node->doc, node, 0, 0);
	rc = r->cb.send(type, xmlBufferContent(buf),
			(size_t)xmlBufferLength(buf), r->data);
	xmlBufferFree(buf);
	return rc;
}

static const char *
node_name(struct cib_repl *r, uint32_t nodeid)
{
	return g_hash_table_lookup(r->names, GUINT_TO_POINTER(nodeid));
}

/* This node's <node_state> in the copy, created when missing. */
static xmlNodePtr
node_state(struct cib_repl *r, uint32_t nodeid)
{
	xmlNodePtr status = child(xmlDocGetRootElement(r->doc), "status", true);
	char id[16];
	xmlNodePtr ns;

	snprintf(id, sizeof(id), "%" PRIu32, nodeid);
	ns = child_by_id(status, "node_state", id);
	if (ns == NULL) {
		const char *name = node_name(r, nodeid);

		ns = xmlNewChild(status, NULL, XC("node_state"), NULL);
		xmlNewProp(ns, XC("id"), XC(id));
		xmlNewProp(ns, XC("uname"), XC(name ? name : id));
	}
	return ns;
}

static uint32_t
node_id_of(xmlNodePtr ns)
{
	const char *id = fo_xml_prop(ns, "id");

	return id ? (uint32_t)g_ascii_strtoull(id, NULL, 10) : 0;
}

static gint
id_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	(void)data;
	return strcmp(a, b);
}

/* Node @nodeid's histories (created when missing and @create). */
static GTree *
hist_of(struct cib_repl *r, uint32_t nodeid, bool create)
{
	GTree *t = g_hash_table_lookup(r->hist, GUINT_TO_POINTER(nodeid));

	if (t == NULL && create) {
		t = g_tree_new_full(id_cmp, NULL, g_free, g_free);
		g_hash_table_insert(r->hist, GUINT_TO_POINTER(nodeid), t);
	}
	return t;
}

/* One resource's history on @nodeid replaces what the copy had. */
static void
hist_put(struct cib_repl *r, uint32_t nodeid, xmlNodePtr lrm_resource)
{
	const char *id = fo_xml_prop(lrm_resource, "id");
	xmlBufferPtr buf;

	if (id == NULL)
		return;
	buf = xmlBufferCreate();
	xmlNodeDump(buf, lrm_resource->doc, lrm_resource, 0, 0);
	g_tree_replace(hist_of(r, nodeid, true), g_strdup(id),
		       g_strndup((const char *)xmlBufferContent(buf),
				 (gsize)xmlBufferLength(buf)));
	xmlBufferFree(buf);
}

/* Take the <lrm> histories out of @ns (a node_state) into node @nodeid's
 * table, which they replace. */
static void
hist_take(struct cib_repl *r, uint32_t nodeid, xmlNodePtr ns)
{
	xmlNodePtr c, next;

	g_hash_table_remove(r->hist, GUINT_TO_POINTER(nodeid));
	for (c = ns->children; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "lrm") != 0)
			continue;
		for (xmlNodePtr list = c->children; list; list = list->next)
			for (xmlNodePtr rsc = list->children; rsc;
			     rsc = rsc->next)
				if (rsc->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)rsc->name,
					   "lrm_resource") == 0)
					hist_put(r, nodeid, rsc);
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

/* Every node_state of a whole document: its histories into the tables. */
static void
hist_take_all(struct cib_repl *r)
{
	xmlNodePtr status = child(xmlDocGetRootElement(r->doc), "status", true);

	g_hash_table_remove_all(r->hist);
	for (xmlNodePtr ns = status->children; ns; ns = ns->next)
		if (ns->type == XML_ELEMENT_NODE)
			hist_take(r, node_id_of(ns), ns);
}

static gboolean
hist_cat(gpointer key, gpointer value, gpointer data)
{
	(void)key;
	g_string_append((GString *)data, value);
	return FALSE;
}

/* Put the histories into the node_states of @root (the copy's document
 * or a copy of it) as <lrm><lrm_resources> with one verbatim text node;
 * hist_unfill() takes them out again. */
static void
hist_fill(struct cib_repl *r, xmlNodePtr root)
{
	xmlNodePtr status = child(root, "status", false);

	for (xmlNodePtr ns = status ? status->children : NULL; ns;
	     ns = ns->next) {
		GTree *t;
		GString *s;
		xmlNodePtr lrm, list, text;

		if (ns->type != XML_ELEMENT_NODE ||
		    (t = hist_of(r, node_id_of(ns), false)) == NULL ||
		    g_tree_nnodes(t) == 0)
			continue;
		lrm = xmlNewChild(ns, NULL, XC("lrm"), NULL);
		xmlNewProp(lrm, XC("id"), XC(fo_xml_prop(ns, "id")));
		list = xmlNewChild(lrm, NULL, XC("lrm_resources"), NULL);
		s = g_string_new(NULL);
		g_tree_foreach(t, hist_cat, s);
		text = fo_xml_verbatim(root->doc, s->str, s->len);
		if (text)
			xmlAddChild(list, text);
		g_string_free(s, TRUE);
	}
}

static void
hist_unfill(xmlNodePtr root)
{
	xmlNodePtr status = child(root, "status", false);

	for (xmlNodePtr ns = status ? status->children : NULL; ns;
	     ns = ns->next) {
		xmlNodePtr lrm = ns->type == XML_ELEMENT_NODE
					 ? child(ns, "lrm", false)
					 : NULL;

		if (lrm) {
			xmlUnlinkNode(lrm);
			xmlFreeNode(lrm);
		}
	}
}

/* The whole copy as text, histories included (xmlFree()). */
static char *
doc_text(struct cib_repl *r, int *len)
{
	xmlChar *buf = NULL;

	hist_fill(r, xmlDocGetRootElement(r->doc));
	xmlDocDumpMemory(r->doc, &buf, len);
	hist_unfill(xmlDocGetRootElement(r->doc));
	return (char *)buf;
}

static void
doc_digest(struct cib_repl *r, char out[65])
{
	int len = 0;
	char *text = doc_text(r, &len);
	g_autofree char *hex = g_compute_checksum_for_data(
		G_CHECKSUM_SHA256, (const guchar *)text, (gsize)len);

	g_strlcpy(out, hex, 65);
	xmlFree(text);
}

static bool
is_member(const struct cib_repl *r, uint32_t nodeid)
{
	for (guint i = 0; i < r->peers->len; i++)
		if (g_array_index(r->peers, struct peer_version, i).nodeid ==
		    nodeid)
			return true;
	return false;
}

/* Membership flags of every node_state, as the current view has them. */
static void
apply_membership(struct cib_repl *r)
{
	xmlNodePtr status = child(xmlDocGetRootElement(r->doc), "status", true);

	for (guint i = 0; i < r->peers->len; i++)
		node_state(
			r,
			g_array_index(r->peers, struct peer_version, i).nodeid);
	for (xmlNodePtr ns = status->children; ns; ns = ns->next) {
		xmlChar *id;
		bool in;

		if (ns->type != XML_ELEMENT_NODE)
			continue;
		id = xmlGetProp(ns, XC("id"));
		in = id && is_member(r, (uint32_t)g_ascii_strtoull(
						(const char *)id, NULL, 10));
		xmlFree(id);
		xmlSetProp(ns, XC("in_ccm"), XC(in ? "true" : "false"));
		xmlSetProp(ns, XC("crmd"), XC(in ? "online" : "offline"));
		xmlSetProp(ns, XC("join"), XC(in ? "member" : "down"));
		if (in)
			xmlSetProp(ns, XC("expected"), XC("member"));
	}
}

struct cib_repl *
cib_repl_new(uint32_t nodeid, xmlDocPtr initial,
	     const struct cib_repl_callbacks *cb, void *data)
{
	struct cib_repl *r = g_new0(struct cib_repl, 1);

	r->me = nodeid;
	r->doc = initial && xmlDocGetRootElement(initial) ? initial
							  : empty_cib();
	if (initial && r->doc != initial)
		xmlFreeDoc(initial);
	r->hist = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					(GDestroyNotify)g_tree_destroy);
	hist_take_all(r);
	cib_config_pack(r->doc, true);
	r->cb = *cb;
	r->data = data;
	r->peers = g_array_new(FALSE, TRUE, sizeof(struct peer_version));
	r->names = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					 g_free);
	return r;
}

void
cib_repl_free(struct cib_repl *r)
{
	if (r == NULL)
		return;
	xmlFreeDoc(r->doc);
	g_hash_table_destroy(r->hist);
	g_array_unref(r->peers);
	g_hash_table_destroy(r->names);
	g_free(r);
}

bool
cib_repl_synced(const struct cib_repl *r)
{
	return r->synced;
}

bool
cib_repl_settled(const struct cib_repl *r)
{
	if (!r->synced)
		return false;
	for (guint i = 0; i < r->peers->len; i++)
		if (!g_array_index(r->peers, struct peer_version, i).announced)
			return false;
	return true;
}

xmlDocPtr
cib_repl_doc(const struct cib_repl *r)
{
	return r->doc;
}

char *
cib_repl_text(struct cib_repl *r, int *len)
{
	return doc_text(r, len);
}

xmlNodePtr
cib_repl_copy(struct cib_repl *r)
{
	xmlNodePtr copy = xmlCopyNode(xmlDocGetRootElement(r->doc), 1);

	if (copy)
		hist_fill(r, copy);
	return copy;
}

static void
send_version(struct cib_repl *r)
{
	xmlNodePtr v = xmlNewNode(NULL, XC("version"));
	char digest[65], buf[24];

	for (int i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT,
			 version_get(r->doc, i));
		xmlNewProp(v, XC(version_attrs[i]), XC(buf));
	}
	doc_digest(r, digest);
	xmlNewProp(v, XC("digest"), XC(digest));
	if (send_node(r, CIB_T_VERSION, v) != 0)
		log_warnx("cib: cannot send my version; the view's sync waits "
			  "for the next membership change");
	xmlFreeNode(v);
}

void
cib_repl_membership(struct cib_repl *r, const struct fo_ring_id *ring,
		    const uint32_t *nodeids, size_t n, const char *const *names)
{
	r->ring = *ring;
	r->synced = false;
	r->full_from = 0;
	g_array_set_size(r->peers, 0);
	for (size_t i = 0; i < n; i++) {
		struct peer_version pv = {.nodeid = nodeids[i]};

		if (names && names[i])
			g_hash_table_replace(r->names,
					     GUINT_TO_POINTER(nodeids[i]),
					     g_strdup(names[i]));
		if (!is_member(r, nodeids[i]))
			g_array_append_val(r->peers, pv);
	}
	if (n == 0)
		return;
	apply_membership(r);
	log_info("cib: view %" PRIu32 ".%" PRIu64 " with %u node(s); "
		 "exchanging versions",
		 ring->nodeid, ring->seq, r->peers->len);
	send_version(r);
}

void
cib_repl_quorum(struct cib_repl *r, const struct fo_ring_id *ring, bool quorate)
{
	r->quorum_ring = *ring;
	r->quorate = quorate;
}

static void
announce_status(struct cib_repl *r)
{
	xmlNodePtr ns;

	if (r->cb.local_status == NULL)
		return;
	ns = r->cb.local_status(r->data);
	if (ns == NULL)
		return;
	if (send_node(r, CIB_T_STATUS, ns) != 0)
		log_warnx("cib: cannot announce my status");
	xmlFreeNode(ns);
}

static void
became_synced(struct cib_repl *r, bool adopted)
{
	r->synced = true;
	log_info("cib: synced in view %" PRIu32 ".%" PRIu64 " at version "
		 "%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT
		 ".%" G_GUINT64_FORMAT "%s",
		 r->ring.nodeid, r->ring.seq, version_get(r->doc, 0),
		 version_get(r->doc, 1), version_get(r->doc, 2),
		 adopted ? " (adopted)" : "");
	/* Always: a status message of ours sent in the previous view may
	 * have been dropped as stale, and the copies must hold it. */
	announce_status(r);
	if (r->cb.changed)
		r->cb.changed(CIB_CHANGED_CONFIG | CIB_CHANGED_STATUS, r->data);
}

static int
version_cmp(const struct peer_version *a, const struct peer_version *b)
{
	for (int i = 0; i < 3; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] > b->v[i] ? 1 : -1;
	return 0;
}

static void
on_version(struct cib_repl *r, uint32_t sender, xmlNodePtr v)
{
	struct peer_version *win = NULL;
	bool all_same = true;

	for (guint i = 0; i < r->peers->len; i++) {
		struct peer_version *pv =
			&g_array_index(r->peers, struct peer_version, i);
		xmlChar *d;

		if (pv->nodeid != sender)
			continue;
		for (int k = 0; k < 3; k++) {
			xmlChar *s = xmlGetProp(v, XC(version_attrs[k]));

			pv->v[k] =
				s ? g_ascii_strtoull((const char *)s, NULL, 10)
				  : 0;
			xmlFree(s);
		}
		d = xmlGetProp(v, XC("digest"));
		g_strlcpy(pv->digest, d ? (const char *)d : "", 65);
		xmlFree(d);
		pv->got = true;
	}
	for (guint i = 0; i < r->peers->len; i++) {
		struct peer_version *pv =
			&g_array_index(r->peers, struct peer_version, i);

		if (!pv->got)
			return; /* wait for the others */
		/* peers are in node id order: ">" keeps the lowest on ties */
		if (win == NULL || version_cmp(pv, win) > 0)
			win = pv;
		if (i > 0 &&
		    strcmp(pv->digest,
			   g_array_index(r->peers, struct peer_version, 0)
				   .digest) != 0)
			all_same = false;
	}
	if (all_same) {
		became_synced(r, false);
		return;
	}
	r->full_from = win->nodeid;
	if (win->nodeid == r->me) {
		int len = 0;
		char *text = doc_text(r, &len);
		int rc = r->cb.send(CIB_T_FULL, text, (size_t)len, r->data);

		xmlFree(text);
		log_info("cib: my copy is the newest; sending it to the view");
		if (rc != 0)
			log_warnx("cib: cannot send my copy; the view's sync "
				  "waits for the next membership change");
	}
}

/* Do two documents hold the same configuration section? */
static bool
same_config(xmlDocPtr a, xmlDocPtr b)
{
	xmlNodePtr ca = child(xmlDocGetRootElement(a), "configuration", false);
	xmlNodePtr cb = child(xmlDocGetRootElement(b), "configuration", false);
	xmlBufferPtr ba = xmlBufferCreate(), bb = xmlBufferCreate();
	bool same;

	if (ca)
		xmlNodeDump(ba, a, ca, 0, 0);
	if (cb)
		xmlNodeDump(bb, b, cb, 0, 0);
	same = xmlBufferLength(ba) == xmlBufferLength(bb) &&
	       memcmp(xmlBufferContent(ba), xmlBufferContent(bb),
		      (size_t)xmlBufferLength(ba)) == 0;
	xmlBufferFree(ba);
	xmlBufferFree(bb);
	return same;
}

static void
on_full(struct cib_repl *r, uint32_t sender, xmlDocPtr doc)
{
	bool config_changed;

	if (sender != r->full_from || r->synced) {
		log_debug("cib: ignoring a full copy from node %" PRIu32,
			  sender);
		xmlFreeDoc(doc);
		return;
	}
	config_changed = !same_config(r->doc, doc);
	xmlFreeDoc(r->doc);
	r->doc = doc;
	hist_take_all(r);
	cib_config_pack(r->doc, true);
	apply_membership(r);
	if (config_changed)
		persist(r);
	became_synced(r, true);
}

static void
request_done(struct cib_repl *r, uint32_t sender, const char *req, int rc,
	     const char *why)
{
	if (sender != r->me || r->cb.request_done == NULL || req == NULL)
		return;
	r->cb.request_done(g_ascii_strtoull(req, NULL, 10), rc, why, r->data);
}

static void
on_change(struct cib_repl *r, uint32_t sender, const struct fo_msg_hdr *hdr,
	  xmlNodePtr change)
{
	g_autofree char *req = (char *)xmlGetProp(change, XC("req"));
	g_autofree char *q = (char *)xmlGetProp(change, XC("quorate"));
	g_autofree char *why = NULL;
	xmlDocPtr next = NULL;
	int rc;

	if (!ring_eq(&hdr->ring, &r->ring) || !r->synced ||
	    g_strcmp0(q, "1") != 0) {
		log_info("cib: change %s from node %" PRIu32 " was sent in "
			 "another view or without quorum; not applied",
			 req ? req : "?", sender);
		request_done(r, sender, req, -EAGAIN,
			     "the membership changed "
			     "before the change was applied; nothing was "
			     "changed, try again");
		return;
	}
	rc = cib_patch_apply(r->doc, change, &next, &why);
	if (rc == 0 && r->cb.validate) {
		rc = r->cb.validate(next, &why, r->data);
		if (rc != 0 && why == NULL)
			why = g_strdup(fo_strerror(rc));
	}
	if (rc != 0) {
		log_warnx("cib: change %s from node %" PRIu32 " refused: %s; "
			  "the configuration stays as it was",
			  req ? req : "?", sender, why ? why : "");
		xmlFreeDoc(next);
		request_done(r, sender, req, rc, why);
		return;
	}
	xmlFreeDoc(r->doc);
	r->doc = next;
	cib_config_pack(r->doc, true);
	version_set(r->doc, 1, version_get(r->doc, 1) + 1);
	version_set(r->doc, 2, 0);
	log_info("cib: change %s from node %" PRIu32
		 " applied; epoch now %" G_GUINT64_FORMAT,
		 req ? req : "?", sender, version_get(r->doc, 1));
	persist(r);
	if (r->cb.changed)
		r->cb.changed(CIB_CHANGED_CONFIG, r->data);
	request_done(r, sender, req, 0, NULL);
}

/* Replace every child named @name of @dst with copies of @src's. */
static void
replace_children(xmlNodePtr dst, xmlNodePtr src, const char *name)
{
	xmlNodePtr c, next;

	for (c = dst->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	for (c = src->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			xmlAddChild(dst, xmlDocCopyNode(c, dst->doc, 1));
}

static void
on_status(struct cib_repl *r, uint32_t sender, xmlNodePtr ns_in)
{
	xmlNodePtr ns = node_state(r, sender);
	xmlChar *expected = xmlGetProp(ns_in, XC("expected"));

	for (guint i = 0; r->synced && i < r->peers->len; i++) {
		struct peer_version *pv =
			&g_array_index(r->peers, struct peer_version, i);

		if (pv->nodeid == sender)
			pv->announced = true;
	}

	hist_take(r, sender, ns_in);
	replace_children(ns, ns_in, "transient_attributes");
	if (expected)
		xmlSetProp(ns, XC("expected"), expected);
	xmlFree(expected);
}

/* A node's whole history of one resource replaces what the copy had. */
static bool
on_op(struct cib_repl *r, uint32_t sender, xmlNodePtr in)
{
	if (fo_xml_prop(in, "id") == NULL ||
	    strcmp((const char *)in->name, "lrm_resource") != 0)
		return false;
	node_state(r, sender);
	hist_put(r, sender, in);
	return true;
}

static bool
on_forget(struct cib_repl *r, uint32_t sender, xmlNodePtr in)
{
	const char *rsc = fo_xml_prop(in, "rsc");
	GTree *t;

	if (rsc == NULL)
		return false;
	t = hist_of(r, sender, false);
	if (t)
		g_tree_remove(t, rsc);
	return true;
}

static bool
on_attr(struct cib_repl *r, uint32_t sender, xmlNodePtr in)
{
	g_autofree char *name = (char *)xmlGetProp(in, XC("name"));
	g_autofree char *value = (char *)xmlGetProp(in, XC("value"));
	g_autofree char *nid = NULL;
	xmlNodePtr ns = node_state(r, sender), ta, ia, nv = NULL;
	xmlChar *id;

	if (name == NULL)
		return false;
	id = xmlGetProp(ns, XC("id"));
	ta = child(ns, "transient_attributes", false);
	if (ta == NULL) {
		ta = xmlNewChild(ns, NULL, XC("transient_attributes"), NULL);
		xmlNewProp(ta, XC("id"), id);
	}
	ia = child(ta, "instance_attributes", false);
	if (ia == NULL) {
		g_autofree char *iaid =
			g_strdup_printf("status-%s", (const char *)id);

		ia = xmlNewChild(ta, NULL, XC("instance_attributes"), NULL);
		xmlNewProp(ia, XC("id"), XC(iaid));
	}
	for (xmlNodePtr c = ia->children; c && !nv; c = c->next) {
		xmlChar *n = xmlGetProp(c, XC("name"));

		if (n && strcmp((const char *)n, name) == 0)
			nv = c;
		xmlFree(n);
	}
	if (value == NULL) {
		if (nv) {
			xmlUnlinkNode(nv);
			xmlFreeNode(nv);
		}
	} else if (nv) {
		xmlSetProp(nv, XC("value"), XC(value));
	} else {
		nid = g_strdup_printf("status-%s-%s", (const char *)id, name);
		nv = xmlNewChild(ia, NULL, XC("nvpair"), NULL);
		xmlNewProp(nv, XC("id"), XC(nid));
		xmlNewProp(nv, XC("name"), XC(name));
		xmlNewProp(nv, XC("value"), XC(value));
	}
	xmlFree(id);
	return true;
}

static bool
on_node_down(struct cib_repl *r, xmlNodePtr in)
{
	g_autofree char *id = (char *)xmlGetProp(in, XC("id"));
	uint32_t nodeid;
	xmlNodePtr ns, c, next;

	if (id == NULL || strcmp((const char *)in->name, "node_down") != 0)
		return false;
	nodeid = (uint32_t)g_ascii_strtoull(id, NULL, 10);
	if (is_member(r, nodeid)) {
		log_info("cib: node %s is a member again; its history stays",
			 id);
		return true;
	}
	ns = node_state(r, nodeid);
	for (c = ns->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	g_hash_table_remove(r->hist, GUINT_TO_POINTER(nodeid));
	xmlSetProp(ns, XC("expected"), XC("down"));
	log_info("cib: node %s declared down; its history is void", id);
	return true;
}

void
cib_repl_deliver(struct cib_repl *r, uint32_t sender,
		 const struct fo_msg_hdr *hdr, const uint8_t *body, size_t len)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	bool ok = true;

	if (!ring_eq(&hdr->ring, &r->ring) && hdr->type != CIB_T_CHANGE) {
		log_debug("cib: dropping type 0x%x from node %" PRIu32
			  " sent in another view",
			  hdr->type, sender);
		return;
	}
	if (!is_member(r, sender)) {
		log_warnx("cib: message 0x%x from node %" PRIu32 ", not a "
			  "member of the view; dropped",
			  hdr->type, sender);
		return;
	}
	root = fo_xml_read_msg(body, len, "cpg", &doc);
	if (root == NULL) {
		log_warnx("cib: message 0x%x from node %" PRIu32 " is not "
			  "well-formed XML (%zu bytes); dropped",
			  hdr->type, sender, len);
		xmlFreeDoc(doc);
		return;
	}
	switch (hdr->type) {
	case CIB_T_VERSION:
		on_version(r, sender, root);
		break;
	case CIB_T_FULL:
		if (strcmp((const char *)root->name, "cib") != 0) {
			ok = false;
			break;
		}
		on_full(r, sender, doc);
		return; /* on_full owns doc */
	case CIB_T_CHANGE:
		if (strcmp((const char *)root->name, "change") != 0) {
			ok = false;
			break;
		}
		on_change(r, sender, hdr, root);
		break;
	case CIB_T_STATUS:
		if (strcmp((const char *)root->name, "node_state") != 0) {
			ok = false;
			break;
		}
		on_status(r, sender, root);
		goto status_changed;
	case CIB_T_OP:
		ok = on_op(r, sender, root);
		goto status_changed;
	case CIB_T_FORGET:
		ok = on_forget(r, sender, root);
		goto status_changed;
	case CIB_T_ATTR:
		ok = on_attr(r, sender, root);
		goto status_changed;
	case CIB_T_NODE_DOWN:
		ok = on_node_down(r, root);
		goto status_changed;
	default:
		ok = false;
	}
	goto out;
status_changed:
	if (ok) {
		version_set(r->doc, 2, version_get(r->doc, 2) + 1);
		if (r->cb.changed)
			r->cb.changed(CIB_CHANGED_STATUS, r->data);
	}
out:
	if (!ok)
		log_warnx("cib: message 0x%x from node %" PRIu32 " has an "
			  "unexpected <%s>; dropped",
			  hdr->type, sender, (const char *)root->name);
	xmlFreeDoc(doc);
}

int
cib_repl_request_change(struct cib_repl *r, uint64_t req_id, xmlNodePtr change)
{
	char buf[24];
	xmlNodePtr copy;
	int rc;

	if (!r->synced)
		return -EAGAIN;
	if (!r->quorate || !ring_eq(&r->quorum_ring, &r->ring))
		return -FO_ENOQUORUM;
	copy = xmlCopyNode(change, 1);
	snprintf(buf, sizeof(buf), "%" PRIu64, req_id);
	xmlSetProp(copy, XC("req"), XC(buf));
	xmlSetProp(copy, XC("quorate"), XC("1"));
	rc = send_node(r, CIB_T_CHANGE, copy);
	xmlFreeNode(copy);
	return rc;
}

int
cib_repl_send_op(struct cib_repl *r, xmlNodePtr lrm_resource)
{
	return send_node(r, CIB_T_OP, lrm_resource);
}

int
cib_repl_send_forget(struct cib_repl *r, const char *rsc)
{
	xmlNodePtr n = xmlNewNode(NULL, XC("forget"));
	int rc;

	xmlNewProp(n, XC("rsc"), XC(rsc));
	rc = send_node(r, CIB_T_FORGET, n);
	xmlFreeNode(n);
	return rc;
}

int
cib_repl_send_attr(struct cib_repl *r, const char *name, const char *value)
{
	xmlNodePtr n = xmlNewNode(NULL, XC("attr"));
	int rc;

	xmlNewProp(n, XC("name"), XC(name));
	if (value)
		xmlNewProp(n, XC("value"), XC(value));
	rc = send_node(r, CIB_T_ATTR, n);
	xmlFreeNode(n);
	return rc;
}

int
cib_repl_send_node_down(struct cib_repl *r, uint32_t nodeid)
{
	xmlNodePtr n = xmlNewNode(NULL, XC("node_down"));
	char buf[16];
	int rc;

	snprintf(buf, sizeof(buf), "%" PRIu32, nodeid);
	xmlNewProp(n, XC("id"), XC(buf));
	rc = send_node(r, CIB_T_NODE_DOWN, n);
	xmlFreeNode(n);
	return rc;
}

const char *
cib_repl_option(const struct cib_repl *r, const char *name)
{
	xmlNodePtr cfg =
		child(xmlDocGetRootElement(r->doc), "configuration", false);
	xmlNodePtr props = cfg ? child(cfg, "crm_config", false) : NULL;

	for (xmlNodePtr set = props ? props->children : NULL; set;
	     set = set->next)
		for (xmlNodePtr nv = set->children; nv; nv = nv->next) {
			xmlAttrPtr n = xmlHasProp(nv, XC("name"));
			xmlAttrPtr v = xmlHasProp(nv, XC("value"));

			if (nv->type == XML_ELEMENT_NODE && n && n->children &&
			    v && v->children &&
			    strcmp((const char *)n->children->content, name) ==
				    0)
				return (const char *)v->children->content;
		}
	return NULL;
}

void
cib_repl_announce(struct cib_repl *r)
{
	announce_status(r);
}
