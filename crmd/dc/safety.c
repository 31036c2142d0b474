/*
 * safety.c - the rule that keeps a resource from running on two nodes.
 *
 * In: how nodes left, fencing confirmations, the settings, "now". Out: a
 * verdict per lost node. The survivors of a membership change cannot tell
 * a crashed node from a partitioned one, so a node that left the
 * membership is treated as alive and still running its resources until
 * one of three things holds: it left cleanly, it was fenced, or (with
 * no-quorum-policy=stop) stop-grace has passed since it was lost, the
 * bound within which a live node without quorum has stopped or killed
 * everything it ran. A node whose fo-crmd alone is gone is never assumed
 * stopped. Pure: the caller passes the time in.
 */
#include <string.h>

#include "fo/safety.h"

/* Margin for the kill after a timed-out stop and for scheduling delays. */
#define SAFETY_KILL_MARGIN_MS 2000

struct lost_node {
	uint32_t nodeid;
	enum safety_loss how;
	gint64 since_ms;
	bool fenced;
};

struct safety {
	GArray *lost; /* struct lost_node, in the order lost */
};

struct safety *
safety_new(void)
{
	struct safety *s = g_new0(struct safety, 1);

	s->lost = g_array_new(FALSE, TRUE, sizeof(struct lost_node));
	return s;
}

void
safety_free(struct safety *s)
{
	if (s == NULL)
		return;
	g_array_unref(s->lost);
	g_free(s);
}

/*
 * The default stop-grace. The majority starts counting when it sees the
 * node leave; the node itself learns it lost quorum at about the same
 * time, but the two moments can differ by up to one detection period
 * (token + consensus: one side may have seen the last token a rotation
 * earlier). From its quorum loss, the node gives every stop at most its
 * timeout and then kills what the resource started (cgroup.kill, at
 * once). So: 2 x (token + consensus) + longest stop timeout + a margin
 * for the kill and scheduling.
 */
guint64
safety_grace_ms(const struct safety_config *cfg)
{
	if (cfg->stop_grace_ms >= 0)
		return (guint64)cfg->stop_grace_ms;
	return 2 * ((guint64)cfg->token_ms + cfg->consensus_ms) +
	       cfg->max_stop_ms + SAFETY_KILL_MARGIN_MS;
}

static struct lost_node *
find(const struct safety *s, uint32_t nodeid, guint *index)
{
	for (guint i = 0; i < s->lost->len; i++) {
		struct lost_node *ln =
			&g_array_index(s->lost, struct lost_node, i);

		if (ln->nodeid == nodeid) {
			if (index)
				*index = i;
			return ln;
		}
	}
	return NULL;
}

void
safety_lost(struct safety *s, uint32_t nodeid, enum safety_loss how,
	    gint64 now_ms)
{
	struct lost_node *ln = find(s, nodeid, NULL);

	if (ln == NULL) {
		struct lost_node n = {
			.nodeid = nodeid, .how = how, .since_ms = now_ms};

		g_array_append_val(s->lost, n);
		return;
	}
	/*
	 * Already lost. A clean leave is final: the node stopped everything
	 * before it went, so its later exit from the membership changes
	 * nothing. A lost daemon is sticky: nothing on that node will stop
	 * its resources any more, whatever happens to its corosync. The
	 * clock keeps its first start.
	 */
	if (ln->how == SAFETY_LEFT_CLEAN)
		return;
	if (how == SAFETY_LEFT_DAEMON)
		ln->how = how;
}

void
safety_fenced(struct safety *s, uint32_t nodeid)
{
	struct lost_node *ln = find(s, nodeid, NULL);

	if (ln)
		ln->fenced = true;
}

void
safety_back(struct safety *s, uint32_t nodeid)
{
	guint i;

	if (find(s, nodeid, &i))
		g_array_remove_index(s->lost, i);
}

enum safety_verdict
safety_check(const struct safety *s, const struct safety_config *cfg,
	     uint32_t nodeid, gint64 now_ms, gint64 *safe_at)
{
	const struct lost_node *ln = find(s, nodeid, NULL);
	gint64 at;

	if (ln == NULL || ln->fenced || ln->how == SAFETY_LEFT_CLEAN)
		return SAFETY_SAFE;
	if (ln->how == SAFETY_LEFT_DAEMON)
		return SAFETY_BLOCKED;
	if (cfg->policy != SAFETY_NQ_STOP)
		return SAFETY_BLOCKED; /* it keeps running: only fencing */
	at = ln->since_ms + (gint64)safety_grace_ms(cfg);
	if (now_ms >= at)
		return SAFETY_SAFE;
	if (safe_at)
		*safe_at = at;
	return SAFETY_WAIT;
}

gint64
safety_next_deadline(const struct safety *s, const struct safety_config *cfg,
		     gint64 now_ms)
{
	gint64 best = -1;

	for (guint i = 0; i < s->lost->len; i++) {
		const struct lost_node *ln =
			&g_array_index(s->lost, struct lost_node, i);
		gint64 at;

		if (safety_check(s, cfg, ln->nodeid, now_ms, &at) ==
			    SAFETY_WAIT &&
		    (best < 0 || at < best))
			best = at;
	}
	return best;
}
