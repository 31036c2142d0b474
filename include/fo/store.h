/*
 * store.h - the CIB on disk: atomic, digested, versioned files.
 *
 * Stage 3 (cib/) persists the configuration through this module on every
 * node. Each saved version is one file, <dir>/cib-<serial>.xml, whose last
 * line is an XML comment holding the SHA-256 digest and length of every
 * byte before it; the newest file whose digest checks is the current CIB.
 * A save writes a temporary file, fsyncs it, renames it into place and
 * fsyncs the directory, so a crash leaves either the old or the new
 * version, never half of one. A file that fails its digest (or the
 * caller's validator) is renamed to *.corrupt and never loaded.
 */
#ifndef FO_STORE_H
#define FO_STORE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

struct cib_store;

/* One saved version, as listed by cib_store_history(). */
struct cib_store_entry {
	guint64 serial; /* increasing with every save */
	gint64 mtime;	/* seconds since the epoch */
	size_t size;	/* bytes of XML, digest line excluded */
	bool valid;	/* digest checks */
};

/*
 * A validator gets the XML text of a version whose digest checked and
 * returns 0 to accept it or a negative code (with a message in *why, which
 * the store frees) to have it set aside like a corrupt file.
 */
typedef int (*cib_store_validate_fn)(const char *xml, size_t len, char **why,
				     void *data);

/**
 * cib_store_open() - open (creating it if needed, mode 0750) a directory.
 * @dir:  [in] directory path, e.g. FO_STATE_DIR "/cib".
 * @keep: [in] how many versions to keep (at least 1).
 * @out:  [out] the store; free with cib_store_free().
 *
 * Returns 0, or a negative errno when the directory cannot be made or read.
 */
int cib_store_open(const char *dir, unsigned keep, struct cib_store **out);

/** cib_store_free() - release a store; NULL is accepted. */
void cib_store_free(struct cib_store *store);

/**
 * cib_store_save() - write a new version durably, then prune old ones.
 * @store:  [in] the store.
 * @xml:    [in] the CIB text; @len bytes, need not be NUL-terminated.
 * @serial: [out] optional: the serial of the new version.
 *
 * Returns 0, or a negative errno; on error the previous versions are
 * untouched and no partial file is left behind.
 */
int cib_store_save(struct cib_store *store, const char *xml, size_t len,
		   guint64 *serial);

/**
 * cib_store_load() - read the newest version that checks.
 * @store:    [in] the store.
 * @validate: [in] optional extra check (e.g. the schema), or NULL.
 * @data:     [in] passed to @validate.
 * @xml:      [out] NUL-terminated text; the caller frees it with g_free().
 * @len:      [out] optional: its length.
 * @set_aside:[out] optional: how many newer versions failed their digest
 *            or @validate and were renamed to *.corrupt (each is logged).
 *
 * Returns 0, -ENOENT when no valid version exists (an empty store, or all
 * versions set aside), or another negative errno.
 */
int cib_store_load(struct cib_store *store, cib_store_validate_fn validate,
		   void *data, char **xml, size_t *len, unsigned *set_aside);

/**
 * cib_store_load_serial() - read one given version (for diff and rollback).
 *
 * Returns 0, -ENOENT if there is no such version, -FO_ECORRUPT if its
 * digest fails (the file is left in place), or another negative errno.
 */
int cib_store_load_serial(struct cib_store *store, guint64 serial, char **xml,
			  size_t *len);

/**
 * cib_store_history() - list the kept versions, newest first.
 * @entries: [out] an array of struct cib_store_entry; the caller frees it
 *           with g_array_unref().
 */
int cib_store_history(struct cib_store *store, GArray **entries);

#endif /* FO_STORE_H */
