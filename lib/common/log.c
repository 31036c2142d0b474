/*
 * log.c - the daemon's and tools' logging, in the OpenBSD daemon style.
 *
 * In: printf-style messages from anywhere in fo. Out: lines on stderr
 * (foreground, tools, tests) or syslog (daemon). Messages start with the
 * caller's __func__ by convention. Not thread-safe; fo has no threads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "fo/common.h"

static const char *log_ident = "fo";
static bool log_stderr = true;
static int log_level;

void
log_init(const char *ident, bool to_stderr, int debug)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_level = debug;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_verbosity(void)
{
	return log_level;
}

void
log_vlog(int pri, const char *fmt, va_list ap)
{
	static const char *const names[] = {
		[LOG_ERR] = "error",	 [LOG_WARNING] = "warning",
		[LOG_NOTICE] = "notice", [LOG_INFO] = "info",
		[LOG_DEBUG] = "debug",
	};
	struct timespec ts;
	struct tm tm;
	char stamp[32];

	if (log_level < 0)
		return; /* silenced (fuzzers) */
	if (!log_stderr) {
		vsyslog(pri, fmt, ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s %s: ", stamp, ts.tv_nsec / 1000000,
		log_ident,
		pri < (int)(sizeof(names) / sizeof(names[0])) && names[pri]
			? names[pri]
			: "log");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void
log_errno(int pri, int saved, const char *fmt, va_list ap)
{
	char buf[1024];

	if (log_level < 0)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!log_stderr) {
		syslog(pri, "%s: %s", buf, strerror(saved));
		return;
	}
	fprintf(stderr, "%s %s: %s: %s\n", log_ident, "error", buf,
		strerror(saved));
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_errno(LOG_ERR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
