/*
 * cib_xml.c - a small, strict XML tokenizer for the status section.
 *
 * A steady CIB is mostly status section (90 MB at 32 nodes x 5000
 * resources), and libxml2's tokenizer alone took longer than the whole
 * budget of fo-sim on it. This one reads the content of one element of
 * a buffer already in memory: memchr() to the next '<', a table to scan
 * names and values, names interned once, values left in the buffer
 * unless a reference or a newline in them must be decoded. It also reads
 * a whole document (fo-sim's fast path: the configuration into a light
 * tree, then the status section), with its prolog and epilog. It accepts
 * well-formed XML 1.0 in UTF-8 only: comments, processing instructions
 * and CDATA sections are checked and skipped, a DTD or a namespace is
 * refused; every error names the line and the open element.
 */
#include <stdarg.h>
#include <string.h>

#include "cib_xml.h"

struct cib_xml_name {
	const char *s; /* NUL-terminated, in x->strings */
	guint len, hash, stamp;
	int tag;    /* the caller's, -1 by default */
	bool ns;    /* a prefixed name or xmlns: needs namespaces */
	void *slot; /* the caller's (cib__xml_slot()) */
};

/* x->doc: reading the content of one element, or a whole document */
enum { DOC_NONE = 0, DOC_PROLOG, DOC_ROOT };

struct cib_xml_open {
	const char *name;
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

/* The line of @pos, counting from the last position asked for. */
static int
line_at(struct cib_xml *x, const char *pos)
{
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
	x->stack = g_array_new(FALSE, FALSE, sizeof(struct cib_xml_open));
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
	if (x->stack != NULL)
		g_array_free(x->stack, TRUE);
	if (x->scratch != NULL)
		g_string_free(x->scratch, TRUE);
	if (x->fix != NULL)
		g_array_free(x->fix, TRUE);
	g_free(x->error);
	memset(x, 0, sizeof(*x));
}

/* The innermost open element, or the enclosing one. */
static const char *
open_name(const struct cib_xml *x)
{
	if (x->stack->len == 0)
		return x->enclosing;
	return g_array_index(x->stack, struct cib_xml_open, x->stack->len - 1)
		.name;
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
	int line = x->stack->len ? g_array_index(x->stack, struct cib_xml_open,
						 x->stack->len - 1)
					   .line
				 : 0;

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
		if (*q != ' ' && *q != '\n' && *q != '\t' && *q != '\r')
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

/*
 * The name at @p, interned in *@e: its end, @p when there is none.
 * Tags of one kind repeat their names in the same order, so the entry
 * seen last time at the same @slot (element depth, attribute position)
 * is tried first, with one memcmp().
 */
static const char *
read_name(struct cib_xml *x, const char *p, guint slot, struct cib_xml_name **e)
{
	guint *pred = &x->pred[slot];
	const char *q;

	if (*pred != 0) {
		struct cib_xml_name *c = &x->names[*pred - 1];

		if ((size_t)(x->end - p) > c->len &&
		    memcmp(p, c->s, c->len) == 0 &&
		    namech[(unsigned char)p[c->len]] == 0) {
			*e = c;
			return p + c->len;
		}
	}
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
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
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

/* Bytes of @w: one with a byte below 0x20, or 0x80 and above, or '&',
 * or '<' (the classic "has a zero byte" test, for 8 bytes at once). */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define HAS_ZERO(w) (((w)-ONES) & ~(w)&HIGHS)

static inline bool
word_special(guint64 w)
{
	return ((w | HAS_ZERO(w & ~HIGHS & 0x6060606060606060ULL)) & HIGHS) ||
	       HAS_ZERO(w ^ (ONES * '&')) || HAS_ZERO(w ^ (ONES * '<'));
}

/*
 * The value of an attribute from @p (after its opening @quote) into
 * a->value and a->len, pointing into the buffer when nothing needs
 * decoding: 8 bytes at a time to the closing quote or the first byte
 * that is not plain. Returns the closing quote, NULL on an error.
 */
static const char *
read_value(struct cib_xml *x, struct cib_xattr *a, const char *p, char quote,
	   const char *element)
{
	const char *end = x->end, *r = p, *q;
	guint64 qw = ONES * (unsigned char)quote, w;
	gsize off;

	while (end - r >= 8) {
		memcpy(&w, r, 8);
		if (word_special(w) || HAS_ZERO(w ^ qw))
			break;
		r += 8;
	}
	while (r < end) {
		unsigned char c;
		int n;

		c = (unsigned char)*r;
		if (c == (unsigned char)quote) {
			a->value = p;
			a->len = (size_t)(r - p);
			return r;
		}
		if (vclass[c] == C_PLAIN) {
			r++;
			continue;
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
	if (!decode_value(x, p, q, element))
		return NULL;
	g_string_append_c(x->scratch, '\0');
	/* an offset until the tag is whole: scratch may move */
	a->value = NULL;
	a->len = x->scratch->len - 1 - off;
	g_array_append_val(x->fix, off);
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
	const char *name = lt + 2, *e = scan_name(name, x->end), *gt;
	struct cib_xml_name *nm;
	const struct cib_xml_open *top;

	if (e == name)
		return e >= x->end ? fail_eof(x, "in an end tag")
				   : fail(x, lt, NULL,
					  "'</' without an element name");
	gt = skip_space(e, x->end);
	if (gt >= x->end)
		return fail_eof(x, "in an end tag");
	if (*gt != '>')
		return fail(x, gt, NULL, "junk in the end tag </%.*s>",
			    (int)(e - name), name);
	nm = intern(x, name, (size_t)(e - name));
	x->p = gt + 1;
	if (x->stack->len == 0) {
		if (nm->s != x->enclosing)
			return fail(x, lt, NULL, "</%s> where </%s> belongs",
				    nm->s, x->enclosing);
		x->done_at = (size_t)(lt - x->buf);
		x->name = x->enclosing;
		x->depth = 0;
		x->line = line_at(x, lt);
		x->state = CIB_XML_DONE;
		return CIB_XML_DONE;
	}
	top = &g_array_index(x->stack, struct cib_xml_open, x->stack->len - 1);
	if (nm->s != top->name)
		return fail(x, lt, NULL, "</%s> closes <%s> of line %d", nm->s,
			    top->name, top->line);
	x->name = top->name;
	x->line = line_at(x, lt);
	x->depth = (int)x->stack->len;
	x->attrs = NULL;
	x->n_attrs = 0;
	g_array_set_size(x->stack, x->stack->len - 1);
	return CIB_XML_END;
}

static enum cib_xml_event
start_tag(struct cib_xml *x, const char *lt)
{
	const char *end = x->end, *p = lt + 1, *e;
	struct cib_xml_open open;
	struct cib_xml_name *en;
	const char *el;
	guint i, el_idx;

	e = read_name(x, p, MIN(x->stack->len, 15), &en);
	if (e == p)
		return e >= end ? fail_eof(x, "in a tag")
				: fail(x, lt, NULL,
				       "'<' not followed by an element name");
	el = en->s;
	el_idx = (guint)(en - x->names); /* en moves when the table grows */
	if (en->ns)
		return fail(x, lt, el,
			    "namespaces are not supported in the status "
			    "section");
	x->stamp++;
	x->n_attrs = 0;
	g_array_set_size(x->fix, 0);
	g_string_truncate(x->scratch, 0);
	p = e;
	for (;;) {
		const char *s = skip_space(p, end), *ne, *q;
		struct cib_xml_name *nm;
		struct cib_xattr a;

		if (s >= end)
			return fail(x, end, el,
				    "the file ends in the start tag: "
				    "truncated?");
		if (*s == '>') {
			x->p = s + 1;
			x->close_next = false;
			break;
		}
		if (*s == '/') {
			if (s + 1 >= end)
				return fail(x, end, el,
					    "the file ends in the start tag: "
					    "truncated?");
			if (s[1] != '>')
				return fail(x, s, el,
					    "'/' not followed by '>'");
			x->p = s + 2;
			x->close_next = true;
			break;
		}
		if (s == p)
			return fail(x, s, el,
				    "attributes must be separated by "
				    "white space");
		ne = read_name(x, s,
			       16 + (el_idx * 31 + (guint)x->n_attrs) %
					       (G_N_ELEMENTS(x->pred) - 16),
			       &nm);
		if (ne == s)
			return fail(x, s, el,
				    "bad character '%c' in the start tag",
				    g_ascii_isprint(*s) ? *s : '?');
		if (nm->ns)
			return fail(x, s, el,
				    "namespaces are not supported in the "
				    "status section");
		if (nm->stamp == x->stamp)
			return fail(x, s, el, "attribute '%s' given twice",
				    nm->s);
		nm->stamp = x->stamp;
		a.name = nm->s;
		a.tag = nm->tag;
		/* name="value" without spaces first: the common case */
		q = ne < end && *ne == '=' ? ne : skip_space(ne, end);
		if (q < end && *q != '=')
			return fail(x, q, el,
				    "'=' missing after attribute "
				    "'%s'",
				    a.name);
		if (q < end)
			q++;
		if (q < end && *q != '"' && *q != '\'')
			q = skip_space(q, end);
		if (q >= end)
			return fail(x, end, el,
				    "the file ends in the start "
				    "tag: truncated?");
		if (*q != '"' && *q != '\'')
			return fail(x, q, el,
				    "the value of attribute '%s' is not "
				    "quoted",
				    a.name);
		s = read_value(x, &a, q + 1, *q, el);
		if (s == NULL)
			return CIB_XML_ERROR;
		if (x->n_attrs == x->attrs_cap) {
			x->attrs_cap = x->attrs_cap ? 2 * x->attrs_cap : 32;
			x->attr = g_renew(struct cib_xattr, x->attr,
					  x->attrs_cap);
		}
		x->attr[x->n_attrs++] = a;
		p = s + 1;
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
	open.name = el;
	open.line = line_at(x, lt);
	g_array_append_val(x->stack, open);
	x->name = el;
	x->line = open.line;
	x->depth = (int)x->stack->len;
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
		g_array_set_size(x->stack, x->stack->len - 1);
		return CIB_XML_END;
	}
	if (x->doc != DOC_NONE && x->stack->len == 0)
		return outside_root(x);
	for (;;) {
		lt = memchr(x->p, '<', (size_t)(x->end - x->p));
		if (!check_text(x, x->p, lt != NULL ? lt : x->end))
			return CIB_XML_ERROR;
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
