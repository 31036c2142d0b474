/*
 * safety.h - when may the DC recover a lost node's resources?
 *
 * Stage: the DC, between a membership change and the policy engine. In:
 * how each node left (a clean shutdown, out of the membership, or only its
 * fo-crmd gone), fencing confirmations, the time, and the cluster's
 * settings. Out: for each lost node, "safe now", "safe at time T", or
 * "not until it comes back or is fenced". This is DESIGN.md's safety rule
 * in one place, and it is pure: no clock, no I/O (times are passed in, in
 * milliseconds of a monotonic clock).
 */
#ifndef FO_SAFETY_H
#define FO_SAFETY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* What no-quorum-policy says a node without quorum does. */
enum safety_nq_policy {
	SAFETY_NQ_STOP = 0, /* stop everything at once (the default) */
	SAFETY_NQ_FREEZE,   /* keep running what runs */
	SAFETY_NQ_IGNORE,   /* behave as if quorate */
};

/* How a node left the view. */
enum safety_loss {
	SAFETY_LEFT_CLEAN,	/* announced shutdown, stopped its resources */
	SAFETY_LEFT_MEMBERSHIP, /* out of corosync's membership: crashed or
				 * partitioned, nobody can tell which */
	SAFETY_LEFT_DAEMON,	/* corosync still has it, fo-crmd is gone:
				 * its resources may still run */
};

enum safety_verdict {
	SAFETY_SAFE,	/* recover now */
	SAFETY_WAIT,	/* recover at *safe_at */
	SAFETY_BLOCKED, /* only fencing or its return make it safe */
};

struct safety_config {
	guint token_ms;	      /* corosync's effective token timeout */
	guint consensus_ms;   /* corosync's consensus timeout */
	guint max_stop_ms;    /* longest stop timeout of any resource */
	gint64 stop_grace_ms; /* the stop-grace property; < 0: default */
	bool fencing;	      /* stonith-enabled with a device configured */
	enum safety_nq_policy policy;
};

struct safety;

/** safety_new() - an empty tracker; free with safety_free(). */
struct safety *safety_new(void);
void safety_free(struct safety *s);

/**
 * safety_grace_ms() - the stop-grace in force: the configured value, or
 * the default derived from the corosync timing and the stop timeouts
 * (docs/safety.md gives the formula and why).
 */
guint64 safety_grace_ms(const struct safety_config *cfg);

/** safety_lost() - @nodeid left the view at @now_ms, the way @how says. */
void safety_lost(struct safety *s, uint32_t nodeid, enum safety_loss how,
		 gint64 now_ms);

/** safety_fenced() - a fence device confirmed @nodeid is off. */
void safety_fenced(struct safety *s, uint32_t nodeid);

/** safety_back() - @nodeid is a member again (it will probe itself). */
void safety_back(struct safety *s, uint32_t nodeid);

/**
 * safety_check() - may @nodeid's resources be recovered elsewhere?
 * @safe_at: [out] optional: with SAFETY_WAIT, the time at which they may.
 *
 * A node that is not tracked (a member, or never seen) is SAFETY_SAFE
 * with nothing to recover.
 */
enum safety_verdict safety_check(const struct safety *s,
				 const struct safety_config *cfg,
				 uint32_t nodeid, gint64 now_ms,
				 gint64 *safe_at);

/**
 * safety_next_deadline() - the earliest time at which a waiting node
 * becomes safe (so the DC can arm one timer), or -1 if none waits.
 */
gint64 safety_next_deadline(const struct safety *s,
			    const struct safety_config *cfg, gint64 now_ms);

#endif /* FO_SAFETY_H */
