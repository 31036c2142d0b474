/*
 * error.c - one place that turns fo's return codes into text.
 *
 * In: 0, a negative errno or a negative FO_E* code (common.h).
 * Out: a static string. Never allocates, never fails.
 */
#include <string.h>

#include "fo/common.h"

static const char *const fo_error_text[] = {
	[FO_ESYNTAX - FO_EBASE] = "malformed input",
	[FO_ESCHEMA - FO_EBASE] = "does not validate against the schema",
	[FO_EUNSUPPORTED - FO_EBASE] = "not supported by fo",
	[FO_EINVAL - FO_EBASE] = "invalid value",
	[FO_ENOTFOUND - FO_EBASE] = "not found",
	[FO_EDUP - FO_EBASE] = "duplicate id",
	[FO_ELOOP - FO_EBASE] = "loop in constraints",
	[FO_ETIMEOUT - FO_EBASE] = "timed out",
	[FO_ENOQUORUM - FO_EBASE] = "partition has no quorum",
	[FO_EPROTO - FO_EBASE] = "protocol error in message",
	[FO_ECORRUPT - FO_EBASE] = "file is corrupt (digest mismatch)",
};

const char *
fo_strerror(int rc)
{
	int code = -rc;

	if (rc == 0)
		return "success";
	if (code > FO_EBASE && code < FO_EMAX && fo_error_text[code - FO_EBASE])
		return fo_error_text[code - FO_EBASE];
	if (code > 0 && code < FO_EBASE)
		return strerror(code);
	return "unknown error";
}
