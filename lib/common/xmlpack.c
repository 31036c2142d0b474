/*
 * xmlpack.c - an element's children kept as their own serialization.
 *
 * libxml2 spends about 250 bytes on every attribute of a tree (the
 * attribute, its text node, the value and the allocator's headers), so an
 * operation record of 19 attributes costs some 5 KB as a tree and 550
 * bytes as text. fo-crmd keeps every node's operation history in its
 * copy of the CIB, but only ever replaces a resource's history as a
 * whole and writes it out: packed, the history is one text node that
 * libxml2 writes without escaping (its "textnoenc" text, made for XSLT's
 * disable-output-escaping), so a dump of the document is byte for byte
 * what it was, and a copy of the tree stays packed.
 */
#include <errno.h>
#include <string.h>

#include "fo/common.h"
#include "fo/xmlutil.h"

bool
fo_xml_packed(xmlNodePtr el)
{
	return el->children && el->children == el->last &&
	       el->children->type == XML_TEXT_NODE &&
	       el->children->name == xmlStringTextNoenc;
}

xmlNodePtr
fo_xml_verbatim(xmlDocPtr doc, const char *text, size_t len)
{
	xmlNodePtr n;

	if (len > INT_MAX)
		return NULL;
	n = xmlNewDocTextLen(doc, XC(text), (int)len);
	if (n)
		n->name = xmlStringTextNoenc;
	return n;
}

int
fo_xml_pack(xmlNodePtr el)
{
	xmlBufferPtr buf;
	xmlNodePtr c, next, text;

	if (el->children == NULL || fo_xml_packed(el))
		return 0;
	buf = xmlBufferCreate();
	if (buf == NULL)
		return -ENOMEM;
	for (c = el->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlNodeDump(buf, el->doc, c, 0, 0) < 0) {
			xmlBufferFree(buf);
			return -ENOMEM;
		}
	text = fo_xml_verbatim(el->doc, (const char *)xmlBufferContent(buf),
			       (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	if (text == NULL)
		return -ENOMEM;
	for (c = el->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlAddChild(el, text);
	return 0;
}

int
fo_xml_unpack(xmlNodePtr el)
{
	xmlNodePtr text = el->children, c, copy;
	xmlDocPtr tmp;
	GString *s;

	if (text == NULL || !fo_xml_packed(el))
		return 0;
	s = g_string_new("<p>");
	g_string_append(s, (const char *)text->content);
	g_string_append(s, "</p>");
	tmp = xmlReadMemory(s->str, (int)s->len, "packed", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS |
				    XML_PARSE_HUGE | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	g_string_free(s, TRUE);
	if (tmp == NULL)
		return -EINVAL;
	xmlUnlinkNode(text);
	xmlFreeNode(text);
	for (c = xmlDocGetRootElement(tmp)->children; c; c = c->next) {
		copy = xmlDocCopyNode(c, el->doc, 1);
		if (copy)
			xmlAddChild(el, copy);
	}
	xmlFreeDoc(tmp);
	return 0;
}
