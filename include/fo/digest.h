/*
 * digest.h - the op-digest of an operation's parameters, as Pacemaker
 * computes it, so that histories written by fo and by Pacemaker compare.
 *
 * The executor's side (recording an operation) and the policy engine's
 * side (has the definition changed since the resource started?) must use
 * this one function.
 */
#ifndef FO_DIGEST_H
#define FO_DIGEST_H

#include <glib.h>

/**
 * fo_op_digest() - the op-digest of one operation.
 * @params:     [in] the resource's instance attributes (name -> value).
 * @timeout_ms: [in] for a recurring operation its timeout in ms as text
 *              ("20000"): the configured one, else op_defaults', else
 *              20000 (Pacemaker puts the default in as well); NULL for a
 *              non-recurring operation (no CRM_meta_timeout then).
 *
 * The digest is the MD5 of " <parameters NAME="VALUE" .../>\n", every
 * parameter plus CRM_meta_timeout (when given) sorted by name in byte
 * order, values escaped as Pacemaker does (& < > " ' as entities, a
 * newline and a carriage return as \n and \r, a tab as four spaces):
 * found to reproduce the digests Pacemaker 2.1.5 records
 * (tests/unit/check_digest.c has the cases). The policy engine
 * (lib/pe/pe_digest.c) and the executor both use this function.
 *
 * Returns 32 lowercase hex digits; the caller frees them with g_free().
 */
char *fo_op_digest(GHashTable *params, const char *timeout_ms);

/**
 * fo_op_digest_text() - the text fo_op_digest() takes the MD5 of, for a
 * caller that keeps digests by text (the policy engine computes the same
 * one for many resources). Parameters as fo_op_digest(); the caller
 * frees the result with g_free().
 */
char *fo_op_digest_text(GHashTable *params, const char *timeout_ms);

/**
 * fo_op_digest_text_append() - the same text appended to @out, for a
 * caller that computes many digests into one buffer.
 */
void fo_op_digest_text_append(GString *out, GHashTable *params,
			      const char *timeout_ms);

#endif /* FO_DIGEST_H */
