/*
 * cib_lx.c - libxml2's parser, loaded the first time a CIB needs it
 * (cib_lx.h says why).
 *
 * The library is opened by the soname configure read from the libxml2
 * that the headers belong to, so the table matches the structures the
 * code was compiled against. It is never closed: the table is the
 * process's from then on, like a library linked at start.
 */
#include "config.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "cib_lx.h"

/* Each entry has the type of the function libxml2's headers declare
 * (typeof only: nothing here refers to libxml2 at link time). */
#define CIB_LX_CHECK(ret, name, params)                                        \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&name),         \
						    ret(*) params),            \
		       #name " differs from libxml2's headers");
CIB_LX_FUNCS(CIB_LX_CHECK)
#undef CIB_LX_CHECK

/* The offset of each function in struct cib_lx, and its name. */
static const struct {
	size_t offset;
	const char *name;
} lx_funcs[] = {
#define CIB_LX_ENTRY(ret, name, params) {offsetof(struct cib_lx, name), #name},
	CIB_LX_FUNCS(CIB_LX_ENTRY)
#undef CIB_LX_ENTRY
};

static struct cib_lx lx_table;
static char *lx_error; /* why loading failed: kept, like the table */

static const struct cib_lx *
lx_load(void)
{
	void *h = dlopen(LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	for (i = 0; h != NULL && i < G_N_ELEMENTS(lx_funcs); i++) {
		void *f = dlsym(h, lx_funcs[i].name);

		if (f == NULL)
			break;
		/* dlsym() hands functions over as void *: POSIX allows the
		 * copy into a function pointer of the right type */
		memcpy((char *)&lx_table + lx_funcs[i].offset, &f, sizeof(f));
	}
	if (h != NULL && i == G_N_ELEMENTS(lx_funcs))
		return &lx_table;
	lx_error = g_strdup_printf("cannot load libxml2, which reads this "
				   "document: %s",
				   dlerror());
	return NULL;
}

const struct cib_lx *
cib__lx(const char **error)
{
	static gsize done;
	static const struct cib_lx *table;

	if (g_once_init_enter(&done)) {
		table = lx_load();
		g_once_init_leave(&done, 1);
	}
	if (table == NULL && error != NULL)
		*error = lx_error;
	return table;
}
