/*
 * pe_arena.c - the working set's memory: objects that live exactly as
 * long as one pe_compute() run (actions, their keys, edges, orderings,
 * the arrays that link them) are carved from large blocks and dropped
 * all at once when the run ends.
 *
 * In: sizes. Out: zeroed memory, aligned for any object, valid until
 * pe__arena_clear(). Nothing is freed one by one: a malloc() and free()
 * per action, edge and array was a third of the instructions of a run
 * with 5000 actions. A vector that grows leaves its old storage behind,
 * at most as much again as it holds.
 */
#include <string.h>

#include "pe_private.h"

#define ARENA_BLOCK (256u << 10)
#define ARENA_ALIGN 16u

void *
pe__alloc(struct pe_arena *ar, size_t size)
{
	void *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size > ar->left) {
		/* a large object gets a block of its own; the current
		 * block keeps serving the small ones */
		if (size > ARENA_BLOCK / 4) {
			p = g_malloc0(size);
			g_ptr_array_add(ar->blocks, p);
			return p;
		}
		ar->next = g_malloc0(ARENA_BLOCK);
		ar->left = ARENA_BLOCK;
		g_ptr_array_add(ar->blocks, ar->next);
	}
	p = ar->next;
	ar->next += size;
	ar->left -= size;
	return p;
}

char *
pe__strdup(struct pe_arena *ar, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pe__alloc(ar, n), s, n);
}

void
pe__vec_add(struct pe_arena *ar, struct pe_vec *v, void *p)
{
	if (v->len == v->cap) {
		guint cap = v->cap > 0 ? v->cap * 2 : 4;
		void **nv = pe__alloc(ar, cap * sizeof(void *));

		if (v->len > 0)
			memcpy(nv, v->v, v->len * sizeof(void *));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->len++] = p;
}

void
pe__arena_init(struct pe_arena *ar)
{
	ar->blocks = g_ptr_array_new_with_free_func(g_free);
	ar->next = NULL;
	ar->left = 0;
}

void
pe__arena_clear(struct pe_arena *ar)
{
	if (ar->blocks != NULL)
		g_ptr_array_free(ar->blocks, TRUE);
	ar->blocks = NULL;
	ar->next = NULL;
	ar->left = 0;
}
