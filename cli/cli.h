/*
 * cli.h - what fo's command-line tools share: one request/answer round
 * trip with the local fo-crmd, and the exit codes every tool documents.
 *
 * Tools print; they never log. Errors go to stderr and say what to do.
 */
#ifndef FO_CLI_H
#define FO_CLI_H

#include <libxml/tree.h>

/* Exit codes of every fo tool. */
enum {
	CLI_OK = 0,		/* done */
	CLI_ERROR = 1,		/* the request failed; stderr says why */
	CLI_USAGE = 2,		/* bad command line */
	CLI_NODAEMON = 3,	/* no fo-crmd answers on this node */
	CLI_DENIED = 4,		/* not root or in group haclient */
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
 * cli_reply_rc() - the rc of a <reply>, printing its error text to
 * stderr (prefixed with @tool) when not 0. Returns CLI_OK or CLI_ERROR.
 */
int cli_reply_rc(xmlDocPtr reply, const char *tool);

/** cli_reply_payload() - the first element inside the <reply>, or NULL. */
xmlNodePtr cli_reply_payload(xmlDocPtr reply);

#endif /* FO_CLI_H */
