/*
 * cluster_errno.c - the one translation of corosync's cs_error_t.
 *
 * In: a cs_error_t from libcpg, libquorum or libcmap (where CS_OK is 1,
 * so "if (rc)" is always a bug). Out: 0 or a negative errno that the rest
 * of fo understands and fo_strerror() can print.
 */
#include <errno.h>

#include "cluster_private.h"

int
cluster__errno(cs_error_t rc)
{
	switch (rc) {
	case CS_OK:
		return 0;
	case CS_ERR_LIBRARY:		/* corosync went away */
		return -ENOTCONN;
	case CS_ERR_TRY_AGAIN:
	case CS_ERR_QUEUE_FULL:
		return -EAGAIN;
	case CS_ERR_BAD_HANDLE:
		return -EBADF;
	case CS_ERR_TIMEOUT:
		return -ETIMEDOUT;
	case CS_ERR_INVALID_PARAM:
	case CS_ERR_BAD_FLAGS:
		return -EINVAL;
	case CS_ERR_NO_MEMORY:
	case CS_ERR_NO_RESOURCES:
		return -ENOMEM;
	case CS_ERR_ACCESS:
	case CS_ERR_SECURITY:
		return -EACCES;
	case CS_ERR_NOT_EXIST:
	case CS_ERR_NAME_NOT_FOUND:
		return -ENOENT;
	case CS_ERR_NAME_TOO_LONG:
		return -ENAMETOOLONG;
	case CS_ERR_EXIST:
		return -EEXIST;
	case CS_ERR_NO_SPACE:
		return -ENOSPC;
	case CS_ERR_INTERRUPT:
		return -EINTR;
	case CS_ERR_BUSY:
		return -EBUSY;
	case CS_ERR_NOT_SUPPORTED:
		return -ENOTSUP;
	case CS_ERR_TOO_BIG:
		return -EMSGSIZE;
	case CS_ERR_MESSAGE_ERROR:
		return -EPROTO;
	default:
		return -EIO;
	}
}
