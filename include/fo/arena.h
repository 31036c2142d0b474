/*
 * arena.h - memory carved from large blocks and freed all at once.
 *
 * For many small objects that live and die together (the policy
 * engine's actions and edges for one run, a CIB's history records):
 * one malloc() per object was a large part of the time of reading a
 * big status section or computing a big transition. Memory from an
 * arena is zeroed, aligned for any object, never freed alone, and valid
 * until fo_arena_free(). An arena is not thread-safe.
 */
#ifndef FO_ARENA_H
#define FO_ARENA_H

#include <stddef.h>

struct fo_arena;

/** fo_arena_new() - an empty arena; free it with fo_arena_free(). */
struct fo_arena *fo_arena_new(void);

/**
 * fo_arena_free() - free @ar and everything allocated from it.
 * @ar: [in] the arena, or NULL (then nothing happens).
 */
void fo_arena_free(struct fo_arena *ar);

/**
 * fo_arena_alloc() - @size zeroed bytes from @ar (aligned to 16).
 * Returns memory owned by the arena: never pass it to g_free().
 */
void *fo_arena_alloc(struct fo_arena *ar, size_t size);

/**
 * fo_arena_strndup() - a NUL-terminated copy of the first @len bytes
 * of @s in @ar (@s needs no terminator). fo_arena_strdup() copies a
 * whole string; both return NULL for NULL. Owned by the arena.
 */
char *fo_arena_strndup(struct fo_arena *ar, const char *s, size_t len);
char *fo_arena_strdup(struct fo_arena *ar, const char *s);

#endif /* FO_ARENA_H */
