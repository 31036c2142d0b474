/*
 * cib_private.h - helpers shared by the CIB parsers (lib/cib only).
 *
 * Allocation of model objects and the diagnostic helper; the parsers
 * fill the structs, cib_model.c owns their layout and freeing.
 */
#ifndef FO_CIB_PRIVATE_H
#define FO_CIB_PRIVATE_H

#include <libxml/tree.h>

#include "fo/cib.h"

struct cib *cib__new(const char *file);
struct cib_node *cib__node_new(void);
struct cib_rsc *cib__rsc_new(void);
struct cib_lrm_rsc *cib__lrm_rsc_new(void);
struct cib_op_cfg *cib__op_cfg_new(void);
struct cib_location *cib__location_new(void);
struct cib_rule *cib__rule_new(void);
void cib__states_reset(struct cib *cib);
void cib__states_grow(struct cib *cib, guint old_len);

/* One instance CHILD:@n of clone template @t under @parent (recursive for
 * groups), added to cib->all and the id index. */
struct cib_rsc *cib__copy_instance(struct cib *cib, struct cib_rsc *t,
				   struct cib_rsc *parent, int n);

/* Append a diagnostic naming @node's element and line. */
void cib__diag(GPtrArray *diags, bool error, const char *file, xmlNodePtr node,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Parse one node_state subtree into the model (cib_status.c). */
int cib__unpack_node_state(struct cib *cib, xmlNodePtr ns, GPtrArray *diags);

/* Attribute as const char * (libxml2 returns xmlChar *). */
static inline const char *
cib__attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);

	if (a == NULL || a->children == NULL)
		return NULL;
	return (const char *)a->children->content;
}

static inline bool
cib__is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

bool cib__true(const char *s);

#endif /* FO_CIB_PRIVATE_H */
