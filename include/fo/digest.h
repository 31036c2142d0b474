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
 * @timeout_ms: [in] the operation's configured timeout in ms as text
 *              ("20000"), or NULL when the operation definition sets none.
 *
 * The digest is the MD5 of " <parameters NAME="VALUE" .../>\n", every
 * parameter plus CRM_meta_timeout (when given) sorted by name in byte
 * order, values XML-escaped: found to reproduce the digests Pacemaker
 * 2.1.5 records (tests/unit/check_digest.c has the cases).
 *
 * Returns 32 lowercase hex digits; the caller frees them with g_free().
 */
char *fo_op_digest(GHashTable *params, const char *timeout_ms);

#endif /* FO_DIGEST_H */
