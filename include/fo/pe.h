/*
 * pe.h - the policy engine: a CIB model and "now" in, a transition graph
 * and a summary out.
 *
 * Stage 4 of the pipeline. pe_compute() is pure and deterministic: no
 * I/O, no clock, no globals; it follows Pacemaker 2.1.5's scheduler for
 * fo's subset (see docs/compatibility.md): placement by scores, then
 * actions, orderings and their implications, then the graph.
 */
#ifndef FO_PE_H
#define FO_PE_H

#include <stdbool.h>
#include <stdint.h>

#include "fo/cib.h"
#include "fo/graph.h"

/* One resource's allocation scores, for crm_simulate -s style output. */
struct pe_score_line {
	char *text; /* "pcmk__primitive_assign: r allocation
		     *  score on n: 0" */
};

struct pe_result {
	struct graph *graph;
	GPtrArray *summary;  /* char *: Transition Summary lines */
	GPtrArray *scores;   /* char *: allocation score lines */
	GPtrArray *warnings; /* char *: configuration warnings */
	int64_t recheck;     /* next time to re-run, -1 none */
};

/**
 * pe_compute() - compute the transition for @cib at time @now.
 * @cib: [in] the model; its derived state is recomputed
 *       (cib_history_derive()) for @now.
 * @now: [in] seconds since the epoch.
 * @with_scores: [in] collect allocation score lines.
 * @out: [out] the result; free with pe_result_free().
 *
 * Returns 0, or -FO_ELOOP when the orderings form a loop (a message is
 * in out->warnings' last line), with @out still set.
 */
int pe_compute(struct cib *cib, int64_t now, bool with_scores,
	       struct pe_result **out);

/**
 * pe_op_timeout() - an operation's timeout in ms: its own, else the
 * op_defaults timeout, else 20 s. @op may be NULL.
 */
uint64_t pe_op_timeout(const struct cib *cib, const struct cib_op_cfg *op);

/**
 * pe_op_digest() - the op-digest of running @op (NULL: no definition) of
 * @rsc at @interval_ms, exactly as the policy engine later compares it:
 * the resource's and the operation's parameters, and for a recurring
 * operation its timeout. The caller frees it (g_free()); the executing
 * node records it with the result.
 */
char *pe_op_digest(const struct cib *cib, const struct cib_rsc *rsc,
		   const struct cib_op_cfg *op, uint64_t interval_ms);

/** pe_result_free() - free a result; NULL is fine. */
void pe_result_free(struct pe_result *r);

#endif /* FO_PE_H */
