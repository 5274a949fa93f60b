/*
 * safetext: text that did not come from synwiz (names and messages from Azure, answers
 * files, store records) made safe to print on a terminal.
 *
 * Azure allows many characters in names, and a name holding ESC or BEL can retitle or clear
 * the user's terminal when printed raw. Everything the terminal would act on is written
 * visibly instead, so the user sees what is really in the name:
 *   - C0 controls and DEL as \xHH (\n and \t too, unless SAFETEXT_NEWLINES keeps newlines);
 *   - C1 controls (U+0080..U+009F) and the invisible formatting characters that reorder or
 *     hide text (bidirectional marks, embeddings, overrides and isolates; line and paragraph
 *     separators; zero-width characters) as \u{HHHH};
 *   - bytes that are not valid UTF-8 as \xHH.
 * With a non-zero `max_chars` the result holds at most that many characters (code points)
 * of the input, followed by "..." ("…" as one character) when some were cut, so a 1 MB
 * answer is not echoed whole. Escapes count as one character each.
 *
 * The result is valid UTF-8 and never contains a byte below 0x20 (but '\n' when kept) nor
 * 0x7f. Fresh heap strings; NULL input gives "".
 */
#ifndef SYNWIZ_UTIL_SAFETEXT_H
#define SYNWIZ_UTIL_SAFETEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

enum safetext_flags {
  SAFETEXT_NEWLINES = 1 << 0, /* keep '\n' as a line break (messages, not names) */
  SAFETEXT_TABS = 1 << 1,     /* keep '\t' (whole output lines, where synwiz aligns with it) */
};

/* How long a name may be when it is echoed back: longer than any Azure name (Azure's
 * longest, a resource group, is 90 characters; a display name here is at most 100). */
#define SAFETEXT_NAME_MAX 256u
/* How long a message from outside may be (an Azure error message, a store's reason). */
#define SAFETEXT_MESSAGE_MAX 2048u

/** Append the safe form of `s` (`len` bytes) to `sb`; returns false when `sb`'s limit is hit. */
bool safetext_append(struct strbuf *sb, const char *s, size_t len, size_t max_chars,
                     unsigned flags);
/** The safe form of the NUL-terminated `s`, cut at `max_chars` (0 = no cut). */
char *safetext_dup(const char *s, size_t max_chars, unsigned flags);
/** True when `s` would print as itself (nothing to escape, nothing cut). */
bool safetext_is_plain(const char *s, size_t max_chars, unsigned flags);
/** `s` as one word a user can paste into a POSIX shell, in a command synwiz suggests
 * ("synwiz export run 'Sales lake'"): itself when it holds only letters, digits and
 * _.,/:@%+=-, else in single quotes (a quote inside as '\''). Fresh. */
char *safetext_shell_word(const char *s);

#endif
