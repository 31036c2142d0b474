/*
 * xmlutil.h - small helpers for libxml2 that keep -Wcast-qual quiet.
 *
 * libxml2's BAD_CAST drops const from string literals; XC() keeps it, for
 * every libxml2 argument declared const xmlChar *.
 */
#ifndef FO_XMLUTIL_H
#define FO_XMLUTIL_H

#include <limits.h>
#include <stdbool.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
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

/*
 * fo_xml_read_msg() - parse a message body (CPG or the control socket):
 * no network, no blanks, large documents allowed, no libxml2 error
 * output (the caller reports what it drops). @name is for libxml2.
 * Returns the root element, or NULL when @buf is empty, too large or not
 * well-formed; *@doc is the document to xmlFreeDoc() (or NULL).
 */
static inline xmlNodePtr
fo_xml_read_msg(const void *buf, size_t len, const char *name, xmlDocPtr *doc)
{
	*doc = NULL;
	if (len == 0 || len > INT_MAX)
		return NULL;
	*doc = xmlReadMemory((const char *)buf, (int)len, name, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				     XML_PARSE_HUGE | XML_PARSE_NOERROR |
				     XML_PARSE_NOWARNING);
	return *doc ? xmlDocGetRootElement(*doc) : NULL;
}

/*
 * Packed children (lib/common/xmlpack.c): an element whose children are
 * kept as one text node holding their serialization, written out
 * verbatim (not escaped), so dumps of the tree do not change while it
 * holds a tenth of the memory. Only element children are kept.
 *
 * fo_xml_pack() - pack @el's children (nothing to do when there are none
 * or they are packed already). Returns 0 or -ENOMEM (@el unchanged).
 * fo_xml_unpack() - parse them back into element children. Returns 0, or
 * -EINVAL when the text is not well-formed (@el unchanged).
 * fo_xml_packed() - are @el's children packed?
 * fo_xml_verbatim() - a new text node (of @doc, may be NULL) holding
 * @len bytes of @text that dumps write as they are: the packed kind.
 * NULL when out of memory.
 */
int fo_xml_pack(xmlNodePtr el);
int fo_xml_unpack(xmlNodePtr el);
bool fo_xml_packed(xmlNodePtr el);
xmlNodePtr fo_xml_verbatim(xmlDocPtr doc, const char *text, size_t len);

#endif /* FO_XMLUTIL_H */
