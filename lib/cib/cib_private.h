/*
 * cib_private.h - helpers shared by the CIB parsers (lib/cib only).
 *
 * Allocation of model objects and the diagnostic helper; the parsers
 * fill the structs, cib_model.c owns their layout and freeing.
 */
#ifndef FO_CIB_PRIVATE_H
#define FO_CIB_PRIVATE_H

#include "cib_elem.h"
#include "cib_xml.h"
#include "fo/arena.h"
#include "fo/cib.h"

struct cib *cib__new(const char *file);
struct cib_node *cib__node_new(void);
struct cib_rsc *cib__rsc_new(void);
struct cib_lrm_rsc *cib__lrm_rsc_new(struct cib *cib);
struct cib_lrm_op *cib__lrm_op_new(struct cib *cib);
/* Append @op to @l's records (in the CIB's arena, as @l itself). */
void cib__lrm_add_op(struct cib *cib, struct cib_lrm_rsc *l,
		     struct cib_lrm_op *op);
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
void cib__diag(GPtrArray *diags, bool error, const char *file,
	       const struct cib_elem *node, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Append a diagnostic at @line of element @element (either may be 0 or
 * NULL), for the parts of the document read without a tree. */
void cib__diag_at(GPtrArray *diags, bool error, const char *file, int line,
		  const char *element, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* @s (@len bytes, not necessarily NUL-terminated) as a string of the
 * CIB's pool: the same pointer for the same text. NULL for NULL. */
const char *cib__intern(struct cib *cib, const char *s, size_t len);

/*
 * The status section, read as a stream of elements (cib_status.c), by
 * libxml2's SAX2 parser or by cib_xml.c. Each call gets one element's
 * @n attributes (values are not NUL-terminated). Errors are appended to
 * @diags and counted in *@errors.
 */
/* The attribute names of lrm_resource and lrm_rsc_op that are read, as
 * the parser interns them: the names the parser hands over are interned
 * too, so they compare by address. */
enum cib_sattr {
	SA_OPERATION,
	SA_ID,
	SA_CALL_ID,
	SA_RC_CODE,
	SA_OP_STATUS,
	SA_INTERVAL,
	SA_LAST_RC_CHANGE,
	SA_LAST_RUN,
	SA_TRANSITION_KEY,
	SA_OP_DIGEST,
	SA_OP_RESTART_DIGEST,
	SA_OP_FORCE_RESTART,
	SA_EXIT_REASON,
	SA_EXEC_TIME,
	SA_CLASS,
	SA_PROVIDER,
	SA_TYPE,
	SA_COUNT
};

/* Fill @names[SA_COUNT] with the parser's interned names: @intern(@ctx,
 * NAME, KIND) returns them (KIND: the enum cib_sattr of NAME). */
void cib__status_names(const char **names,
		       const char *(*intern)(void *ctx, const char *name,
					     int kind),
		       void *ctx);

/* The enum cib_sattr of interned attribute name @name, SA_COUNT for
 * none of them. */
enum cib_sattr cib__status_kind(const char *const *names, const char *name);

struct cib_status_event {
	const char *const *names; /* [SA_COUNT] */
	struct cib *cib;
	GPtrArray *diags;
	int *errors;
	const char *element; /* local name */
	int line;
	const struct cib_xattr *attrs; /* tag: enum cib_sattr, or -1 */
	int n;
	struct cib_xml *xml; /* the tokenizer, NULL under libxml2 */
};

/* <node_state>: the node it describes, or NULL when its records are to
 * be skipped (an unknown node, or a second node_state of a node). */
struct cib_node *cib__status_node(const struct cib_status_event *ev);
/* <nvpair> of the node's transient_attributes */
void cib__status_nvpair(const struct cib_status_event *ev,
			struct cib_node *node);
/* <lrm_resource>: a new history of @node (NULL after an error) */
struct cib_lrm_rsc *cib__status_rsc(const struct cib_status_event *ev,
				    struct cib_node *node);
/* <lrm_rsc_op> of history @l */
void cib__status_op(const struct cib_status_event *ev, struct cib_lrm_rsc *l);
/* </lrm_resource>: order @l's records by call-id */
void cib__status_rsc_end(struct cib_lrm_rsc *l);

bool cib__true(const char *s);

#endif /* FO_CIB_PRIVATE_H */
