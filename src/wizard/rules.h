/*
 * rules: the naming rules of behavior.md section 2, in one table shared by the forms, the
 * headless twin and the tests.
 *
 * A rule checks one value (a string; checkboxes pass "true"/"false") and answers OK, WARN
 * (a soft message: the value is accepted) or ERROR, with the message shown next to the
 * field. Messages are static strings. The regular expressions in `pattern` document the
 * rule; the checks are written by hand (no lookahead in POSIX regex), and the unit tests
 * hold the two together.
 *
 * Rules that need outside knowledge (is this name taken? is this GUID an object id?) are
 * host rules (wiz_host.h): forms name them like these, and the host answers them.
 */
#ifndef SYNWIZ_WIZARD_RULES_H
#define SYNWIZ_WIZARD_RULES_H

#include <stddef.h>

enum wiz_check {
  WIZ_CHECK_OK,      /* valid */
  WIZ_CHECK_WARN,    /* valid, with a warning to show */
  WIZ_CHECK_ERROR,   /* invalid: blocks Next and Save */
  WIZ_CHECK_PENDING, /* not known yet (a host rule or a picker answer still loading) */
};

struct wiz_rule {
  const char *name;           /* what forms write in "rules" */
  const char *summary;        /* one line, for forms/README.md and --help */
  const char *pattern;        /* the documented pattern (informative) */
  unsigned min_len, max_len;  /* in characters (UTF-8 code points); 0 = no limit */
  const char *message;        /* shown when the pattern fails */
  const char *length_message; /* shown when the length fails */
  const char *warning;        /* shown for an accepted value that is risky, or NULL */
  const char *source;         /* where the rule comes from (behavior.md tags) */
  /* Checks a non-empty value; *out_msg gets a static message for WARN and ERROR. */
  enum wiz_check (*check)(const struct wiz_rule *rule, const char *value, const char **out_msg);
};

/** The rule called `name`, or NULL. */
const struct wiz_rule *wiz_rule_find(const char *name);
/** The whole table (for listings and tests). */
const struct wiz_rule *wiz_rules(size_t *out_n);
/** Run a rule on a value. NULL or "" is an ERROR only for "required" and "must_agree"; the
 * other rules accept an empty value (whether a field may be empty is "required"'s job). */
enum wiz_check wiz_rule_check(const struct wiz_rule *rule, const char *value, const char **out_msg);
/** Number of UTF-8 code points in s (invalid bytes count one each). */
size_t wiz_utf8_len(const char *s);

#endif
