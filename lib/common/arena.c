/*
 * arena.c - bump allocation from large blocks (include/fo/arena.h).
 *
 * Blocks of 256 KB are taken with g_malloc() and handed out front to
 * back, each object zeroed as it is handed out (zeroing whole blocks
 * with calloc() cleared memory never used, and was 4% of a small
 * fo-sim run); an object larger than a quarter block gets a block of
 * its own, so the current block keeps serving small ones. Nothing is
 * freed before fo_arena_free(), which frees the blocks.
 */
#include <string.h>

#include <glib.h>

#include "fo/arena.h"

#define ARENA_BLOCK (256u << 10)
#define ARENA_ALIGN 16u

struct fo_arena {
	GPtrArray *blocks; /* g_malloc()ed */
	char *next;	   /* free space in the current block */
	size_t left;
};

struct fo_arena *
fo_arena_new(void)
{
	struct fo_arena *ar = g_new0(struct fo_arena, 1);

	ar->blocks = g_ptr_array_new_with_free_func(g_free);
	return ar;
}

void
fo_arena_free(struct fo_arena *ar)
{
	if (ar == NULL)
		return;
	g_ptr_array_free(ar->blocks, TRUE);
	g_free(ar);
}

void *
fo_arena_alloc(struct fo_arena *ar, size_t size)
{
	void *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > ar->left) {
		if (size > ARENA_BLOCK / 4) {
			p = g_malloc0(size);
			g_ptr_array_add(ar->blocks, p);
			return p;
		}
		ar->next = g_malloc(ARENA_BLOCK);
		ar->left = ARENA_BLOCK;
		g_ptr_array_add(ar->blocks, ar->next);
	}
	p = ar->next;
	ar->next += size;
	ar->left -= size;
	return memset(p, 0, size);
}

char *
fo_arena_strndup(struct fo_arena *ar, const char *s, size_t len)
{
	char *copy;

	if (s == NULL)
		return NULL;
	copy = fo_arena_alloc(ar, len + 1);
	memcpy(copy, s, len);
	return copy; /* zeroed: copy[len] is the terminator */
}

char *
fo_arena_strdup(struct fo_arena *ar, const char *s)
{
	return s != NULL ? fo_arena_strndup(ar, s, strlen(s)) : NULL;
}
