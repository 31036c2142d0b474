/*
 * cib_elem.c - the light element tree of the configuration
 * (cib_elem.h).
 *
 * Built from the tokenizer's events on the fast path, or copied from
 * libxml2's tree when libxml2 read the document; cib_unpack.c walks it
 * the same way in both cases. One arena holds every element and value:
 * a 129 KB configuration was ~3 M instructions to free as a libxml2 tree.
 */
#include "cib_elem.h"
#include "cib_lx.h"

void
cib__etree_init(struct cib_etree *t)
{
	t->ar = fo_arena_new();
	t->root = NULL;
	t->cur = NULL;
}

void
cib__etree_clear(struct cib_etree *t)
{
	fo_arena_free(t->ar);
	t->ar = NULL;
	t->root = NULL;
	t->cur = NULL;
}

/* A new element of @n attributes, linked under the open one. */
static struct cib_elem *
add(struct cib_etree *t, const char *name, int line, int n)
{
	struct cib_elem *e = fo_arena_alloc(
		t->ar, sizeof(*e) + (size_t)n * sizeof(struct cib_eattr));

	e->name = name;
	e->line = line;
	e->n_attrs = n;
	e->parent = t->cur;
	if (t->cur == NULL) {
		if (t->root == NULL)
			t->root = e;
	} else if (t->cur->last == NULL) {
		t->cur->children = t->cur->last = e;
	} else {
		t->cur->last->next = e;
		t->cur->last = e;
	}
	return e;
}

struct cib_elem *
cib__etree_start(struct cib_etree *t, const char *name, int line,
		 const struct cib_xattr *attrs, int n)
{
	struct cib_elem *e = add(t, name, line, n);
	int i;

	for (i = 0; i < n; i++) {
		e->attrs[i].name = attrs[i].name;
		e->attrs[i].value =
			fo_arena_strndup(t->ar, attrs[i].value, attrs[i].len);
	}
	t->cur = e;
	return e;
}

void
cib__etree_end(struct cib_etree *t)
{
	if (t->cur != NULL)
		t->cur = t->cur->parent;
}

/* One element of libxml2's tree, without its children (@lx: libxml2's
 * functions, which made the tree). */
static struct cib_elem *
copy_one(struct cib_etree *t, const struct cib_lx *lx, xmlNodePtr n)
{
	struct cib_elem *e;
	xmlAttrPtr a;
	int k = 0;

	/* attributes without a value node read as absent, as xmlHasProp()
	 * and the unpacker's old accessor had them */
	for (a = n->properties; a != NULL; a = a->next)
		if (a->children != NULL)
			k++;
	e = add(t, (const char *)n->name, (int)lx->xmlGetLineNo(n), k);
	k = 0;
	for (a = n->properties; a != NULL; a = a->next) {
		if (a->children == NULL)
			continue;
		e->attrs[k].name = (const char *)a->name;
		e->attrs[k].value = fo_arena_strdup(
			t->ar, (const char *)a->children->content);
		k++;
	}
	return e;
}

/* @n or its first next sibling that is an element, NULL if none. */
static xmlNodePtr
element_from(xmlNodePtr n)
{
	while (n != NULL && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

struct cib_elem *
cib__etree_copy(struct cib_etree *t, xmlNodePtr n, bool deep)
{
	/* the tree is libxml2's: it is loaded */
	const struct cib_lx *lx = cib__lx(NULL);
	struct cib_elem *top = copy_one(t, lx, n), *up = t->cur;
	xmlNodePtr c;

	if (!deep)
		return top;
	/* depth first without recursion: libxml2 with XML_PARSE_HUGE
	 * does not limit the depth of the tree */
	t->cur = top;
	c = element_from(n->children);
	while (c != NULL) {
		struct cib_elem *e = copy_one(t, lx, c);
		xmlNodePtr down = element_from(c->children);

		if (down != NULL) {
			t->cur = e;
			c = down;
			continue;
		}
		/* c is done: its next element, or its parent's */
		while (c != n && element_from(c->next) == NULL) {
			c = c->parent;
			t->cur = t->cur->parent;
		}
		c = c != n ? element_from(c->next) : NULL;
	}
	t->cur = up;
	return top;
}
