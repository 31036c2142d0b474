/*
 * schema_int.h - what the two halves of the configuration check share.
 *
 * schema.c drives a check (copy of the tree, validate-with, RELAX NG,
 * diagnostics); schema_subset.c walks the copied configuration for
 * features outside fo's subset. Both record findings through
 * cib__chk_diag(). Every node of the copy points at the caller's
 * original through _private, so findings carry the original line.
 */
#ifndef FO_CIB_SCHEMA_INT_H
#define FO_CIB_SCHEMA_INT_H

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

enum cib_chk_sev {
	CIB_CHK_WARN,	     /* accepted, named in a warning */
	CIB_CHK_ESCHEMA,     /* malformed: -FO_ESCHEMA */
	CIB_CHK_EUNSUPPORTED /* outside the subset: -FO_EUNSUPPORTED */
};

/* The state of one cib_config_check() call. */
struct cib_chk {
	const char *file;
	GPtrArray *found;      /* struct cib_diag *, this call's findings */
	GHashTable *prune;     /* copy nodes to take out before the schema */
	GHashTable *covered;   /* copy nodes with an error, and ancestors */
	GHashTable *ids;       /* id -> first copy node that uses it */
	bool schema_warn_only; /* validate-with="none" */
	int n_schema;
	int n_unsupported;
	int n_rng; /* findings from the schema pass */
};

/* Record a finding about copy node n (NULL: the whole document). */
void cib__chk_diag(struct cib_chk *c, xmlNodePtr n, enum cib_chk_sev sev,
		   const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/*
 * Refuse a feature at n: an error, and drop the subtree at prune (n itself,
 * or the top-level item that holds it) before the schema pass, so that the
 * schema does not report the same thing again in its own words.
 */
void cib__chk_refuse(struct cib_chk *c, xmlNodePtr n, xmlNodePtr prune,
		     const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Walk the copied <cib> for subset features, ids and values. */
void cib__subset_scan(struct cib_chk *c, xmlNodePtr cib);

/*
 * The severity of a finding about form (an element or attribute missing,
 * unknown or out of the schema's lists): a warning under
 * validate-with="none", as Pacemaker skips its schema then.
 */
enum cib_chk_sev cib__sev_form(const struct cib_chk *c);

/* Walk the copied <cib> for missing and unknown attributes and children. */
void cib__shape_scan(struct cib_chk *c, xmlNodePtr cib);

/* Value forms shared with the schema (see schemas/fo-cib.rng). */
bool cib__is_score(const char *s);
bool cib__is_duration(const char *s);
bool cib__is_count(const char *s);
/* Pacemaker's booleans: true/on/yes/y/1, false/off/no/n/0, any case. */
bool cib__parse_bool(const char *s, bool *out);

#endif /* FO_CIB_SCHEMA_INT_H */
