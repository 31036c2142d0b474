/*
 * cib_elem.h - a light element tree for the CIB's configuration
 * (lib/cib only).
 *
 * In: start and end events of elements (from cib_xml.c's tokenizer), or
 * a libxml2 tree to copy. Out: elements with their name, attributes
 * (NUL-terminated, decoded values), line, parent, first child and next
 * sibling, in document order; no text, comments or PIs (the unpacker
 * reads none). Everything lives in one arena, freed at once: names are
 * not copied and must outlive the tree (the tokenizer's interned names,
 * or libxml2's).
 */
#ifndef FO_CIB_ELEM_H
#define FO_CIB_ELEM_H

#include <stdbool.h>
#include <string.h>

#include <libxml/tree.h>

#include "cib_xml.h"
#include "fo/arena.h"

struct cib_eattr {
	const char *name;
	const char *value; /* NUL-terminated */
};

struct cib_elem {
	const char *name;
	struct cib_elem *parent, *children, *next;
	struct cib_elem *last; /* last child, while the tree is built */
	int line;	       /* of the start tag's '<' */
	int n_attrs;
	struct cib_eattr attrs[]; /* in document order */
};

/* A tree being built, or built. */
struct cib_etree {
	struct fo_arena *ar;
	struct cib_elem *root; /* the first element started */
	struct cib_elem *cur;  /* the innermost open one, NULL at the top */
};

/* cib__etree_init() - an empty tree; free it with cib__etree_clear(). */
void cib__etree_init(struct cib_etree *t);

/* cib__etree_clear() - free every element of @t (not the names). */
void cib__etree_clear(struct cib_etree *t);

/*
 * cib__etree_start() - open element @name (kept as is, not copied) at
 * @line, with the @n attributes @attrs (their values copied), as the
 * last child of the open element (or as the root). Returns it.
 */
struct cib_elem *cib__etree_start(struct cib_etree *t, const char *name,
				  int line, const struct cib_xattr *attrs,
				  int n);

/* cib__etree_end() - close the innermost open element of @t. */
void cib__etree_end(struct cib_etree *t);

/*
 * cib__etree_copy() - element @n of libxml2's tree (with every element
 * below it when @deep; text, comments and PIs are left out) as the last
 * child of the open element of @t (or as the root), each with the line
 * xmlGetLineNo() gives. Returns the copy of @n. Names and attribute
 * names point into @n's document, which must outlive @t.
 */
struct cib_elem *cib__etree_copy(struct cib_etree *t, xmlNodePtr n, bool deep);

/* cib__attr() - the value of attribute @name of @n, NULL when absent. */
static inline const char *
cib__attr(const struct cib_elem *n, const char *name)
{
	int i;

	for (i = 0; i < n->n_attrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return n->attrs[i].value;
	return NULL;
}

/* cib__is() - whether @n is a @name element. */
static inline bool
cib__is(const struct cib_elem *n, const char *name)
{
	return strcmp(n->name, name) == 0;
}

/*
 * cib__elem_line() - the line of @n as the CIB's diagnostics give it:
 * libxml2 keeps at most 65535 in its trees (without XML_PARSE_BIG_LINES,
 * which the libxml2 path does not use), so elements further down report
 * 65535 on both paths and their output stays the same.
 */
static inline int
cib__elem_line(const struct cib_elem *n)
{
	return n->line < 65535 ? n->line : 65535;
}

#endif /* FO_CIB_ELEM_H */
