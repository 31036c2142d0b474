/*
 * cib_xml.c - a small, strict XML tokenizer for the status section.
 *
 * A steady CIB is mostly status section (90 MB at 32 nodes x 5000
 * resources), and libxml2's tokenizer alone took longer than the whole
 * budget of fo-sim on it. This one reads the content of one element of
 * a buffer already in memory: values and white space 16 bytes at a
 * time, names interned once and guessed from the tag of the same kind
 * before (an attribute written as before is one compare), values left
 * in the buffer unless a reference or a newline in them must be
 * decoded, lines counted as the white space is skipped. It also reads
 * a whole document (fo-sim's fast path: the configuration into a light
 * tree, then the status section), with its prolog and epilog. It accepts
 * well-formed XML 1.0 in UTF-8 only: comments, processing instructions
 * and CDATA sections are checked and skipped, a DTD or a namespace is
 * refused; every error names the line and the open element.
 */
#include <stdarg.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cib_xml.h"

struct cib_xml_name {
	const char *s; /* NUL-terminated, in x->strings */
	guint len, hash, stamp;
	guint64 head;	   /* the first bytes (up to 8), for name_is() */
	const char *glue;  /* ' name="' once read so as an attribute */
	guint64 glue_head; /* its first bytes */
	int tag;	   /* the caller's, -1 by default */
	bool ns;	   /* a prefixed name or xmlns: needs namespaces */
	void *slot;	   /* the caller's (cib__xml_slot()) */
};

/* x->doc: reading the content of one element, or a whole document */
enum { DOC_NONE = 0, DOC_PROLOG, DOC_ROOT };

struct cib_xml_open {
	const char *name; /* interned */
	guint len;
	guint64 head; /* as in struct cib_xml_name */
	int line;
};

/* Byte classes of attribute values and text. */
enum {
	C_PLAIN = 0,
	C_AMP,	 /* '&': a reference */
	C_LT,	 /* '<': not allowed in a value */
	C_SPACE, /* tab, newline, carriage return: normalised in values */
	C_CTRL,	 /* other bytes below 0x20: never allowed */
	C_HIGH,	 /* 0x80 and above: part of a UTF-8 sequence */
};

static unsigned char vclass[256];
static unsigned char namech[256]; /* 1: name character, 2: may start one */
static bool spacech[256];	  /* white space: ' ', tab, newline, CR */

static void
tables_init(void)
{
	static gsize done;
	int c;

	if (!g_once_init_enter(&done))
		return;
	for (c = 0; c < 0x20; c++)
		vclass[c] = C_CTRL;
	vclass['\t'] = vclass['\n'] = vclass['\r'] = C_SPACE;
	spacech[' '] = spacech['\t'] = spacech['\n'] = spacech['\r'] = true;
	vclass['&'] = C_AMP;
	vclass['<'] = C_LT;
	for (c = 0x80; c < 0x100; c++)
		vclass[c] = C_HIGH;
	for (c = 0; c < 0x100; c++) {
		if (g_ascii_isalpha(c) || c == '_' || c == ':' || c >= 0x80)
			namech[c] = 2;
		else if (g_ascii_isdigit(c) || c == '-' || c == '.')
			namech[c] = 1;
	}
	g_once_init_leave(&done, 1);
}

/*
 * 16 bytes compared at once, lane by lane: GCC's and clang's vector
 * extension, which is SSE2 on x86-64, NEON on ARM and plain code
 * elsewhere. A comparison gives -1 in each lane where it holds, 0 in
 * the others.
 */
typedef signed char cib_v16 __attribute__((vector_size(16)));

/* The index of the first lane of @m that is not 0, -1 when none is. */
static inline int
first_lane(cib_v16 m)
{
#ifdef __SSE2__
	/* x86-64: a bit per lane (its top bit), lane 0 the lowest */
	int bits = _mm_movemask_epi8((__m128i)m);

	return bits != 0 ? __builtin_ctz((unsigned)bits) : -1;
#else
	guint64 lo, hi;

	memcpy(&lo, &m, 8);
	memcpy(&hi, (const char *)&m + 8, 8);
	/* the lanes in memory order: the lowest byte of a little-endian
	 * word comes first */
	if (lo != 0)
		return __builtin_ctzll(GUINT64_FROM_LE(lo)) / 8;
	if (hi != 0)
		return 8 + __builtin_ctzll(GUINT64_FROM_LE(hi)) / 8;
	return -1;
#endif
}

int
cib__xml_lines(const char *p, size_t n)
{
	const char *end = p + n;
	int lines = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/*
 * The line of @pos, counting from the last position asked for. The
 * count is moved on for free where it can be: past a tag that holds
 * no newline (tag_done()), and through the white space after it,
 * where the newlines are counted as it is skipped (cib__xml_next()).
 */
static int
line_at(struct cib_xml *x, const char *pos)
{
	if (pos == x->lpos)
		return x->lline;
	if (pos >= x->lpos)
		x->lline += cib__xml_lines(x->lpos, (size_t)(pos - x->lpos));
	else
		x->lline -= cib__xml_lines(pos, (size_t)(x->lpos - pos));
	x->lpos = pos;
	return x->lline;
}

/* Names with a prefix, and xmlns declarations, would need namespaces. */
static bool
ns_name(const char *s, size_t n)
{
	return memchr(s, ':', n) != NULL ||
	       (n == 5 && memcmp(s, "xmlns", 5) == 0);
}

/* A hash of the @n bytes at @s, 8 at a time. */
static guint
name_hash(const char *s, size_t n)
{
	guint64 h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 32;
	return (guint)h;
}

static void
names_grow(struct cib_xml *x)
{
	struct cib_xml_name *old = x->names;
	guint cap = x->names_cap, i;

	x->names_cap = cap ? cap * 2 : 64;
	memset(x->pred, 0, sizeof(x->pred)); /* entries move */
	memset(x->memo, 0, sizeof(x->memo));
	x->names = g_new0(struct cib_xml_name, x->names_cap);
	for (i = 0; i < cap; i++) {
		guint j = old[i].hash & (x->names_cap - 1);

		if (old[i].s == NULL)
			continue;
		while (x->names[j].s != NULL)
			j = (j + 1) & (x->names_cap - 1);
		x->names[j] = old[i];
	}
	g_free(old);
}

/* The table's entry for the @n bytes at @s (hash @h), added when new. */
static struct cib_xml_name *
intern_hashed(struct cib_xml *x, const char *s, size_t n, guint h)
{
	guint j;

	if (2 * (x->n_names + 1) > x->names_cap)
		names_grow(x);
	for (j = h & (x->names_cap - 1); x->names[j].s != NULL;
	     j = (j + 1) & (x->names_cap - 1)) {
		struct cib_xml_name *e = &x->names[j];

		if (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0)
			return e;
	}
	x->names[j].s = g_string_chunk_insert_len(x->strings, s, (gssize)n);
	x->names[j].len = (guint)n;
	x->names[j].hash = h;
	memcpy(&x->names[j].head, s, MIN(n, 8));
	x->names[j].tag = -1;
	x->names[j].ns = ns_name(s, n);
	x->n_names++;
	return &x->names[j];
}

static struct cib_xml_name *
intern(struct cib_xml *x, const char *s, size_t n)
{
	return intern_hashed(x, s, n, name_hash(s, n));
}

const char *
cib__xml_intern(struct cib_xml *x, const char *s)
{
	return intern(x, s, strlen(s))->s;
}

void **
cib__xml_slot(struct cib_xml *x, const char *s, size_t len)
{
	return &intern(x, s, len)->slot;
}

void **
cib__xml_slot_new(struct cib_xml *x, const char *s, size_t len, guint hint)
{
	struct cib_xml_memo *m = &x->memo[hint % G_N_ELEMENTS(x->memo)];
	struct cib_xml_name *e = intern(x, s, len); /* may move entries */

	m->s = e->s;
	m->len = e->len;
	m->slot = &e->slot;
	return m->slot;
}

const char *
cib__xml_tag(struct cib_xml *x, const char *s, int tag)
{
	struct cib_xml_name *e = intern(x, s, strlen(s));

	e->tag = tag;
	return e->s;
}

void
cib__xml_init(struct cib_xml *x, const char *buf, size_t len, size_t start,
	      int line, const char *enclosing)
{
	tables_init();
	memset(x, 0, sizeof(*x));
	x->buf = buf;
	x->end = buf + len;
	x->p = buf + (start < len ? start : len);
	x->lpos = x->p;
	x->lline = line;
	x->strings = g_string_chunk_new(1024);
	x->scratch = g_string_sized_new(256);
	x->fix = g_array_new(FALSE, FALSE, sizeof(gsize));
	x->enclosing = cib__xml_intern(x, enclosing);
}

void
cib__xml_init_doc(struct cib_xml *x, const char *buf, size_t len)
{
	cib__xml_init(x, buf, len, 0, 1, "");
	x->enclosing = NULL;
	x->doc = DOC_PROLOG;
}

size_t
cib__xml_here(struct cib_xml *x, int *line, bool *empty)
{
	if (line != NULL)
		*line = line_at(x, x->p);
	if (empty != NULL)
		*empty = x->close_next;
	return (size_t)(x->p - x->buf);
}

void
cib__xml_resume(struct cib_xml *x, size_t at, int line)
{
	x->p = x->buf + (at < (size_t)(x->end - x->buf)
				 ? at
				 : (size_t)(x->end - x->buf));
	x->lpos = x->p;
	x->lline = line;
}

void
cib__xml_clear(struct cib_xml *x)
{
	g_free(x->names);
	if (x->strings != NULL)
		g_string_chunk_free(x->strings);
	g_free(x->attr);
	g_free(x->stack);
	if (x->scratch != NULL)
		g_string_free(x->scratch, TRUE);
	if (x->fix != NULL)
		g_array_free(x->fix, TRUE);
	g_free(x->error);
	memset(x, 0, sizeof(*x));
}

/* The innermost open element, NULL when none is. */
static struct cib_xml_open *
open_top(const struct cib_xml *x)
{
	return x->n_open > 0 ? &x->stack[x->n_open - 1] : NULL;
}

/* The innermost open element's name, or the enclosing one's. */
static const char *
open_name(const struct cib_xml *x)
{
	return x->n_open > 0 ? x->stack[x->n_open - 1].name : x->enclosing;
}

/* A start tag opens element @e (a copy: entries move) of @line. */
static void
open_push(struct cib_xml *x, const struct cib_xml_name *e, int line)
{
	if (x->n_open == x->stack_cap) {
		x->stack_cap = x->stack_cap ? 2 * x->stack_cap : 16;
		x->stack = g_renew(struct cib_xml_open, x->stack, x->stack_cap);
	}
	x->stack[x->n_open].name = e->s;
	x->stack[x->n_open].len = e->len;
	x->stack[x->n_open].head = e->head;
	x->stack[x->n_open].line = line;
	x->n_open++;
}

static enum cib_xml_event fail(struct cib_xml *x, const char *pos,
			       const char *element, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* Stop with a message about @pos in @element (the open one if NULL). */
static enum cib_xml_event
fail(struct cib_xml *x, const char *pos, const char *element, const char *fmt,
     ...)
{
	va_list ap;

	va_start(ap, fmt);
	x->error = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	x->line = line_at(x, pos < x->end ? pos : x->end);
	x->name = element != NULL ? element : open_name(x);
	x->attrs = NULL;
	x->n_attrs = 0;
	x->state = CIB_XML_ERROR; /* stays stopped */
	return CIB_XML_ERROR;
}

static enum cib_xml_event
fail_eof(struct cib_xml *x, const char *what)
{
	const char *open = open_name(x);
	int line = x->n_open > 0 ? open_top(x)->line : 0;

	if (open == NULL) /* a whole document, outside its root */
		return fail(x, x->end, NULL, "the file ends%s%s: truncated?",
			    *what ? " " : "", what);
	if (line > 0)
		return fail(x, x->end, NULL,
			    "the file ends%s%s inside <%s> of line %d: "
			    "truncated?",
			    *what ? " " : "", what, open, line);
	return fail(x, x->end, NULL,
		    "the file ends%s%s before </%s>: "
		    "truncated?",
		    *what ? " " : "", what, open);
}

/* One UTF-8 character at @p that XML allows: its length, 0 if none. */
static int
utf8_char(const char *p, const char *end)
{
	gunichar c = g_utf8_get_char_validated(p, end - p);
	int n = (unsigned char)*p < 0xe0 ? 2 : (unsigned char)*p < 0xf0 ? 3 : 4;

	if (c == (gunichar)-1 || c == (gunichar)-2)
		return 0;
	if ((c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		return 0;
	return n;
}

static bool
xml_char_ok(unsigned long c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/*
 * The reference at @p ('&'): decoded into @out (up to 4 bytes, *@n),
 * returns the position after its ';', or NULL when it is not one of the
 * five predefined entities or a character reference to an XML char.
 */
static const char *
decode_ref(const char *p, const char *end, char *out, int *n)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = {{"lt;", '<'},
		    {"gt;", '>'},
		    {"amp;", '&'},
		    {"quot;", '"'},
		    {"apos;", '\''}};
	unsigned long c = 0;
	const char *q = p + 1;
	int digits = 0;
	size_t i;

	if (q < end && *q != '#') {
		for (i = 0; i < G_N_ELEMENTS(ents); i++) {
			size_t l = strlen(ents[i].name);

			if ((size_t)(end - q) >= l &&
			    memcmp(q, ents[i].name, l) == 0) {
				out[0] = ents[i].c;
				*n = 1;
				return q + l;
			}
		}
		return NULL;
	}
	q++;
	/* leading zeros are allowed; anything past 0x10ffff is not */
	if (q < end && *q == 'x') {
		for (q++; q < end && g_ascii_isxdigit(*q); q++, digits++)
			c = MIN(c * 16 +
					(unsigned long)g_ascii_xdigit_value(*q),
				0x110000UL);
	} else {
		for (; q < end && g_ascii_isdigit(*q); q++, digits++)
			c = MIN(c * 10 + (unsigned long)(*q - '0'), 0x110000UL);
	}
	if (digits == 0 || q >= end || *q != ';' || !xml_char_ok(c))
		return NULL;
	*n = g_unichar_to_utf8((gunichar)c, out);
	return q + 1;
}

/* Where the bytes [@p, @end) stop being XML characters, NULL if never. */
static const char *
bad_char(const char *p, const char *end)
{
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		int n;

		if (c >= 0x20 && c < 0x80) {
			p++;
			continue;
		}
		if (c < 0x80) {
			if (vclass[c] != C_SPACE)
				return p;
			p++;
			continue;
		}
		if ((n = utf8_char(p, end)) == 0)
			return p;
		p += n;
	}
	return NULL;
}

/* Text between tags: means nothing in the status section, but must be
 * well-formed (characters, references, no "]]>"). */
static bool
check_text(struct cib_xml *x, const char *p, const char *end)
{
	const char *q;

	for (q = p; q < end; q++)
		if (!spacech[(unsigned char)*q])
			break;
	if (q == end)
		return true;
	while (q < end) {
		unsigned char c = (unsigned char)*q;
		char tmp[4];
		int n;

		if (c == '&') {
			const char *after = decode_ref(q, end, tmp, &n);

			if (after == NULL) {
				fail(x, q, NULL, "bad reference in text");
				return false;
			}
			q = after;
			continue;
		}
		if (*q == ']' && end - q >= 3 && memcmp(q, "]]>", 3) == 0) {
			fail(x, q, NULL, "']]>' in text");
			return false;
		}
		n = c >= 0x80 ? utf8_char(q, end) : vclass[c] == C_CTRL ? 0 : 1;
		if (n == 0) {
			fail(x, q, NULL,
			     "a byte that is no XML character "
			     "(or not UTF-8) in text");
			return false;
		}
		q += n;
	}
	return true;
}

/* After a name starting at @p: its end; @p itself when there is none. */
static const char *
scan_name(const char *p, const char *end)
{
	const char *q = p;
	unsigned char high = 0;

	if (q >= end || namech[(unsigned char)*q] != 2)
		return p;
	while (q < end && namech[(unsigned char)*q] != 0)
		high |= (unsigned char)*q++;
	if ((high & 0x80) && !g_utf8_validate_len(p, (gsize)(q - p), NULL))
		return p;
	return q;
}

static inline guint64
load64(const char *p)
{
	guint64 w;

	memcpy(&w, p, 8);
	return w;
}

/*
 * Whether the @n bytes (at least 1) of @s, @head its first ones (up to
 * 8, as in struct cib_xml_name), are at @p. Names are short and one is
 * compared per tag and attribute: words instead of a memcmp() call.
 * From 8 bytes on, the last word overlaps the one before, so nothing
 * past either is read; fewer are compared as the first @n bytes of the
 * word at @p.
 */
static inline bool
bytes_are(const char *p, const char *end, const char *s, size_t n, guint64 head)
{
	guint64 mask;
	size_t i;

	if ((size_t)(end - p) < n)
		return false;
	if (n >= 8) {
		/* first and last word; the ones between for over 16 */
		if (load64(p) != load64(s) ||
		    load64(p + n - 8) != load64(s + n - 8))
			return false;
		for (i = 8; i + 8 < n; i += 8)
			if (load64(p + i) != load64(s + i))
				return false;
		return true;
	}
	if (end - p < 8)
		return memcmp(p, s, n) == 0;
	/* the mask of the first n bytes in memory, in the word's order */
	mask = GUINT64_FROM_LE((G_GUINT64_CONSTANT(1) << (8 * n)) - 1);
	return (load64(p) & mask) == head;
}

/* Whether the name @s (as bytes_are()) is at @p, and ends there. */
static inline bool
name_is(const char *p, const char *end, const char *s, size_t n, guint64 head)
{
	return (size_t)(end - p) > n && namech[(unsigned char)p[n]] == 0 &&
	       bytes_are(p, end, s, n, head);
}

/* @e's ' name="', the way an attribute is most often written. */
static void
make_glue(struct cib_xml *x, struct cib_xml_name *e)
{
	char *g = g_strdup_printf(" %s=\"", e->s);
	size_t n = e->len + 3;

	e->glue = g_string_chunk_insert_len(x->strings, g, (gssize)n);
	memcpy(&e->glue_head, g, MIN(n, 8));
	g_free(g);
}

/*
 * The name at @p, interned in *@e: its end, @p when there is none.
 * Tags of one kind repeat their names in the same order, so the entry
 * seen last time at the same @slot (element depth, attribute position)
 * is tried first, with name_is().
 */
static const char *read_name_new(struct cib_xml *x, const char *p, guint slot,
				 struct cib_xml_name **e);

static inline const char *
read_name(struct cib_xml *x, const char *p, guint slot, struct cib_xml_name **e)
{
	guint pred = x->pred[slot];

	if (pred != 0) {
		struct cib_xml_name *c = &x->names[pred - 1];

		if (name_is(p, x->end, c->s, c->len, c->head)) {
			*e = c;
			return p + c->len;
		}
	}
	return read_name_new(x, p, slot, e);
}

/* read_name() when the name is not the one seen last at @slot. */
static G_GNUC_NO_INLINE const char *
read_name_new(struct cib_xml *x, const char *p, guint slot,
	      struct cib_xml_name **e)
{
	guint *pred = &x->pred[slot];
	const char *q;

	q = scan_name(p, x->end);
	if (q == p)
		return p;
	*e = intern(x, p, (size_t)(q - p));
	*pred = (guint)(*e - x->names) + 1;
	return q;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && spacech[(unsigned char)*p])
		p++;
	return p;
}

/* The number of lanes of @m (each 0 or -1) that are not 0 among its
 * first @n (0 to 16): a byte sum of the low bits of each half. */
static inline int
lanes_before(cib_v16 m, int n)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
	guint64 lo, hi;

	memcpy(&lo, &m, 8);
	memcpy(&hi, (const char *)&m + 8, 8);
	lo = GUINT64_FROM_LE(lo) & ones;
	hi = GUINT64_FROM_LE(hi) & ones;
	if (n < 8) {
		lo &= (G_GUINT64_CONSTANT(1) << (8 * n)) - 1;
		hi = 0;
	} else if (n < 16) {
		hi &= (G_GUINT64_CONSTANT(1) << (8 * (n - 8))) - 1;
	}
	return (int)(((lo + hi) * ones) >> 56);
}

/*
 * skip_space() for the text between two tags (a newline and the next
 * one's indentation, usually), 16 bytes at a time, adding the newlines
 * passed to *@nl.
 */
static const char *
skip_text_space(const char *p, const char *end, int *nl)
{
	while (end - p >= 16) {
		cib_v16 v;
		int n;

		memcpy(&v, p, 16);
		n = first_lane((v != ' ') & (v != '\n') & (v != '\t') &
			       (v != '\r'));
		*nl += lanes_before(v == '\n', n < 0 ? 16 : n);
		if (n >= 0)
			return p + n;
		p += 16;
	}
	for (; p < end && spacech[(unsigned char)*p]; p++)
		*nl += *p == '\n';
	return p;
}

/* skip_space() inside a tag: notes whether a newline was in it. */
static inline const char *
tag_space(struct cib_xml *x, const char *p)
{
	const char *q = skip_space(p, x->end);

	if (q > p && memchr(p, '\n', (size_t)(q - p)) != NULL)
		x->tag_nl = true;
	return q;
}

/*
 * The tag from @lt was read whole, to x->p: the line of @lt (the
 * tag's), and when the tag holds no newline, lines counted to its end.
 */
static inline int
tag_done(struct cib_xml *x, const char *lt)
{
	int line = lt == x->lpos ? x->lline : line_at(x, lt);

	if (!x->tag_nl)
		x->lpos = x->p;
	return line;
}

/*
 * Decode the value [@p, @end) into the scratch buffer: references,
 * and tab, newline, CR (a CR-LF pair counts once) each to a space, as
 * XML's attribute-value normalisation does. Fails at '<' or a byte
 * that is not a character.
 */
static bool
decode_value(struct cib_xml *x, const char *p, const char *end,
	     const char *element)
{
	GString *s = x->scratch;

	while (p < end) {
		unsigned char c = (unsigned char)*p;
		const char *after;
		char tmp[4];
		int n;

		switch (vclass[c]) {
		case C_PLAIN:
			g_string_append_c(s, (char)c);
			p++;
			break;
		case C_AMP:
			after = decode_ref(p, end, tmp, &n);
			if (after == NULL) {
				fail(x, p, element,
				     "bad reference in an attribute value");
				return false;
			}
			g_string_append_len(s, tmp, n);
			p = after;
			break;
		case C_SPACE:
			g_string_append_c(s, ' ');
			p += c == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
			break;
		case C_HIGH:
			if ((n = utf8_char(p, end)) == 0) {
				fail(x, p, element,
				     "an attribute value is not UTF-8");
				return false;
			}
			g_string_append_len(s, p, n);
			p += n;
			break;
		case C_LT:
			fail(x, p, element, "'<' in an attribute value");
			return false;
		default:
			fail(x, p, element,
			     "a control character in an attribute value");
			return false;
		}
	}
	return true;
}

/*
 * The value of an attribute from @p (after its opening @quote) into
 * a->value and a->len, pointing into the buffer when nothing needs
 * decoding: 16 bytes at a time to the closing quote or the first byte
 * that is not plain ASCII (as signed chars, bytes below 0x20 and from
 * 0x80 compare below 0x20), '&' or '<'. Returns the closing quote,
 * NULL on an error.
 */
static const char *
read_value(struct cib_xml *x, struct cib_xattr *a, const char *p, char quote,
	   const char *element)
{
	const char *end = x->end, *r = p, *q;
	gsize off;

	for (;;) {
		unsigned char c;
		int n;

		if (end - r >= 16) {
			cib_v16 v;

			memcpy(&v, r, 16);
			n = first_lane((v < 0x20) | (v == '&') | (v == '<') |
				       (v == quote));
			if (n < 0) {
				r += 16;
				continue;
			}
			r += n;
		} else {
			while (r < end &&
			       vclass[(unsigned char)*r] == C_PLAIN &&
			       *r != quote)
				r++;
			if (r >= end)
				break;
		}
		c = (unsigned char)*r;
		if (c == (unsigned char)quote) {
			a->value = p;
			a->len = (size_t)(r - p);
			return r;
		}
		if (vclass[c] != C_HIGH)
			break; /* to be decoded, or an error */
		if ((n = utf8_char(r, end)) == 0) {
			fail(x, r, element, "an attribute value is not UTF-8");
			return NULL;
		}
		r += n;
	}
	q = r < end ? memchr(r, quote, (size_t)(end - r)) : NULL;
	if (q == NULL) {
		fail(x, end, element,
		     "the file ends in an attribute value: truncated?");
		return NULL;
	}
	off = x->scratch->len;
	x->tag_nl = true; /* newlines are among what is decoded */
	if (!decode_value(x, p, q, element))
		return NULL;
	g_string_append_c(x->scratch, '\0');
	/* an offset until the tag is whole: scratch may move */
	a->value = NULL;
	a->len = x->scratch->len - 1 - off;
	g_array_append_val(x->fix, off);
	x->decoded = true;
	return q;
}

/* Skip "<!--...-->", "<![CDATA[...]]>" or "<?...?>" at @p. */
static bool
skip_special(struct cib_xml *x, const char *p)
{
	const char *end = x->end, *body, *close, *bad;
	const char *kind, *in_kind;
	size_t n = (size_t)(end - p);

	if (n >= 4 && memcmp(p, "<!--", 4) == 0) {
		kind = "comment";
		in_kind = "in a comment";
		body = p + 4;
		close = g_strstr_len(body, end - body, "--");
		if (close != NULL && (close + 2 >= end || close[2] != '>')) {
			fail(x, close, NULL, "'--' inside a comment");
			return false;
		}
		if (close != NULL)
			x->p = close + 3;
	} else if (n >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
		kind = "CDATA section";
		in_kind = "in a CDATA section";
		body = p + 9;
		close = g_strstr_len(body, end - body, "]]>");
		if (close != NULL)
			x->p = close + 3;
	} else if (n >= 2 && p[1] == '?') {
		const char *t = scan_name(p + 2, end);

		kind = "processing instruction";
		in_kind = "in a processing instruction";
		body = p + 2;
		if (t == body) {
			fail(x, p, NULL, "'<?' without a target name");
			return false;
		}
		/* libxml2 refuses it (a namespace error): so does a
		 * document, for its reader to leave it to libxml2; the
		 * status section's content reads as it did */
		if (x->doc != DOC_NONE &&
		    memchr(body, ':', (size_t)(t - body))) {
			fail(x, p, NULL, "':' in the target of '<?'");
			return false;
		}
		if (t - body == 3 && g_ascii_strncasecmp(body, "xml", 3) == 0) {
			fail(x, p, NULL,
			     "an XML declaration only belongs at the "
			     "start of the file");
			return false;
		}
		close = g_strstr_len(t, end - t, "?>");
		if (close != NULL)
			x->p = close + 2;
	} else {
		fail(x, p, NULL,
		     "a declaration (DOCTYPE, ENTITY, ...) is not allowed "
		     "here");
		return false;
	}
	if (close == NULL) {
		fail_eof(x, in_kind);
		return false;
	}
	if ((bad = bad_char(body, close)) != NULL) {
		fail(x, bad, NULL,
		     "a byte that is no XML character (or not "
		     "UTF-8) in a %s",
		     kind);
		return false;
	}
	return true;
}

static enum cib_xml_event
end_tag(struct cib_xml *x, const char *lt)
{
	const char *name = lt + 2, *e, *gt;
	const struct cib_xml_open *top = open_top(x);
	const char *nm;
	bool same = top != NULL &&
		    name_is(name, x->end, top->name, top->len, top->head);

	/* the name of the element open, the usual case: no lookup */
	if (same)
		e = name + top->len;
	else
		e = scan_name(name, x->end);
	if (e == name)
		return e >= x->end ? fail_eof(x, "in an end tag")
				   : fail(x, lt, NULL,
					  "'</' without an element name");
	x->tag_nl = false;
	gt = tag_space(x, e);
	if (gt >= x->end)
		return fail_eof(x, "in an end tag");
	if (*gt != '>')
		return fail(x, gt, NULL, "junk in the end tag </%.*s>",
			    (int)(e - name), name);
	nm = same ? top->name : intern(x, name, (size_t)(e - name))->s;
	x->p = gt + 1;
	if (top == NULL) {
		if (nm != x->enclosing)
			return fail(x, lt, NULL, "</%s> where </%s> belongs",
				    nm, x->enclosing);
		x->done_at = (size_t)(lt - x->buf);
		x->name = x->enclosing;
		x->depth = 0;
		x->line = tag_done(x, lt);
		x->state = CIB_XML_DONE;
		return CIB_XML_DONE;
	}
	if (nm != top->name)
		return fail(x, lt, NULL, "</%s> closes <%s> of line %d", nm,
			    top->name, top->line);
	x->name = top->name;
	x->line = tag_done(x, lt);
	x->depth = (int)x->n_open;
	x->attrs = NULL;
	x->n_attrs = 0;
	x->n_open--;
	return CIB_XML_END;
}

/*
 * The attribute loop's general path, from @p (after the element's name
 * or an attribute's value) in a start tag of @el: the name of the next
 * attribute in *@nm (guessed from @slot, as read_name()) and the quote
 * that opens its value in *@q, 0; or 1 when the tag ends there instead
 * (x->p and x->close_next set); or -1 on an error (set).
 */
static int
next_attr(struct cib_xml *x, const char *p, const char *el, guint slot,
	  struct cib_xml_name **nm, const char **q)
{
	const char *end = x->end, *s = p, *ne;

	/* one space before the next name: the common case */
	if (s < end && *s == ' ')
		s++;
	s = tag_space(x, s);
	if (s >= end) {
		fail(x, end, el, "the file ends in the start tag: truncated?");
		return -1;
	}
	if (*s == '>') {
		x->p = s + 1;
		x->close_next = false;
		return 1;
	}
	if (*s == '/') {
		if (s + 1 >= end) {
			fail(x, end, el,
			     "the file ends in the start tag: "
			     "truncated?");
			return -1;
		}
		if (s[1] != '>') {
			fail(x, s, el, "'/' not followed by '>'");
			return -1;
		}
		x->p = s + 2;
		x->close_next = true;
		return 1;
	}
	if (s == p) {
		fail(x, s, el, "attributes must be separated by white space");
		return -1;
	}
	ne = read_name(x, s, slot, nm);
	if (ne == s) {
		fail(x, s, el, "bad character '%c' in the start tag",
		     g_ascii_isprint(*s) ? *s : '?');
		return -1;
	}
	if ((*nm)->ns) {
		fail(x, s, el,
		     "namespaces are not supported in the status "
		     "section");
		return -1;
	}
	if ((*nm)->stamp == x->stamp) {
		fail(x, s, el, "attribute '%s' given twice", (*nm)->s);
		return -1;
	}
	/* name="value" without spaces first: the common case */
	*q = ne < end && *ne == '=' ? ne : tag_space(x, ne);
	if (*q < end && **q != '=') {
		fail(x, *q, el, "'=' missing after attribute '%s'", (*nm)->s);
		return -1;
	}
	if (*q < end)
		(*q)++;
	if (*q < end && **q != '"' && **q != '\'')
		*q = tag_space(x, *q);
	if (*q >= end) {
		fail(x, end, el, "the file ends in the start tag: truncated?");
		return -1;
	}
	if (**q != '"' && **q != '\'') {
		fail(x, *q, el, "the value of attribute '%s' is not quoted",
		     (*nm)->s);
		return -1;
	}
	/* written the usual way: the loop tries it first next time */
	if ((*nm)->glue == NULL && s == p + 1 && *p == ' ' && *q == ne + 1 &&
	    **q == '"')
		make_glue(x, *nm);
	return 0;
}

static enum cib_xml_event
start_tag(struct cib_xml *x, const char *lt)
{
	const char *end = x->end, *p = lt + 1, *e;
	struct cib_xml_name *en, el_copy;
	const char *el;
	guint i, el_idx;

	e = read_name(x, p, MIN(x->n_open, 15), &en);
	if (e == p)
		return e >= end ? fail_eof(x, "in a tag")
				: fail(x, lt, NULL,
				       "'<' not followed by an element name");
	el = en->s;
	el_idx = (guint)(en - x->names); /* en moves when the table grows */
	el_copy = *en;
	if (en->ns)
		return fail(x, lt, el,
			    "namespaces are not supported in the status "
			    "section");
	x->stamp++;
	x->tag_nl = false;
	x->n_attrs = 0;
	if (x->decoded) {
		g_array_set_size(x->fix, 0);
		g_string_truncate(x->scratch, 0);
		x->decoded = false;
	}
	p = e;
	for (;;) {
		guint slot = 16 + ((el_idx * 31 + (guint)x->n_attrs) & 63);
		const char *q;
		struct cib_xml_name *nm;
		struct cib_xattr *a;
		int r;

		/* ' name="' of the name seen last here: the usual case, with
		 * all that next_attr() checks known of it but duplicates */
		if (x->pred[slot] != 0 &&
		    (nm = &x->names[x->pred[slot] - 1])->glue != NULL &&
		    bytes_are(p, end, nm->glue, nm->len + 3, nm->glue_head)) {
			if (nm->stamp == x->stamp)
				return fail(x, p + 1, el,
					    "attribute '%s' given twice",
					    nm->s);
			q = p + nm->len + 2;
		} else if ((r = next_attr(x, p, el, slot, &nm, &q)) < 0) {
			return CIB_XML_ERROR;
		} else if (r > 0) {
			break;
		}
		nm->stamp = x->stamp;
		if (x->n_attrs == x->attrs_cap) {
			x->attrs_cap = x->attrs_cap ? 2 * x->attrs_cap : 32;
			x->attr = g_renew(struct cib_xattr, x->attr,
					  x->attrs_cap);
		}
		a = &x->attr[x->n_attrs]; /* counted once its value is read */
		a->name = nm->s;
		a->tag = nm->tag;
		p = read_value(x, a, q + 1, *q, el);
		if (p == NULL)
			return CIB_XML_ERROR;
		x->n_attrs++;
		p++;
	}
	/* values decoded into scratch: from offsets to pointers */
	for (i = 0; i < x->fix->len; i++) {
		gsize off = g_array_index(x->fix, gsize, i);
		guint k;

		for (k = 0; k < (guint)x->n_attrs; k++) {
			struct cib_xattr *a = &x->attr[k];

			if (a->value == NULL) {
				a->value = x->scratch->str + off;
				break;
			}
		}
	}
	x->name = el;
	x->line = tag_done(x, lt);
	open_push(x, &el_copy, x->line);
	x->depth = (int)x->n_open;
	x->attrs = x->attr;
	return CIB_XML_START;
}

/*
 * A pseudo-attribute @name="value" of the XML declaration, white space
 * first, at @p: the position after it, its value in *@v and *@n; NULL
 * when it is not there.
 */
static const char *
decl_attr(const char *p, const char *end, const char *name, const char **v,
	  size_t *n)
{
	const char *q = skip_space(p, end), *close;
	size_t len = strlen(name);

	if (q == p || (size_t)(end - q) < len || memcmp(q, name, len) != 0)
		return NULL;
	q = skip_space(q + len, end);
	if (q >= end || *q != '=')
		return NULL;
	q = skip_space(q + 1, end);
	if (q >= end || (*q != '"' && *q != '\''))
		return NULL;
	if ((close = memchr(q + 1, *q, (size_t)(end - q - 1))) == NULL)
		return NULL;
	*v = q + 1;
	*n = (size_t)(close - q - 1);
	return close + 1;
}

/*
 * The XML declaration at the start of the buffer, as XML 1.0 writes it:
 * version="1.N", then optionally encoding (UTF-8 only: the tokenizer
 * reads nothing else) and standalone="yes|no", in that order.
 */
static bool
read_decl(struct cib_xml *x)
{
	const char *p = x->buf + 5, *close, *q, *r, *v;
	size_t n, i;

	close = g_strstr_len(p, x->end - p, "?>");
	if (close == NULL) {
		fail_eof(x, "in the XML declaration");
		return false;
	}
	q = decl_attr(p, close, "version", &v, &n);
	for (i = 2; q != NULL && i < n && g_ascii_isdigit(v[i]); i++)
		;
	if (q == NULL || n < 3 || i < n || memcmp(v, "1.", 2) != 0) {
		fail(x, p, NULL, "no version 1.x in the XML declaration");
		return false;
	}
	if ((r = decl_attr(q, close, "encoding", &v, &n)) != NULL) {
		if (n != 5 || g_ascii_strncasecmp(v, "UTF-8", 5) != 0) {
			fail(x, v, NULL, "the encoding is not UTF-8");
			return false;
		}
		q = r;
	}
	if ((r = decl_attr(q, close, "standalone", &v, &n)) != NULL) {
		if ((n != 3 || memcmp(v, "yes", 3) != 0) &&
		    (n != 2 || memcmp(v, "no", 2) != 0)) {
			fail(x, v, NULL, "standalone is not yes or no");
			return false;
		}
		q = r;
	}
	if (skip_space(q, close) != close) {
		fail(x, q, NULL, "junk in the XML declaration");
		return false;
	}
	x->p = close + 2;
	return true;
}

/*
 * A whole document, outside its root element: the XML declaration,
 * white space, comments and PIs before the root and after it, then the
 * end of the buffer (DONE).
 */
static enum cib_xml_event
outside_root(struct cib_xml *x)
{
	const char *p;

	if (x->p == x->buf && x->end - x->buf > 5 &&
	    memcmp(x->buf, "<?xml", 5) == 0 &&
	    skip_space(x->buf + 5, x->end) > x->buf + 5 && !read_decl(x))
		return CIB_XML_ERROR;
	for (;;) {
		p = skip_space(x->p, x->end);
		if (p >= x->end && x->doc == DOC_PROLOG)
			return fail(x, p, NULL, "no root element");
		if (p >= x->end) {
			x->p = p;
			x->done_at = (size_t)(p - x->buf);
			x->name = NULL;
			x->line = line_at(x, p);
			x->depth = 0;
			x->state = CIB_XML_DONE;
			return CIB_XML_DONE;
		}
		if (*p != '<')
			return fail(x, p, NULL,
				    "text outside the root element");
		if (p + 1 >= x->end)
			return fail_eof(x, "in a tag");
		if (p[1] != '!' && p[1] != '?')
			break;
		if (p[1] == '!' &&
		    (x->end - p < 4 || memcmp(p, "<!--", 4) != 0))
			return fail(x, p, NULL,
				    "only comments and PIs may stand outside "
				    "the root element");
		if (!skip_special(x, p))
			return CIB_XML_ERROR;
	}
	if (p[1] == '/')
		return fail(x, p, NULL, "an end tag outside the root element");
	if (x->doc == DOC_ROOT)
		return fail(x, p, NULL, "a second root element");
	x->doc = DOC_ROOT;
	return start_tag(x, p);
}

enum cib_xml_event
cib__xml_next(struct cib_xml *x)
{
	const char *lt;

	if (x->state != CIB_XML_START)
		return (enum cib_xml_event)x->state;
	if (x->close_next) {
		/* the END of an empty element: same name, line, depth */
		x->close_next = false;
		x->attrs = NULL;
		x->n_attrs = 0;
		x->n_open--;
		return CIB_XML_END;
	}
	if (x->doc != DOC_NONE && x->n_open == 0)
		return outside_root(x);
	for (;;) {
		/* mostly white space (a newline and indentation) up to the
		 * next tag: no search and no check needed then */
		int nl = 0;

		lt = skip_text_space(x->p, x->end, &nl);
		if (x->lpos == x->p) {
			x->lline += nl; /* counted to here: now past it */
			x->lpos = lt;
		}
		if (lt >= x->end || *lt != '<') {
			/* text: up to the next tag, checked */
			const char *text = lt;

			lt = text < x->end ? memchr(text, '<',
						    (size_t)(x->end - text))
					   : NULL;
			if (!check_text(x, text, lt != NULL ? lt : x->end))
				return CIB_XML_ERROR;
		}
		if (lt == NULL)
			return fail_eof(x, "");
		if (lt + 1 >= x->end)
			return fail_eof(x, "in a tag");
		if (lt[1] == '/')
			return end_tag(x, lt);
		if (lt[1] != '!' && lt[1] != '?')
			return start_tag(x, lt);
		if (!skip_special(x, lt))
			return CIB_XML_ERROR;
	}
}
