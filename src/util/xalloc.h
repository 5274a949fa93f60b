/*
 * xalloc: allocation that never returns NULL.
 *
 * Every allocation in synwiz goes through these wrappers. On out-of-memory they call the
 * fatal hook (the UI installs one that restores the terminal first), print one line to
 * stderr and exit with status 4. Callers therefore never test for NULL. Asking for zero
 * bytes is allowed and returns a unique pointer that must be freed.
 *
 * xfree_secret() wipes memory before freeing it; use it for anything that held a secret.
 */
#ifndef SYNWIZ_UTIL_XALLOC_H
#define SYNWIZ_UTIL_XALLOC_H

#include <stddef.h>

typedef void (*xalloc_fatal_hook)(void);

/** Install the function called before exiting on out-of-memory (NULL removes it). */
void xalloc_set_fatal_hook(xalloc_fatal_hook hook);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/** Grow an array to hold at least `need` items of `item` bytes; updates *ref_cap. */
void *xgrow(void *ptr, size_t *ref_cap, size_t need, size_t item);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/** printf into a fresh heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Wipe `len` bytes (not optimised away). */
void secure_wipe(void *ptr, size_t len);
/** Wipe a NUL-terminated string, then free it. NULL is a no-op. */
void xfree_secret(char *s);

#endif
