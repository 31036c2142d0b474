/*
 * check_cibrepl.c - the replicated CIB driven by a simulated cluster.
 *
 * The simulation gives what CPG gives (CPG-FACTS.md): one agreed order of
 * messages per partition, delivered to every member including the sender;
 * views with ring ids; messages sent in one view may be delivered after
 * the next view change; partitions see only their own messages and
 * nothing is replayed at a merge. The tests check that the copies stay
 * identical, that the newest copy wins a sync, and that bad or stale
 * changes change nothing anywhere.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <libxml/parser.h>

#include "fo/cibrepl.h"
#include "fo/common.h"
#include "fo/xmlutil.h"

#define MAXN 5

struct wire_msg {
	uint32_t sender;
	struct fo_msg_hdr hdr;
	GBytes *body;
};

struct simnode {
	uint32_t id;
	struct cib_repl *r;
	int part; /* partition number, -1: down */
	int persists;
	int changed;
	int done_rc;
	int dones;
	char *done_why;
	struct fo_ring_id ring;
	struct sim *sim;
};

struct sim {
	struct simnode node[MAXN + 1]; /* 1-based */
	int n;
	GQueue wire[MAXN + 1]; /* per partition */
	uint64_t seq;
};

static struct sim *S;

static int
sim_send(uint16_t type, const void *body, size_t len, void *data)
{
	struct simnode *sn = data;
	struct wire_msg *m = g_new0(struct wire_msg, 1);

	m->sender = sn->id;
	m->hdr.type = type;
	m->hdr.body_len = (uint32_t)len;
	m->hdr.sender = sn->id;
	m->hdr.ring = sn->ring;
	m->body = g_bytes_new(body, len);
	g_queue_push_tail(&sn->sim->wire[sn->part], m);
	return 0;
}

static int
sim_validate(xmlDocPtr doc, char **why, void *data)
{
	xmlChar *text = NULL;
	int len, bad;

	(void)data;
	xmlDocDumpMemory(doc, &text, &len);
	bad = strstr((const char *)text, "id=\"bad\"") != NULL;
	xmlFree(text);
	if (bad) {
		*why = g_strdup("resource 'bad' is not allowed");
		return -FO_EINVAL;
	}
	return 0;
}

static void
sim_persist(const char *xml, size_t len, void *data)
{
	struct simnode *sn = data;

	ck_assert(len > 0);
	ck_assert_ptr_null(strstr(xml, "<status"));
	sn->persists++;
}

static xmlNodePtr
sim_local_status(void *data)
{
	struct simnode *sn = data;
	g_autofree char *xml = g_strdup_printf(
		"<node_state id=\"%u\"><lrm id=\"%u\"><lrm_resources>"
		"<lrm_resource id=\"local-%u\" class=\"ocf\" provider=\"fo\" "
		"type=\"Dummy\"><lrm_rsc_op id=\"local-%u_last_0\" "
		"operation=\"start\" call-id=\"1\" rc-code=\"0\" "
		"op-status=\"0\" interval=\"0\"/></lrm_resource>"
		"</lrm_resources></lrm></node_state>",
		sn->id, sn->id, sn->id, sn->id);
	xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
				    XML_PARSE_NOBLANKS);
	xmlNodePtr n = xmlCopyNode(xmlDocGetRootElement(d), 1);

	xmlFreeDoc(d);
	return n;
}

static void
sim_changed(unsigned what, void *data)
{
	(void)what;
	((struct simnode *)data)->changed++;
}

static void
sim_done(uint64_t req, int rc, const char *why, void *data)
{
	struct simnode *sn = data;

	(void)req;
	sn->done_rc = rc;
	sn->dones++;
	g_free(sn->done_why);
	sn->done_why = g_strdup(why);
}

static const struct cib_repl_callbacks sim_cb = {
	.send = sim_send,
	.validate = sim_validate,
	.persist = sim_persist,
	.local_status = sim_local_status,
	.changed = sim_changed,
	.request_done = sim_done,
};

static xmlDocPtr
cib_with(const char *epoch, const char *rsc)
{
	g_autofree char *xml = g_strdup_printf(
		"<cib admin_epoch=\"0\" epoch=\"%s\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.9\"><configuration><crm_config/>"
		"<nodes/><resources><primitive id=\"%s\" class=\"ocf\" "
		"provider=\"fo\" type=\"Dummy\"/></resources><constraints/>"
		"</configuration><status/></cib>",
		epoch, rsc);

	return xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
			     XML_PARSE_NOBLANKS);
}

static void
sim_start(int n, xmlDocPtr *initial)
{
	S = g_new0(struct sim, 1);
	S->n = n;
	for (int i = 1; i <= n; i++) {
		struct simnode *sn = &S->node[i];

		sn->id = (uint32_t)i;
		sn->sim = S;
		sn->part = 0;
		sn->r = cib_repl_new(sn->id, initial ? initial[i] : NULL,
				     &sim_cb, sn);
		g_queue_init(&S->wire[i]);
	}
	g_queue_init(&S->wire[0]);
}

static void
sim_stop(void)
{
	for (int p = 0; p <= MAXN; p++) {
		struct wire_msg *m;

		while ((m = g_queue_pop_head(&S->wire[p])) != NULL) {
			g_bytes_unref(m->body);
			g_free(m);
		}
	}
	for (int i = 1; i <= S->n; i++) {
		cib_repl_free(S->node[i].r);
		g_free(S->node[i].done_why);
	}
	g_free(S);
}

/* A new view for the nodes in @members (a 0-terminated list). */
static void
sim_view(int part, const int *members)
{
	uint32_t ids[MAXN];
	const char *names[MAXN];
	char namebuf[MAXN][8];
	size_t n = 0;
	struct fo_ring_id ring = {.nodeid = (uint32_t)members[0],
				  .seq = ++S->seq};

	for (; members[n]; n++) {
		ids[n] = (uint32_t)members[n];
		snprintf(namebuf[n], sizeof(namebuf[n]), "node%d", members[n]);
		names[n] = namebuf[n];
	}
	for (size_t i = 0; i < n; i++) {
		struct simnode *sn = &S->node[members[i]];

		sn->part = part;
		sn->ring = ring;
	}
	for (size_t i = 0; i < n; i++) {
		struct simnode *sn = &S->node[members[i]];

		cib_repl_membership(sn->r, &ring, ids, n, names);
		cib_repl_quorum(sn->r, &ring, (int)n * 2 > S->n);
	}
}

/* Deliver everything queued in a partition, in order, to its members. */
static void
sim_run(int part)
{
	struct wire_msg *m;

	while ((m = g_queue_pop_head(&S->wire[part])) != NULL) {
		gsize len;
		const uint8_t *body = g_bytes_get_data(m->body, &len);

		for (int i = 1; i <= S->n; i++)
			if (S->node[i].part == part)
				cib_repl_deliver(S->node[i].r, m->sender,
						 &m->hdr, body, len);
		g_bytes_unref(m->body);
		g_free(m);
	}
}

static char *
doc_str(int i)
{
	xmlChar *t = NULL;
	int len;

	t = (xmlChar *)cib_repl_text(S->node[i].r, &len);
	char *s = g_strdup((const char *)t);
	xmlFree(t);
	return s;
}

static void
assert_identical(const int *members)
{
	g_autofree char *first = doc_str(members[0]);

	for (int k = 1; members[k]; k++) {
		g_autofree char *other = doc_str(members[k]);

		ck_assert_msg(strcmp(first, other) == 0,
			      "copies of node %d and node %d differ:\n%s\n%s",
			      members[0], members[k], first, other);
	}
	for (int k = 0; members[k]; k++)
		ck_assert(cib_repl_synced(S->node[members[k]].r));
}

/* Is there an element named @name in node @i's tree (cib_repl_doc)? */
static bool
tree_has(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next)
		if ((n->type == XML_ELEMENT_NODE &&
		     strcmp((const char *)n->name, name) == 0) ||
		    tree_has(n->children, name))
			return true;
	return false;
}

static bool
doc_has(int i, const char *name)
{
	return tree_has(xmlDocGetRootElement(cib_repl_doc(S->node[i].r)), name);
}

static xmlNodePtr
change_xml(const char *xml, xmlDocPtr *holder)
{
	*holder = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
				XML_PARSE_NOBLANKS);
	return xmlDocGetRootElement(*holder);
}

static void
request(int node, const char *xml, int want)
{
	xmlDocPtr d = NULL;

	ck_assert_int_eq(cib_repl_request_change(S->node[node].r, 7,
						 change_xml(xml, &d)),
			 want);
	xmlFreeDoc(d);
}

static guint64
epoch_of(int i)
{
	guint64 v[3];

	cib_repl_version(S->node[i].r, v);
	return v[1];
}

static const int all3[] = {1, 2, 3, 0};

START_TEST(test_forms_and_newest_wins)
{
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL,
			     cib_with("2", "old")};
	g_autofree char *s = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	assert_identical(all3);
	s = doc_str(2);
	ck_assert_ptr_nonnull(strstr(s, "id=\"web\""));
	ck_assert_ptr_null(strstr(s, "id=\"old\""));
	ck_assert_uint_eq(epoch_of(3), 5);
	/* Each node's own status arrived everywhere. */
	ck_assert_ptr_nonnull(strstr(s, "local-1_last_0"));
	ck_assert_ptr_nonnull(strstr(s, "local-2_last_0"));
	ck_assert_ptr_nonnull(strstr(s, "local-3_last_0"));
	ck_assert_ptr_nonnull(strstr(s, "in_ccm=\"true\""));
	/* Only the nodes whose configuration changed persisted it. */
	ck_assert_int_eq(S->node[1].persists, 0);
	ck_assert_int_eq(S->node[2].persists, 1);
	ck_assert_int_eq(S->node[3].persists, 1);
	sim_stop();
}
END_TEST

START_TEST(test_change_applies_everywhere)
{
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	g_autofree char *s = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	request(2,
		"<change><put section=\"resources\"><primitive id=\"db\" "
		"class=\"ocf\" provider=\"fo\" type=\"Dummy\"/></put>"
		"<nvpair-set parent-id=\"web\" set=\"meta_attributes\" "
		"name=\"target-role\" value=\"Stopped\"/></change>",
		0);
	sim_run(0);
	assert_identical(all3);
	s = doc_str(1);
	ck_assert_ptr_nonnull(strstr(s, "id=\"db\""));
	ck_assert_ptr_nonnull(strstr(s, "name=\"target-role\" "
					"value=\"Stopped\""));
	ck_assert_uint_eq(epoch_of(1), 6);
	ck_assert_int_eq(S->node[2].dones, 1);
	ck_assert_int_eq(S->node[2].done_rc, 0);
	ck_assert_int_eq(S->node[1].dones, 0);
	/* Deleting what is not there is refused as a whole. */
	request(1,
		"<change><delete id=\"db\"/><delete id=\"nope\"/>"
		"</change>",
		0);
	sim_run(0);
	assert_identical(all3);
	ck_assert_int_eq(S->node[1].done_rc, -FO_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(S->node[1].done_why, "nope"));
	g_free(s);
	s = doc_str(3);
	ck_assert_ptr_nonnull(strstr(s, "id=\"db\""));
	ck_assert_uint_eq(epoch_of(3), 6);
	sim_stop();
}
END_TEST

START_TEST(test_invalid_change_changes_nothing)
{
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	g_autofree char *before = NULL, *after = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	before = doc_str(1);
	request(3,
		"<change><put section=\"resources\"><primitive id=\"bad\" "
		"class=\"ocf\" provider=\"fo\" type=\"Dummy\"/></put>"
		"</change>",
		0);
	sim_run(0);
	after = doc_str(1);
	ck_assert_str_eq(before, after);
	assert_identical(all3);
	ck_assert_int_eq(S->node[3].done_rc, -FO_EINVAL);
	ck_assert_ptr_nonnull(strstr(S->node[3].done_why, "not allowed"));
	ck_assert_int_eq(S->node[2].persists, 1); /* only the sync */
	sim_stop();
}
END_TEST

START_TEST(test_partition_minority_cannot_change)
{
	static const int maj[] = {1, 2, 0}, min[] = {3, 0};
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	g_autofree char *s = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	sim_view(0, maj);
	sim_view(1, min);
	sim_run(0);
	sim_run(1);
	request(3, "<change><delete id=\"web\"/></change>", -FO_ENOQUORUM);
	request(1,
		"<change><put section=\"resources\"><primitive id=\"new\" "
		"class=\"ocf\" provider=\"fo\" type=\"Dummy\"/></put>"
		"</change>",
		0);
	sim_run(0);
	sim_run(1);
	ck_assert_uint_eq(epoch_of(2), 6);
	ck_assert_uint_eq(epoch_of(3), 5);
	/* Status changes on the minority side too (its own history). */
	ck_assert_int_eq(cib_repl_send_attr(S->node[3].r, "fail-count-x", "1"),
			 0);
	sim_run(1);
	/* Heal: the majority's configuration wins everywhere. */
	sim_view(0, all3);
	sim_run(0);
	assert_identical(all3);
	s = doc_str(3);
	ck_assert_ptr_nonnull(strstr(s, "id=\"new\""));
	ck_assert_ptr_nonnull(strstr(s, "id=\"web\""));
	ck_assert_uint_eq(epoch_of(3), 6);
	sim_stop();
}
END_TEST

START_TEST(test_change_from_old_view_is_dropped)
{
	static const int two[] = {1, 2, 0};
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	g_autofree char *s = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	request(1, "<change><delete id=\"web\"/></change>", 0);
	/* The view changes before the change is delivered. */
	sim_view(0, two);
	S->node[3].part = -1;
	/* ... and even after the new view's sync (a late delivery). */
	g_queue_push_tail(&S->wire[0], g_queue_pop_head(&S->wire[0]));
	sim_run(0);
	s = doc_str(2);
	ck_assert_ptr_nonnull(strstr(s, "id=\"web\""));
	ck_assert_int_eq(S->node[1].done_rc, -EAGAIN);
	assert_identical(two);
	sim_stop();
}
END_TEST

START_TEST(test_status_messages)
{
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	xmlDocPtr d = NULL;
	g_autofree char *s = NULL, *s2 = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	change_xml("<lrm_resource id=\"web\" class=\"ocf\" provider=\"fo\" "
		   "type=\"Dummy\"><lrm_rsc_op id=\"web_last_0\" "
		   "operation=\"start\" call-id=\"4\" rc-code=\"0\"/>"
		   "</lrm_resource>",
		   &d);
	ck_assert_int_eq(
		cib_repl_send_op(S->node[2].r, xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
	ck_assert_int_eq(
		cib_repl_send_attr(S->node[2].r, "fail-count-web#start_0", "2"),
		0);
	sim_run(0);
	assert_identical(all3);
	s = doc_str(1);
	ck_assert_ptr_nonnull(strstr(s, "web_last_0"));
	/* the replica's tree holds the histories as text, not as a tree */
	ck_assert(!doc_has(1, "lrm_rsc_op"));
	ck_assert(!doc_has(1, "primitive"));
	ck_assert(doc_has(1, "node_state"));
	ck_assert_ptr_nonnull(strstr(s, "name=\"fail-count-web#start_0\" "
					"value=\"2\""));
	ck_assert_int_eq(cib_repl_send_forget(S->node[2].r, "web"), 0);
	ck_assert_int_eq(cib_repl_send_attr(S->node[2].r,
					    "fail-count-web#start_0", NULL),
			 0);
	sim_run(0);
	assert_identical(all3);
	s2 = doc_str(3);
	ck_assert_ptr_null(strstr(s2, "web_last_0"));
	ck_assert_ptr_null(strstr(s2, "fail-count-web"));
	sim_stop();
}
END_TEST

START_TEST(test_garbage_changes_nothing)
{
	static const char *const junk[] = {
		"",
		"<",
		"not xml at all",
		"<cib",
		"<wrong/>",
		"<change><explode/></change>",
		"<change><put section=\"status\"><x id=\"1\"/></put></change>",
		"<lrm_resource/>",
		"<attr/>",
		"<forget/>",
	};
	xmlDocPtr init[4] = {NULL, cib_with("5", "web"), NULL, NULL};
	g_autofree char *before = NULL, *after = NULL;

	sim_start(3, init);
	sim_view(0, all3);
	sim_run(0);
	before = doc_str(1);
	for (uint16_t t = CIB_T_VERSION; t <= CIB_T_ATTR + 1; t++) {
		if (t == CIB_T_VERSION)
			continue; /* a late version is harmless anyway */
		for (size_t k = 0; k < G_N_ELEMENTS(junk); k++)
			sim_send(t, junk[k], strlen(junk[k]), &S->node[2]);
	}
	sim_run(0);
	after = doc_str(1);
	ck_assert_str_eq(before, after);
	assert_identical(all3);
	sim_stop();
}
END_TEST

START_TEST(test_tie_goes_to_lowest_node)
{
	static const int two[] = {1, 2, 0};
	xmlDocPtr init[3] = {NULL, cib_with("3", "one"), cib_with("3", "two")};
	g_autofree char *s = NULL;

	sim_start(2, init);
	sim_view(0, two);
	sim_run(0);
	assert_identical(two);
	s = doc_str(2);
	ck_assert_ptr_nonnull(strstr(s, "id=\"one\""));
	ck_assert_ptr_null(strstr(s, "id=\"two\""));
	sim_stop();
}
END_TEST

START_TEST(test_patch_errors)
{
	xmlDocPtr base = cib_with("1", "web"), d = NULL, out = NULL;
	char *why = NULL;

	ck_assert_int_eq(
		cib_patch_apply(base, change_xml("<nope/>", &d), &out, &why),
		-FO_ESYNTAX);
	g_free(why);
	xmlFreeDoc(d);
	ck_assert_int_eq(
		cib_patch_apply(
			base,
			change_xml("<change><put section=\"resources\"><group "
				   "id=\"web\"/></put>"
				   "</change>",
				   &d),
			&out, &why),
		-FO_EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "already used"));
	g_free(why);
	xmlFreeDoc(d);
	ck_assert_int_eq(
		cib_patch_apply(
			base,
			change_xml("<change><nvpair-set "
				   "parent-id=\"cib-bootstrap-options\" "
				   "set=\"cluster_property_set\" "
				   "name=\"stonith-enabled\" "
				   "value=\"false\"/></change>",
				   &d),
			&out, &why),
		0);
	xmlFreeDoc(d);
	{
		xmlChar *t = NULL;
		int len;

		xmlDocDumpMemory(out, &t, &len);
		ck_assert_ptr_nonnull(strstr(
			(const char *)t,
			"<cluster_property_set id=\"cib-bootstrap-options\">"
			"<nvpair id=\"cib-bootstrap-options-stonith-enabled\" "
			"name=\"stonith-enabled\" value=\"false\"/>"));
		xmlFree(t);
	}
	xmlFreeDoc(out);
	xmlFreeDoc(base);
}
END_TEST

static Suite *
cibrepl_suite(void)
{
	Suite *s = suite_create("cibrepl");
	TCase *tc = tcase_create("sim");

	tcase_add_test(tc, test_forms_and_newest_wins);
	tcase_add_test(tc, test_change_applies_everywhere);
	tcase_add_test(tc, test_invalid_change_changes_nothing);
	tcase_add_test(tc, test_partition_minority_cannot_change);
	tcase_add_test(tc, test_change_from_old_view_is_dropped);
	tcase_add_test(tc, test_status_messages);
	tcase_add_test(tc, test_garbage_changes_nothing);
	tcase_add_test(tc, test_tie_goes_to_lowest_node);
	tcase_add_test(tc, test_patch_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cibrepl_suite());
	int failed;

	log_init("check_cibrepl", true, 0);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
