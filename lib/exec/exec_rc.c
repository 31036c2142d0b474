/*
 * exec_rc.c - what an agent's exit code means.
 *
 * In: the standard, the action and the raw exit code. Out: an OCF rc and an
 * execution status. OCF codes pass through; LSB init scripts use one table
 * for "status" (0 running, 1-3 not running, 4 unknown) and the OCF-like
 * table 0-7 for everything else. A code outside the standard is an
 * execution error (status EXEC_ERROR, rc OCF_ERR_GENERIC), never guessed.
 */
#include <string.h>

#include "exec_int.h"

static bool
rc_is_ocf(int code)
{
	return (code >= OCF_SUCCESS && code <= OCF_FAILED_PROMOTED) ||
	       code == OCF_DEGRADED || code == OCF_DEGRADED_PROMOTED;
}

int
exec_map_rc(const char *standard, const char *action, int exit_code,
	    enum exec_status *status)
{
	*status = EXEC_DONE;
	if (g_strcmp0(standard, "lsb") != 0) {
		if (rc_is_ocf(exit_code))
			return exit_code;
		*status = EXEC_ERROR;
		return OCF_ERR_GENERIC;
	}
	if (g_strcmp0(action, "status") == 0 ||
	    g_strcmp0(action, "monitor") == 0) {
		switch (exit_code) {
		case 0:
			return OCF_SUCCESS;
		case 1: /* dead, pid file exists */
		case 2: /* dead, lock file exists */
		case 3: /* not running */
			return OCF_NOT_RUNNING;
		case 4: /* unknown */
			return OCF_ERR_GENERIC;
		default:
			*status = EXEC_ERROR;
			return OCF_ERR_GENERIC;
		}
	}
	if (exit_code >= 0 && exit_code <= OCF_NOT_RUNNING)
		return exit_code;
	*status = EXEC_ERROR;
	return OCF_ERR_GENERIC;
}

static const struct {
	int rc;
	const char *symbol, *name;
} rc_table[] = {
	{OCF_SUCCESS, "OCF_SUCCESS", "ok"},
	{OCF_ERR_GENERIC, "OCF_ERR_GENERIC", "error"},
	{OCF_ERR_ARGS, "OCF_ERR_ARGS", "invalid parameter"},
	{OCF_ERR_UNIMPLEMENTED, "OCF_ERR_UNIMPLEMENTED",
	 "unimplemented feature"},
	{OCF_ERR_PERM, "OCF_ERR_PERM", "insufficient privileges"},
	{OCF_ERR_INSTALLED, "OCF_ERR_INSTALLED", "not installed"},
	{OCF_ERR_CONFIGURED, "OCF_ERR_CONFIGURED", "not configured"},
	{OCF_NOT_RUNNING, "OCF_NOT_RUNNING", "not running"},
	{OCF_RUNNING_PROMOTED, "OCF_RUNNING_PROMOTED", "promoted"},
	{OCF_FAILED_PROMOTED, "OCF_FAILED_PROMOTED", "promoted (failed)"},
	{OCF_DEGRADED, "OCF_DEGRADED", "degraded"},
	{OCF_DEGRADED_PROMOTED, "OCF_DEGRADED_PROMOTED", "promoted (degraded)"},
};

const char *
ocf_rc_name(int rc)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rc_table); i++)
		if (rc_table[i].rc == rc)
			return rc_table[i].name;
	return "unknown";
}

const char *
ocf_rc_symbol(int rc)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rc_table); i++)
		if (rc_table[i].rc == rc)
			return rc_table[i].symbol;
	return NULL;
}

const char *
exec_status_name(enum exec_status status)
{
	switch (status) {
	case EXEC_PENDING:
		return "pending";
	case EXEC_DONE:
		return "done";
	case EXEC_CANCELLED:
		return "cancelled";
	case EXEC_TIMEOUT:
		return "timeout";
	case EXEC_NOT_SUPPORTED:
		return "not supported";
	case EXEC_ERROR:
		return "error";
	case EXEC_NOT_CONFIGURED:
		return "not configured";
	case EXEC_NOT_INSTALLED:
		return "not installed";
	}
	return "unknown";
}
