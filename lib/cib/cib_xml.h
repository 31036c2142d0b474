/*
 * cib_xml.h - a small, strict XML tokenizer for the CIB's status section
 * (lib/cib only; the fuzz target and unit tests drive it directly).
 *
 * In: a buffer that holds a whole document, and the offset just after a
 * start tag whose content is to be read (or the whole document, from its
 * XML declaration to the end of the buffer). Out: one event at a time
 * (start tag with its attributes, end tag), until the end tag of that
 * enclosing element (or the end of the document). Nothing is allocated per
 * element: names are interned once per tokenizer, values point into the buffer
 * unless a reference or a newline had to be decoded. Anything that is not
 * well-formed XML 1.0 (in UTF-8, without a DTD) stops it with a message and a
 * line.
 */
#ifndef FO_CIB_XML_H
#define FO_CIB_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

/* One attribute: @name is the tokenizer's interned copy (the same
 * pointer for the same name, NUL-terminated); @value is @len bytes,
 * not NUL-terminated, valid until the next cib__xml_next(). */
struct cib_xattr {
	const char *name;
	const char *value;
	size_t len;
	int tag; /* the name's tag (cib__xml_tag()), -1 for none */
};

enum cib_xml_event {
	CIB_XML_START, /* a start tag (an empty element gives START, END) */
	CIB_XML_END,   /* an end tag */
	CIB_XML_DONE,  /* the enclosing element's end tag: content read
			* (a whole document: its end, after the root) */
	CIB_XML_ERROR, /* not well-formed: see error, line, element */
};

struct cib_xml_name; /* an entry of the name table */

/* The slot cib__xml_slot_at() gave last for a hint, and its text. */
struct cib_xml_memo {
	const char *s; /* NULL when none */
	size_t len;
	void **slot;
};

struct cib_xml_open; /* an element of the stack */

struct cib_xml {
	/* the event just returned */
	const char *name; /* element (interned) */
	int line;	  /* of the tag's '<' */
	int depth;	  /* of that element: 1 = child of the enclosing */
	const struct cib_xattr *attrs; /* START: its attributes */
	int n_attrs;
	size_t done_at; /* DONE: offset of the enclosing end tag's '<' */
	char *error;	/* ERROR: what is wrong */

	/* private */
	const char *buf, *end, *p;
	const char *enclosing; /* interned name of the enclosing element */
	const char *lpos;      /* newlines counted up to here */
	int lline;	       /* line at lpos */
	bool tag_nl;	 /* the tag read may hold a newline (see line_at()) */
	bool close_next; /* the last START was an empty element */
	int state;	 /* CIB_XML_START while reading, else DONE or ERROR */
	int doc;	 /* DOC_NONE (content of an element), or a document */
	struct cib_xml_name *names;
	guint n_names, names_cap;
	GStringChunk *strings;
	guint stamp;	/* tag counter: duplicate attribute check */
	guint pred[80]; /* names entry + 1 seen last at a place of a tag:
			 * 16 for element depths, 64 for attributes */
	struct cib_xml_memo memo[32]; /* cib__xml_slot_at()'s, by hint */
	struct cib_xattr *attr;	      /* of the current tag */
	int attrs_cap;
	struct cib_xml_open *stack; /* the open elements, innermost last */
	guint n_open, stack_cap;
	GString *scratch; /* decoded values of the current tag */
	GArray *fix;	  /* which attributes point into scratch */
	bool decoded;	  /* scratch and fix hold something */
};

/*
 * cib__xml_init() - start reading the content of an element.
 * @x: [out] the tokenizer; released with cib__xml_clear().
 * @buf, @len: [in] the whole document (or any buffer), not copied: it must
 *   outlive @x.
 * @start: offset just after the enclosing start tag's '>'.
 * @line: the line @start is on (1 for the first).
 * @enclosing: the enclosing element's name, which its end tag must match.
 */
void cib__xml_init(struct cib_xml *x, const char *buf, size_t len, size_t start,
		   int line, const char *enclosing);

/*
 * cib__xml_init_doc() - start reading the whole document @buf (@len
 * bytes, not copied): an XML declaration (version 1.x; UTF-8 or no
 * encoding), comments, PIs and white space around one root element.
 * Events have the root at depth 1; CIB_XML_DONE comes at the end of the
 * buffer, with done_at = @len and no name. Anything else (a byte order
 * mark, another encoding, a DTD, namespaces) is an error.
 */
void cib__xml_init_doc(struct cib_xml *x, const char *buf, size_t len);

/*
 * cib__xml_here() - the offset just after the tag of the event just
 * returned (where the content of a START's element begins). Its line in
 * *@line, and in *@empty whether that START was an empty element (<a/>:
 * nothing of it follows but its END); either may be NULL.
 */
size_t cib__xml_here(struct cib_xml *x, int *line, bool *empty);

/*
 * cib__xml_resume() - after a START whose content was read by other
 * means (e.g. another tokenizer): go on at offset @at, the '<' of that
 * element's end tag, which is on line @line.
 */
void cib__xml_resume(struct cib_xml *x, size_t at, int line);

/* cib__xml_clear() - free what @x holds (not the buffer). */
void cib__xml_clear(struct cib_xml *x);

/*
 * cib__xml_intern() - @s as the tokenizer interns names: element and
 * attribute names it returns compare equal to this pointer when they
 * are the same text.
 */
const char *cib__xml_intern(struct cib_xml *x, const char *s);

/* cib__xml_tag() - cib__xml_intern(), and attributes of that name will
 * carry @tag (a number of the caller's) in struct cib_xattr. */
const char *cib__xml_tag(struct cib_xml *x, const char *s, int tag);

/*
 * cib__xml_slot() - a pointer of the caller's for the text @s (@len
 * bytes, e.g. an attribute value): the same slot for the same text,
 * holding NULL the first time. Lets the caller map repeated values to
 * its own copies without hashing them again.
 */
void **cib__xml_slot(struct cib_xml *x, const char *s, size_t len);

/* cib__xml_slot_at() when the text is not the one it gave last: looked
 * up, and remembered for @hint. */
void **cib__xml_slot_new(struct cib_xml *x, const char *s, size_t len,
			 guint hint);

/*
 * cib__xml_slot_at() - cib__xml_slot(), trying first the text it gave
 * last for @hint (a number of the caller's below 32, e.g. the kind of
 * attribute): values of one kind often repeat the one before, and that
 * one compare is made inline.
 */
static inline void **
cib__xml_slot_at(struct cib_xml *x, const char *s, size_t len, guint hint)
{
	const struct cib_xml_memo *m = &x->memo[hint % G_N_ELEMENTS(x->memo)];

	if (m->s != NULL && m->len == len && memcmp(m->s, s, len) == 0)
		return m->slot;
	return cib__xml_slot_new(x, s, len, hint);
}

/*
 * cib__xml_next() - the next event. After CIB_XML_DONE or CIB_XML_ERROR
 * it returns the same again. On CIB_XML_ERROR, x->error says what,
 * x->line where and x->name in which element (NULL when none was open).
 */
enum cib_xml_event cib__xml_next(struct cib_xml *x);

/* cib__xml_lines() - the number of '\n' in @n bytes at @p. */
int cib__xml_lines(const char *p, size_t n);

#endif /* FO_CIB_XML_H */
