/*
 * store_role: who may use a store, and as what (DIR/roles.json).
 *
 * Members are Entra identities named by object id (GUID, kept lower case) with a display
 * name and one role: admin, contributor or viewer. The first identity to open a new store
 * is made its administrator by store_open(); from then on only administrators list, add
 * or remove members, and the last administrator can be neither removed nor demoted.
 * Identities that are not members may open the store but see and change nothing; every
 * call then fails with APP_NO_ROLE and a message naming the administrators.
 *
 * What each role may do (the rules the record modules enforce, from behavior.md 5):
 *   admin        everything: connections, exports, models, linked services, roles
 *   contributor  sees the name and type of connections shared with contributors (audience
 *                "admins_and_contributors") and nothing of the others; sees and manages
 *                the exports and models that use a shared connection; sees exports and
 *                models that have no connection; manages linked services
 *   viewer       sees what a contributor sees; changes nothing
 *
 * Role changes are commands applied to the current roles under the store lock (no
 * revision to quote): adding someone who is already a member changes their role.
 * Return conventions and ownership: see store.h.
 */
#ifndef SYNWIZ_APP_STORE_ROLE_H
#define SYNWIZ_APP_STORE_ROLE_H

#include "app/app_result.h"
#include "app/store.h"

#include <stddef.h>

struct store_member {
  char *object_id;
  char *display_name; /* may be empty when added by object id only */
  enum store_role role;
  char *added_at;
  char *added_by; /* object id; empty for the first administrator */
};

struct store_member_list {
  size_t n;
  struct store_member *items;
};

void store_member_list_done(struct store_member_list *list);

/** Every member, administrators first, then by display name. Admins only. */
enum app_result store_role_list(struct store *s, struct store_member_list *out);
/** Add a member or change a member's role. `display_name` may be NULL (kept if known; the
 * member's own next store_open() records it). Admins only. */
enum app_result store_role_add(struct store *s, const char *object_id, const char *display_name,
                               enum store_role role);
/** Remove a member. Admins only; never the last administrator. */
enum app_result store_role_remove(struct store *s, const char *object_id);

/* Used by store.c (not for other callers): read roles.json into *out, write it, and add
 * one member to a list. */
enum app_result store_roles_read(struct store *s, struct store_member_list *out);
enum app_result store_roles_write(struct store *s, const struct store_member_list *list);
void store_member_list_put(struct store_member_list *list, const char *object_id,
                           const char *display_name, enum store_role role, const char *added_at,
                           const char *added_by);

#endif
