/*
 * mem-floor.c - the resident memory that fo-crmd cannot go below.
 *
 * Links what fo-crmd links (fo's cluster layer over libcpg, libquorum and
 * libcmap, libxml2 with its ICU, glib), starts libxml2's parser, joins a
 * CPG group of its own through the same cluster layer and then only runs
 * its main loop until SIGTERM: no CIB, no executor, no policy engine.
 * bench/failover/run measures it beside fo-crmd, so the table shows
 * which part of fo-crmd's RSS is its own and which part any process
 * with these libraries and a corosync connection has. Not installed.
 */
#include <signal.h>
#include <string.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "fo/cluster.h"
#include "fo/common.h"

static gboolean
on_term(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

int
main(void)
{
	static const char doc[] = "<cib><configuration/><status/></cib>";
	struct cluster_options opt = {.group = "fo-mem-floor"};
	struct cluster_callbacks cb = {0};
	GMainLoop *loop;
	struct cluster *cl;
	xmlDocPtr d;

	log_init("mem-floor", true, 0);
	xmlInitParser();
	d = xmlReadMemory(doc, (int)strlen(doc), "floor", NULL,
			  XML_PARSE_NONET);
	if (d == NULL)
		fatal("libxml2 cannot parse a constant");
	xmlFreeDoc(d);
	loop = g_main_loop_new(NULL, FALSE);
	cl = cluster_new(&opt, &cb, NULL, NULL);
	g_unix_signal_add(SIGTERM, on_term, loop);
	cluster_start(cl);
	g_main_loop_run(loop);
	cluster_free(cl);
	g_main_loop_unref(loop);
	return 0;
}
