/*
 * az_hint: the one table of plain-words advice for errors whose cause we know.
 *
 * az_hint_apply() looks at an az_error (code, status, result, message) and, when a row
 * matches, sets e->hint. Rows are tried in order; the first match wins. A row matches on
 * an Azure code (exact, or a prefix ending in '*'), on a phrase in the message, on an HTTP
 * status, or on a result; its advice is either fixed text or built by a function (for
 * AuthorizationFailed: which action is missing, at which scope, which role grants it).
 *
 * To add advice, add a row to `hints` in az_hint.c and a case to tests/unit/test_az_hint.c.
 */
#ifndef SYNWIZ_AZURE_AZ_HINT_H
#define SYNWIZ_AZURE_AZ_HINT_H

#include "azure/az_error.h"

struct az_hint_context {
  const char *ca_bundle; /* the extra CA file the cloud profile trusts, or NULL */
  const char *host;      /* the host of the failed request, or NULL */
};

void az_hint_apply(struct az_error *e, const struct az_hint_context *ctx);
/** The built-in role that grants an ARM action (for AuthorizationFailed advice). */
const char *az_hint_role_for_action(const char *action);

#endif
