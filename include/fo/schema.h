/*
 * schema.h - the configuration check: is a CIB inside fo's subset?
 *
 * Stage: between parsing a CIB and unpacking it (cib/ before it accepts a
 * new configuration, pe/ and the CLIs before they use one). In: a parsed
 * <cib> element. Out: a list of diagnostics, each an error or a warning
 * with file, line, element and a message that says what to do, and a
 * verdict. The check reads the caller's tree and never modifies it; it
 * keeps no state between calls.
 */
#ifndef FO_SCHEMA_H
#define FO_SCHEMA_H

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

/*
 * One finding of cib_config_check(). error is false for a warning (an
 * accepted setting that fo does not implement). file may be NULL, line is
 * 0 when unknown, element describes the element (e.g.
 * `<primitive id="rsc1">`) and may be NULL for findings about the whole
 * document. All strings are owned by the diag.
 */
struct cib_diag {
	bool error;
	char *file;
	int line;
	char *element;
	char *message;
};

/**
 * cib_diag_free() - free a diag and its strings.
 * @d: [in] the diag, or NULL (then nothing happens). Its signature fits
 *     g_ptr_array_new_with_free_func().
 */
void cib_diag_free(struct cib_diag *d);

/**
 * cib_config_check() - check the configuration of a CIB.
 * @cib_root: [in] the <cib> element; NULL or another root element is
 *            reported as an error. Only read, never modified.
 * @file:     [in] the name to put in diagnostics (may be NULL).
 * @diags:    [in,out] the caller's array, made with
 *            g_ptr_array_new_with_free_func((GDestroyNotify)cib_diag_free);
 *            the findings of this call are appended in line order and
 *            owned by the array.
 *
 * Checks, in this order: validate-with (pacemaker-1.0, -1.2, -1.3,
 * -2.0 ... -2.10, -3.N, or none; anything else is an error; a missing one
 * is a warning), features outside fo's subset (rsc_ticket, bundles,
 * promotable and globally unique clones, utilization and placement
 * strategies, resource sets, fencing topology, remote and guest nodes, date
 * and resource/operation rules, id-ref references, ...: errors naming the
 * element and its line), settings that only annotate or tune what fo does
 * not have (dc-version, batch-limit, multiple-active, op start-delay, ...:
 * warnings), duplicate ids, malformed scores, times and booleans,
 * missing and unknown attributes and children (named), and finally the
 * RELAX NG schema schemas/fo-cib.rng, which is built into the library.
 * With validate-with="none", findings about form (what a schema catches)
 * are warnings, as Pacemaker skips its schema then (the unpacker applies
 * Pacemaker's fallbacks, e.g. an unknown rsc_order kind is Mandatory).
 * The status section is not checked here. The embedded schema is parsed
 * on every call; there is no cache and no global state. Measured here: 0.4
 * ms for a small CIB, 190 ms for 5000 primitives and 5000 locations.
 *
 * Returns 0 when no diag is an error, -FO_EUNSUPPORTED when at least one
 * error is about a feature outside the subset, -FO_ESCHEMA when the errors
 * are all about form (schema, values, ids, validate-with), -EINVAL when
 * diags is NULL (then nothing is checked).
 */
int cib_config_check(xmlNodePtr cib_root, const char *file, GPtrArray *diags);

/**
 * cib_diag_format() - one line for people.
 * @d: [in] the diag.
 *
 * Returns "file:line: error: <element id=...>: message" (or "warning";
 * the line, the element and the file are left out when unknown), to be
 * freed with g_free().
 */
char *cib_diag_format(const struct cib_diag *d);

#endif /* FO_SCHEMA_H */
