/*
 * common.h - errors and logging shared by every part of fo.
 *
 * Library code returns int: 0 on success, a negative errno or a negative
 * FO_E* code otherwise; fo_strerror() turns either into text. Daemons log
 * through log_*(); tools print to stdout/stderr themselves. Only a
 * program's main() may call fatal()/fatalx().
 */
#ifndef FO_COMMON_H
#define FO_COMMON_H

#include <stdarg.h>
#include <stdbool.h>

#include <glib.h>

/* Project error codes, returned negated like errno values. */
enum fo_error {
	FO_EBASE = 1000,
	FO_ESYNTAX,	 /* malformed input (XML or text) */
	FO_ESCHEMA,	 /* input does not validate against the schema */
	FO_EUNSUPPORTED, /* a feature outside fo's supported subset */
	FO_EINVAL,	 /* well-formed input with an inconsistent value */
	FO_ENOTFOUND,	 /* a named object does not exist */
	FO_EDUP,	 /* duplicate id */
	FO_ELOOP,	 /* an ordering or colocation loop */
	FO_ETIMEOUT,	 /* an operation timed out */
	FO_ENOQUORUM,	 /* refused: this partition has no quorum */
	FO_EPROTO,	 /* a message failed its header or length checks */
	FO_ECORRUPT,	 /* a file on disk failed its digest check */
	FO_EMAX
};

/**
 * fo_strerror() - describe an error code.
 * @rc: [in] 0, a negative errno, or a negative FO_E* code.
 *
 * Returns a static string; never NULL.
 */
const char *fo_strerror(int rc);

/**
 * fo_sorted_keys() - a hash table's keys (strings) in byte order, so that
 * nothing written out depends on hashing. Free the array only
 * (g_ptr_array_free(a, TRUE)); the keys stay the table's.
 */
GPtrArray *fo_sorted_keys(GHashTable *h);

/**
 * log_init() - set where log lines go.
 * @ident:  [in] program name used as the syslog ident and stderr prefix.
 * @to_stderr: [in] true: write to stderr (daemon in the foreground, tools);
 *          false: syslog.
 * @debug:  [in] verbosity: 0 info, 1 debug, 2 and more trace; negative:
 *          nothing at all (fuzzers).
 */
void log_init(const char *ident, bool to_stderr, int debug);

/** log_verbosity() - the level given to log_init(). */
int log_verbosity(void);

/* log_warn() appends strerror(errno); log_warnx() does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vlog(int pri, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Log and exit(1); only a program's main path may call these. */
void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif /* FO_COMMON_H */
