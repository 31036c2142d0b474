/*
 * sim.h - pieces of fo-sim shared between its files (cli/ only).
 */
#ifndef FO_SIM_H
#define FO_SIM_H

#include <glib.h>

#include "fo/cib.h"

/* Append the status (node and resource lists) of @cib to @out. */
void sim_status(const struct cib *cib, GString *out);

#endif /* FO_SIM_H */
