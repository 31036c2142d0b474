/*
 * crmd.h - fo-crmd's own state, shared by the files of the daemon.
 *
 * One process, one GLib main loop: the cluster layer (stage 1), the
 * replicated CIB (stage 3) with its on-disk store, and the control socket
 * are sources on it. Later stages (policy engine on the DC, transition
 * engine, executor) hang off the same struct.
 */
#ifndef FO_CRMD_H
#define FO_CRMD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "fo/cibrepl.h"
#include "fo/cluster.h"
#include "fo/ctl.h"
#include "fo/exec.h"
#include "fo/lrm.h"
#include "fo/store.h"
#include "fo/te.h"

struct crmd {
	GMainLoop *loop;
	struct cluster *cl;
	struct cib_repl *cib;
	struct cib_store *store;
	struct ctl_server *ctl;
	struct exec *exec;
	struct lrm *lrm;
	struct te *te;
	char *state_dir;
	GHashTable *pending; /* request id -> struct crmd_pending */
	uint64_t next_req;
	uint64_t nodes_req; /* the DC's pending <nodes> update, 0: none */
	GHashTable *waits;  /* token -> struct crmd_wait: wait-idle */
	uint64_t next_token;
	bool stopping;	   /* SIGTERM: moving resources away, then leave */
	bool leaving;	   /* expected=down announced; quit on delivery */
	guint leave_src;   /* bound on the steps of a shutdown */
	guint trim_src;	   /* malloc_trim after a quiet moment */
	gint64 trim_first; /* monotonic us: first event since the last trim */
	gint64 trim_last;  /* monotonic us: the latest event */
};

/* A tool waiting for the DC to report the cluster idle. */
struct crmd_wait {
	struct ctl_conn *conn;
	uint64_t seq;
	char *token;
	guint timer;
	struct crmd *d;
};

/* A tool's change request waiting for the cluster to apply it. */
struct crmd_pending {
	struct ctl_conn *conn;
	uint64_t seq;
	xmlNodePtr change; /* a copy, sent again after a view change */
	unsigned tries;
	uint64_t seq_req; /* its key in crmd.pending; 0: waits for a sync */
};

/* control.c: the requests the tools send. */
void crmd_control_request(struct ctl_conn *conn, const struct fo_msg_hdr *hdr,
			  const uint8_t *body, size_t len, void *data);
void crmd_control_change_done(struct crmd *d, uint64_t req, int rc,
			      const char *why);
void crmd_control_reply(struct ctl_conn *conn, uint64_t seq, int rc,
			const char *error, xmlNodePtr payload);
/* crmd_trim_now() - give freed heap pages back to the system (malloc_trim)
 * at once: a big answer (the whole CIB for a tool) was built and freed.
 * Otherwise main.c does it once a second has passed without an event. */
void crmd_trim_now(struct crmd *d);
void crmd_control_retry(struct crmd *d);

/* control.c: wait-idle bookkeeping (main.c delivers TE_T_IDLE). */
void crmd_wait_answer(struct crmd *d, const char *token,
		      const char *transition);
void crmd_wait_resend(struct crmd *d);
void crmd_wait_free(gpointer p);

/* config.c: checking a CIB before it is accepted. */
int crmd_config_validate(xmlDocPtr doc, char **why, void *data);

#endif /* FO_CRMD_H */
