/*
 * te.h - the transition engine: on the DC, runs the policy engine on the
 * replicated CIB and carries out the graph it returns.
 *
 * Stage 5 of the pipeline. In: "something changed" (configuration,
 * membership, quorum, operation results delivered into the CIB, timers
 * for failure-timeout and stop-grace). Out: actions sent over CPG to the
 * node that must run them (TE_T_ACTION, see fo/lrm.h), answers to
 * "is the cluster idle?" pings. A result that differs from what the graph
 * expected, or any outside change, aborts the graph; once the actions in
 * flight have reported, the policy engine runs again at once. Lost nodes
 * are recovered only as the safety rule allows (fo/safety.h): until then
 * the policy engine sees them as present in standby and their actions are
 * held, so nothing they ran is started elsewhere. docs/transitions.md.
 */
#ifndef FO_TE_H
#define FO_TE_H

#include <stdbool.h>
#include <stdint.h>

#include "fo/cibrepl.h"
#include "fo/cluster.h"
#include "fo/msg.h"

#include <libxml/tree.h>

struct te;

/** te_new() - a transition engine for this node (idle unless DC). */
struct te *te_new(struct cluster *cl, struct cib_repl *cib);

/** te_free() - NULL is fine. */
void te_free(struct te *te);

/**
 * te_trigger() - something changed that may call for a new transition.
 * @abort: [in] stop starting the current graph's actions now (a change
 *         of configuration, membership or quorum); otherwise the new
 *         computation waits until the current graph is complete.
 * @why:   [in] for the log.
 */
void te_trigger(struct te *te, bool abort, const char *why);

/** te_membership() - the view changed: actions in flight on nodes that
 * left will never report; they count as failed. */
void te_membership(struct te *te);

/**
 * te_delivered() - a message the replicated CIB has just applied (status
 * types) or a TE_T_PING: confirms the graph's actions, or triggers.
 */
void te_delivered(struct te *te, uint32_t sender, const struct fo_msg_hdr *hdr,
		  const uint8_t *body, size_t len);

/**
 * te_send_xml() - broadcast one element as a message of @type (the TE_T_*
 * messages of the DC and of the tools' requests). Returns cluster_send()'s
 * code.
 */
int te_send_xml(struct cluster *cl, uint16_t type, xmlNodePtr n);

/** te_idle() - DC with nothing to do: no graph running, nothing new. */
bool te_idle(const struct te *te);

/** te_transition() - the number of the last transition computed here. */
int te_transition(const struct te *te);

#endif /* FO_TE_H */
