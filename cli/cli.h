/*
 * cli.h - what fo's command-line tools share: one request/answer round
 * trip with the local fo-crmd, and the exit codes every tool documents.
 *
 * Tools print; they never log. Errors go to stderr and say what to do.
 */
#ifndef FO_CLI_H
#define FO_CLI_H

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

/* Exit codes of every fo tool. */
enum {
	CLI_OK = 0,	  /* done */
	CLI_ERROR = 1,	  /* the request failed; stderr says why */
	CLI_USAGE = 2,	  /* bad command line */
	CLI_NODAEMON = 3, /* no fo-crmd answers on this node */
	CLI_DENIED = 4,	  /* not root or in group haclient */
};

/**
 * cli_call() - send <request op="OP"> (with optional attributes and one
 * child element) to the local daemon and wait for its <reply>.
 * @op:      [in] the request.
 * @attrs:   [in] NULL-terminated name, value, name, value, ... or NULL.
 * @child:   [in] an element to put inside the request, or NULL.
 * @reply:   [out] on success the answer's document (xmlFreeDoc()).
 *
 * Prints the reason to stderr on failure and returns the exit code to use
 * (CLI_OK on success, even if the reply's rc is not 0: check it with
 * cli_reply_rc()).
 */
int cli_call(const char *op, const char *const *attrs, xmlNodePtr child,
	     xmlDocPtr *reply);

/**
 * cli_request() - cli_call() that prints nothing and waits up to
 * @timeout_ms for the answer.
 * @err: [out] on failure, the reason (g_free()).
 * Returns the exit code to use (CLI_OK, CLI_ERROR, CLI_NODAEMON,
 * CLI_DENIED).
 */
int cli_request(const char *op, const char *const *attrs, xmlNodePtr child,
		unsigned timeout_ms, xmlDocPtr *reply, char **err);

/**
 * cli_reply_error() - the error text of a <reply> whose rc is not 0
 * (g_free()), or NULL when its rc is 0.
 */
char *cli_reply_error(xmlDocPtr reply);

/**
 * cli_reply_rc() - the rc of a <reply>, printing its error text to
 * stderr (prefixed with @tool) when not 0. Returns CLI_OK or CLI_ERROR.
 */
int cli_reply_rc(xmlDocPtr reply, const char *tool);

/** cli_reply_payload() - the first element inside the <reply>, or NULL. */
xmlNodePtr cli_reply_payload(xmlDocPtr reply);

/* What --output-as asks for. */
enum cli_format {
	CLI_FMT_TEXT,
	CLI_FMT_XML,
	CLI_FMT_JSON,
};

/**
 * cli_format_parse() - the value of --output-as.
 * @s:   [in] "text", "xml" or "json".
 * @fmt: [out] the format.
 * Returns 0, or -FO_EINVAL for anything else.
 */
int cli_format_parse(const char *s, enum cli_format *fmt);

/*
 * One configuration edit a tool is about to make, built from its arguments
 * and the live CIB by the pure cli_res_* and cli_node_* functions.
 * change is the <change> element for fo-crmd (see docs/cib-replication.md);
 * wrote and removed describe it for people, one string each (an element as
 * XML, or "id"); undo is the command that reverses it (may be NULL); notes
 * are lines the user must read (e.g. that a move constraint stays).
 */
struct cli_edit {
	xmlNodePtr change;
	GPtrArray *wrote;
	GPtrArray *removed;
	GPtrArray *notes;
	char *undo;
};

/** cli_edit_init() - an empty edit with an empty <change>. */
void cli_edit_init(struct cli_edit *e);

/** cli_edit_clear() - free what an edit holds (not the struct itself). */
void cli_edit_clear(struct cli_edit *e);

/**
 * cli_edit_put() - add <put section=SECTION>ELEM</put> to the change.
 * @elem: [in] taken over by the edit. Records elem's XML under wrote.
 */
void cli_edit_put(struct cli_edit *e, const char *section, xmlNodePtr elem);

/**
 * cli_edit_delete() - add <delete id=ID if-exists="1"/> and record ID,
 * with @what (e.g. the element as XML) under removed.
 */
void cli_edit_delete(struct cli_edit *e, const char *id, const char *what);

/**
 * cli_edit_nvpair() - add <nvpair-set> (value not NULL) or
 * <nvpair-unset> (value NULL) on @parent_id's first @set, and record it
 * as "LABEL: SET NAME=VALUE" (@label names the owner for people, e.g.
 * "node n2").
 */
void cli_edit_nvpair(struct cli_edit *e, const char *label,
		     const char *parent_id, const char *set, const char *name,
		     const char *value);

/** cli_edit_note() - add a line for people (printf format). */
void cli_edit_note(struct cli_edit *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** cli_edit_empty() - true when the change holds no operation. */
bool cli_edit_empty(const struct cli_edit *e);

/**
 * cli_duration_ms() - parse a duration as Pacemaker takes it: a number
 * with an optional unit (ms, msec, s, sec, m, min, h, hr; none means
 * seconds) or ISO 8601 (PnW, PnDTnHnMnS; years and months are refused
 * because their length varies).
 * @s:  [in] the text.
 * @ms: [out] milliseconds.
 * Returns 0, or -FO_EINVAL when @s is not a duration or overflows.
 */
int cli_duration_ms(const char *s, guint64 *ms);

/**
 * cli_nvpair_parse() - split "name=value" (the value may be empty and may
 * hold '='; the name may not be empty and is letters, digits, '_', '-',
 * '.' or ':').
 * @name, @value: [out] g_free() both. Returns 0 or -FO_EINVAL.
 */
int cli_nvpair_parse(const char *arg, char **name, char **value);

/** cli_child() - the first child element named @name, or NULL. */
xmlNodePtr cli_child(xmlNodePtr parent, const char *name);

/**
 * cli_find_id() - the first element (document order) below @top, or @top
 * itself, whose id attribute is @id; NULL when there is none.
 */
xmlNodePtr cli_find_id(xmlNodePtr top, const char *id);

/**
 * cli_section() - a section of a <cib>: "configuration", "status", or
 * one inside the configuration ("resources", "constraints", "nodes"...).
 * NULL when the CIB has none.
 */
xmlNodePtr cli_section(xmlDocPtr cib, const char *name);

/**
 * cli_prop() - an attribute's value as a g_free()-able string, or NULL.
 */
char *cli_prop(xmlNodePtr n, const char *name);

/**
 * cli_node_by_name() - the <node> with uname @name in the configuration's
 * <nodes>, or NULL.
 */
xmlNodePtr cli_node_by_name(xmlDocPtr cib, const char *name);

/**
 * cli_node_state() - the status section's <node_state> with uname @name
 * (or, when @name is NULL, with id @id), or NULL.
 */
xmlNodePtr cli_node_state(xmlDocPtr cib, const char *name, const char *id);

/** cli_node_names() - "n1, n2, n3": the nodes the CIB knows (g_free()). */
char *cli_node_names(xmlDocPtr cib);

/**
 * cli_xml_string() - an element as one line of XML (g_free()).
 */
char *cli_xml_string(xmlNodePtr n);

/**
 * cli_query() - the local daemon's whole CIB.
 * @cib: [out] on CLI_OK, the <cib> document (xmlFreeDoc()).
 * @err: [out] on failure, the reason (g_free()).
 * Returns an exit code.
 */
int cli_query(xmlDocPtr *cib, char **err);

/**
 * cli_diag_errors() - append the errors (not the warnings) among @diags
 * (struct cib_diag *, see fo/schema.h) to @msg, each as
 * cib_diag_format() writes it, preceded by @sep unless @msg is empty;
 * a line equal to the one before it is left out.
 */
void cli_diag_errors(GString *msg, const GPtrArray *diags, const char *sep);

/**
 * cli_edit_check() - would the edit leave a valid configuration? Applies
 * @e's change to a copy of @cib with cib_patch_apply() (the code every
 * node runs) and checks the result with cib_config_check().
 * @err: [out] on failure, the reason or every error found, one per line,
 *       ending with "nothing was changed" (g_free()).
 * Returns CLI_OK or CLI_ERROR. Warnings are not reported.
 */
int cli_edit_check(xmlDocPtr cib, const struct cli_edit *e, char **err);

/**
 * cli_apply() - check an edit against the live CIB it was built from and
 * send it: only an edit that passes cli_edit_check() is sent.
 * fo-crmd answers once every node applied it (or refused it).
 * @cib: [in] the live CIB the edit was built from.
 * @err: [out] on failure, why nothing was changed (g_free()).
 * Returns an exit code.
 */
int cli_apply(xmlDocPtr cib, const struct cli_edit *e, char **err);

/**
 * cli_report() - print a command's result: on stdout what it wrote or
 * removed, its notes and how to undo it (text), or one <result> element
 * (xml) or JSON object (json) holding the same, also on failure; the
 * error, if any, always goes to stderr as "TOOL COMMAND: ERROR".
 * @e:   [in] the edit, or NULL.
 * @err: [in] NULL on success.
 * Returns @rc, so a command can end with `return cli_report(...)`.
 */
int cli_report(enum cli_format fmt, const char *tool, const char *command,
	       int rc, const struct cli_edit *e, const char *err);

/* Builds an edit from the live CIB; see cli_res_move() and friends. */
typedef int (*cli_build_fn)(xmlDocPtr cib, struct cli_edit *e, char **why,
			    void *arg);

/**
 * cli_edit_run() - one configuration command from start to end: read the
 * live CIB, build the edit with @build, check and send it (cli_apply())
 * unless it is empty, and print the result (cli_report()).
 * Returns the exit code.
 */
int cli_edit_run(enum cli_format fmt, const char *tool, const char *command,
		 cli_build_fn build, void *arg);

/**
 * cli_json_string() - append @s to @out as a JSON string literal, quoted
 * and escaped (", \, \n, \t, \r, other control characters as
 * \u00XX); NULL is "". The one JSON escaper of every fo tool.
 */
void cli_json_string(GString *out, const char *s);

/*
 * The edits of fo-res and fo-node (cli/res_edit.c, cli/node_edit.c): pure
 * functions from the live CIB and the command's words to a struct
 * cli_edit that the caller made with cli_edit_init(). Each returns an
 * exit code (CLI_OK, CLI_USAGE for bad words, CLI_ERROR when the CIB does
 * not allow it) and on failure sets *why (g_free()) to what is wrong and
 * what to do. An edit may be empty (nothing to do; the notes say so).
 * docs/cli.md describes what each one writes.
 */

/** move RSC to NODE (cli-prefer-RSC); NODE NULL: away from its node. */
int cli_res_move(xmlDocPtr cib, const char *rsc, const char *node, bool force,
		 struct cli_edit *e, char **why);

/** ban RSC from NODE (cli-ban-RSC-on-NODE); NODE NULL: its node. */
int cli_res_ban(xmlDocPtr cib, const char *rsc, const char *node,
		struct cli_edit *e, char **why);

/** clear: remove every cli-prefer-RSC and cli-ban-RSC-on-* constraint. */
int cli_res_clear(xmlDocPtr cib, const char *rsc, struct cli_edit *e,
		  char **why);

/** start (true) or stop: the meta attribute target-role. */
int cli_res_role(xmlDocPtr cib, const char *rsc, bool start, bool force,
		 struct cli_edit *e, char **why);

/**
 * add: @argv is ID CLASS:PROVIDER:TYPE [name=value...] then any number of
 * `op NAME name=value...` and `meta name=value...` groups.
 */
int cli_res_add(xmlDocPtr cib, int argc, char *const *argv, struct cli_edit *e,
		char **why);

/** delete RSC; with @force also the constraints that name it. */
int cli_res_delete(xmlDocPtr cib, const char *rsc, bool force,
		   struct cli_edit *e, char **why);

/**
 * cli_res_active_nodes() - the nodes (unames) where the status section's
 * operation history shows @rsc (a primitive, or a group's first member)
 * active: the last operation by call-id is neither a successful stop nor
 * a result of 7 (not running). Returns a new array of g_free()d strings.
 */
GPtrArray *cli_res_active_nodes(xmlDocPtr cib, const char *rsc);

/**
 * cli_node_attr() - set (value not NULL) or remove the node attribute
 * @name of node @node in its instance_attributes, as crm_attribute does
 * (set "nodes-ID", nvpair "nodes-ID-NAME"). A node known only from the
 * status section is added to <nodes> first.
 * @undo: [in] the command that reverses it, for people.
 */
int cli_node_attr(xmlDocPtr cib, const char *node, const char *name,
		  const char *value, const char *undo, struct cli_edit *e,
		  char **why);

/* One line of `fo-node list`. */
struct cli_node_row {
	char *name;
	char *id;
	const char *state; /* online, offline, "member, fo-crmd down" */
	bool standby;
	bool maintenance;
	bool configured; /* in <nodes> (else only in the status) */
};

/**
 * cli_node_rows() - the nodes of the configuration, then those only in
 * the status section, with membership from node_state (in_ccm, crmd)
 * and standby/maintenance from the node's instance_attributes.
 * Returns an array of struct cli_node_row * (g_ptr_array_unref()).
 */
GPtrArray *cli_node_rows(xmlDocPtr cib);

#endif /* FO_CLI_H */
