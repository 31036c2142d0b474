/*
 * xmlutil.h - small helpers for libxml2 that keep -Wcast-qual quiet.
 *
 * libxml2's BAD_CAST drops const from string literals; XC() keeps it, for
 * every libxml2 argument declared const xmlChar *.
 */
#ifndef FO_XMLUTIL_H
#define FO_XMLUTIL_H

#include <libxml/xmlstring.h>

#define XC(s) ((const xmlChar *)(s))

#endif /* FO_XMLUTIL_H */
