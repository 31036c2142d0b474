/*
 * xmlutil.h - small helpers for libxml2 that keep -Wcast-qual quiet.
 *
 * libxml2's BAD_CAST drops const from string literals; XC() keeps it, for
 * every libxml2 argument declared const xmlChar *.
 */
#ifndef FO_XMLUTIL_H
#define FO_XMLUTIL_H

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#define XC(s) ((const xmlChar *)(s))

/*
 * fo_xml_prop() - an attribute's value as a borrowed string (no copy:
 * valid while the element is), or NULL when it is absent.
 */
static inline const char *
fo_xml_prop(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, XC(name));

	return a && a->children ? (const char *)a->children->content : NULL;
}

#endif /* FO_XMLUTIL_H */
