/*
 * cib_lx.h - libxml2's parser, loaded the first time a CIB needs it
 * (lib/cib only).
 *
 * Most CIBs are read by cib_xml.c alone. libxml2 reads the others
 * (compressed files, other encodings, a DTD, namespaces, and documents
 * whose configuration is not well-formed, for its diagnostics). Debian's
 * libxml2 brings ICU and libstdc++, whose loading and relocation cost
 * every process that links it about 0.8 ms before main(): fo-sim, which
 * runs once per simulation, does not link it and gets these functions
 * from dlopen() when a document needs them. A program that links
 * libxml2 itself gets the same, already loaded library.
 */
#ifndef FO_CIB_LX_H
#define FO_CIB_LX_H

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

/* Every libxml2 function lib/cib calls: return type, name, parameters. */
#define CIB_LX_FUNCS(X)                                                        \
	X(xmlParserCtxtPtr, xmlCreateMemoryParserCtxt, (const char *, int))    \
	X(xmlParserCtxtPtr, xmlCreatePushParserCtxt,                           \
	  (xmlSAXHandlerPtr, void *, const char *, int, const char *))         \
	X(xmlParserCtxtPtr, xmlCreateURLParserCtxt, (const char *, int))       \
	X(int, xmlCtxtUseOptions, (xmlParserCtxtPtr, int))                     \
	X(const xmlChar *, xmlDictLookup, (xmlDictPtr, const xmlChar *, int))  \
	X(void, xmlFreeDoc, (xmlDocPtr))                                       \
	X(void, xmlFreeParserCtxt, (xmlParserCtxtPtr))                         \
	X(long, xmlGetLineNo, (const xmlNode *))                               \
	X(int, xmlParseChunk, (xmlParserCtxtPtr, const char *, int, int))      \
	X(int, xmlParseDocument, (xmlParserCtxtPtr))                           \
	X(void, xmlSAX2CDataBlock, (void *, const xmlChar *, int))             \
	X(void, xmlSAX2Characters, (void *, const xmlChar *, int))             \
	X(void, xmlSAX2Comment, (void *, const xmlChar *))                     \
	X(void, xmlSAX2EndElementNs,                                           \
	  (void *, const xmlChar *, const xmlChar *, const xmlChar *))         \
	X(int, xmlSAX2GetLineNumber, (void *))                                 \
	X(void, xmlSAX2StartElementNs,                                         \
	  (void *, const xmlChar *, const xmlChar *, const xmlChar *, int,     \
	   const xmlChar **, int, int, const xmlChar **))                      \
	X(void, xmlStopParser, (xmlParserCtxtPtr))

/* The functions, each under its libxml2 name: lx->xmlParseDocument(c). */
struct cib_lx {
#define CIB_LX_FIELD(ret, name, params) ret(*name) params;
	CIB_LX_FUNCS(CIB_LX_FIELD)
#undef CIB_LX_FIELD
};

/*
 * cib__lx() - libxml2's functions, loaded on the first call (thread-safe).
 * @error: [out] on failure, why (dlerror()'s words; kept for the life of
 *   the process, not to be freed); may be NULL.
 *
 * Returns the table, the same for the life of the process, or NULL when
 * the library (LIBXML2_SONAME, found by configure) or one of its
 * functions cannot be loaded.
 */
const struct cib_lx *cib__lx(const char **error);

#endif /* FO_CIB_LX_H */
