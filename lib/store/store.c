/*
 * store.c - versioned, digested CIB files (see include/fo/store.h).
 *
 * In: CIB text from the replicated CIB. Out: files <dir>/cib-<serial>.xml,
 * each ending in one trailer line "<!-- fo-digest sha256=HEX length=N -->"
 * that covers the N bytes before it. Invariant: a file is visible under its
 * final name only after its bytes are on disk (write temp, fsync, rename,
 * fsync dir); the newest file that checks is the current CIB; a file that
 * does not check is renamed *.corrupt, logged, and never loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fo/common.h"
#include "fo/store.h"

#define STORE_PREFIX "cib-"
#define STORE_SUFFIX ".xml"
#define TRAILER_HEAD "\n<!-- fo-digest sha256="
#define STORE_MAX_FILE (512u * 1024 * 1024)

struct cib_store {
	char *dir;
	unsigned keep;
};

static char *
store_path(const struct cib_store *store, guint64 serial)
{
	return g_strdup_printf("%s/" STORE_PREFIX
			       "%" G_GUINT64_FORMAT STORE_SUFFIX,
			       store->dir, serial);
}

/* Parse "cib-<digits>.xml"; returns false for any other name. */
static bool
store_parse_name(const char *name, guint64 *serial)
{
	size_t n = strlen(name), plen = strlen(STORE_PREFIX),
	       slen = strlen(STORE_SUFFIX);
	char *end;

	if (n <= plen + slen || strncmp(name, STORE_PREFIX, plen) != 0 ||
	    strcmp(name + n - slen, STORE_SUFFIX) != 0)
		return false;
	if (!g_ascii_isdigit(name[plen]))
		return false;
	errno = 0;
	*serial = g_ascii_strtoull(name + plen, &end, 10);
	return errno == 0 && end == name + n - slen;
}

static gint
store_cmp_desc(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The serials present in the directory, newest first. */
static int
store_list(const struct cib_store *store, GArray **out)
{
	GArray *serials = g_array_new(FALSE, FALSE, sizeof(guint64));
	struct dirent *de;
	DIR *d;

	d = opendir(store->dir);
	if (d == NULL) {
		int rc = -errno;

		g_array_unref(serials);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		guint64 serial;

		if (store_parse_name(de->d_name, &serial))
			g_array_append_val(serials, serial);
	}
	closedir(d);
	g_array_sort(serials, store_cmp_desc);
	*out = serials;
	return 0;
}

int
cib_store_open(const char *dir, unsigned keep, struct cib_store **out)
{
	struct cib_store *store;
	struct stat st;

	if (dir == NULL || out == NULL)
		return -EINVAL;
	if (g_mkdir_with_parents(dir, 0750) != 0)
		return -errno;
	if (stat(dir, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (access(dir, R_OK | W_OK | X_OK) != 0)
		return -errno;
	store = g_new0(struct cib_store, 1);
	store->dir = g_strdup(dir);
	store->keep = keep ? keep : 1;
	*out = store;
	return 0;
}

void
cib_store_free(struct cib_store *store)
{
	if (store == NULL)
		return;
	g_free(store->dir);
	g_free(store);
}

static char *
store_trailer(const char *xml, size_t len)
{
	g_autofree char *hex = g_compute_checksum_for_data(
		G_CHECKSUM_SHA256, (const guchar *)xml, len);

	return g_strdup_printf(TRAILER_HEAD "%s length=%zu -->\n", hex, len);
}

static int
store_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
store_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* Remove all but the newest store->keep versions (and stale temp files). */
static void
store_prune(const struct cib_store *store)
{
	GArray *serials = NULL;

	if (store_list(store, &serials) != 0)
		return;
	for (guint i = store->keep; i < serials->len; i++) {
		g_autofree char *path =
			store_path(store, g_array_index(serials, guint64, i));

		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("%s: cannot remove old version %s", __func__,
				 path);
	}
	g_array_unref(serials);
}

int
cib_store_save(struct cib_store *store, const char *xml, size_t len,
	       guint64 *serial)
{
	g_autofree char *trailer = NULL, *tmp = NULL, *path = NULL;
	GArray *serials = NULL;
	guint64 next = 1;
	int fd, rc;

	if (store == NULL || (xml == NULL && len > 0))
		return -EINVAL;
	rc = store_list(store, &serials);
	if (rc != 0)
		return rc;
	if (serials->len > 0)
		next = g_array_index(serials, guint64, 0) + 1;
	g_array_unref(serials);

	trailer = store_trailer(xml, len);
	tmp = g_strdup_printf("%s/.cib-%" G_GUINT64_FORMAT ".tmp", store->dir,
			      next);
	path = store_path(store, next);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	rc = store_write_all(fd, xml, len);
	if (rc == 0)
		rc = store_write_all(fd, trailer, strlen(trailer));
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	rc = store_fsync_dir(store->dir);
	if (rc != 0)
		return rc;
	if (serial)
		*serial = next;
	store_prune(store);
	return 0;
}

/*
 * Read a version and check its trailer. On success *xml holds exactly the
 * digested bytes, NUL-terminated. Returns -FO_ECORRUPT with *why set when
 * the file does not check.
 */
static int
store_read_checked(const char *path, char **xml, size_t *len, char **why)
{
	g_autofree char *text = NULL, *expect = NULL;
	GError *err = NULL;
	const char *t;
	gsize size;
	size_t n;

	*why = NULL;
	if (!g_file_get_contents(path, &text, &size, &err)) {
		int rc = err->domain == G_FILE_ERROR &&
					 err->code == G_FILE_ERROR_NOENT
				 ? -ENOENT
				 : -EIO;

		*why = g_strdup(err->message);
		g_error_free(err);
		return rc;
	}
	if (size > STORE_MAX_FILE) {
		*why = g_strdup_printf("file is %zu bytes, over the limit",
				       (size_t)size);
		return -FO_ECORRUPT;
	}
	t = g_strrstr_len(text, (gssize)size, TRAILER_HEAD);
	if (t == NULL) {
		*why = g_strdup("no fo-digest trailer (truncated?)");
		return -FO_ECORRUPT;
	}
	n = (size_t)(t - text);
	expect = store_trailer(text, n);
	if (size - n != strlen(expect) || memcmp(t, expect, size - n) != 0) {
		*why = g_strdup("digest or length does not match the content");
		return -FO_ECORRUPT;
	}
	text[n] = '\0';
	*xml = g_steal_pointer(&text);
	if (len)
		*len = n;
	return 0;
}

/* Rename a bad version out of the way so it is never loaded again. */
static void
store_set_aside(const char *path, const char *why)
{
	g_autofree char *bad = NULL;
	time_t now = time(NULL);

	bad = g_strdup_printf("%s.%jd.corrupt", path, (intmax_t)now);
	if (rename(path, bad) != 0) {
		log_warn("%s: %s is bad (%s) and cannot be renamed", __func__,
			 path, why);
		return;
	}
	log_warnx("%s: %s is bad (%s); set aside as %s, trying the previous "
		  "version",
		  __func__, path, why, bad);
}

int
cib_store_load(struct cib_store *store, cib_store_validate_fn validate,
	       void *data, char **xml, size_t *len, unsigned *set_aside)
{
	GArray *serials = NULL;
	unsigned bad = 0;
	int rc;

	if (store == NULL || xml == NULL)
		return -EINVAL;
	*xml = NULL;
	rc = store_list(store, &serials);
	if (rc != 0)
		return rc;
	rc = -ENOENT;
	for (guint i = 0; i < serials->len; i++) {
		g_autofree char *path =
			store_path(store, g_array_index(serials, guint64, i));
		g_autofree char *why = NULL, *text = NULL;
		size_t n = 0;
		int r;

		r = store_read_checked(path, &text, &n, &why);
		if (r == -ENOENT)
			continue;
		if (r == 0 && validate != NULL) {
			r = validate(text, n, &why, data);
			if (r == 0)
				g_clear_pointer(&why, g_free);
			else if (why == NULL)
				why = g_strdup(fo_strerror(r));
		}
		if (r == 0) {
			*xml = g_steal_pointer(&text);
			if (len)
				*len = n;
			rc = 0;
			break;
		}
		if (r != -FO_ECORRUPT && validate == NULL) {
			rc = r; /* an I/O error: do not rename anything */
			break;
		}
		store_set_aside(path, why ? why : fo_strerror(r));
		bad++;
	}
	g_array_unref(serials);
	if (set_aside)
		*set_aside = bad;
	return rc;
}

int
cib_store_load_serial(struct cib_store *store, guint64 serial, char **xml,
		      size_t *len)
{
	g_autofree char *path = NULL, *why = NULL;

	if (store == NULL || xml == NULL)
		return -EINVAL;
	path = store_path(store, serial);
	return store_read_checked(path, xml, len, &why);
}

int
cib_store_history(struct cib_store *store, GArray **entries)
{
	GArray *serials = NULL, *out;
	int rc;

	if (store == NULL || entries == NULL)
		return -EINVAL;
	rc = store_list(store, &serials);
	if (rc != 0)
		return rc;
	out = g_array_new(FALSE, TRUE, sizeof(struct cib_store_entry));
	for (guint i = 0; i < serials->len; i++) {
		struct cib_store_entry e = {0};
		g_autofree char *path = NULL, *text = NULL, *why = NULL;
		struct stat st;
		size_t n = 0;

		e.serial = g_array_index(serials, guint64, i);
		path = store_path(store, e.serial);
		if (stat(path, &st) != 0)
			continue;
		e.mtime = st.st_mtime;
		e.valid = store_read_checked(path, &text, &n, &why) == 0;
		e.size = e.valid ? n : (size_t)st.st_size;
		g_array_append_val(out, e);
	}
	g_array_unref(serials);
	*entries = out;
	return 0;
}
