/*
 * store_internal: what the store's modules (store*.c) share and nothing else includes.
 *
 * A write goes: store_lock() (takes DIR/store.lock, removes leftovers of killed writers,
 * re-reads the roles), the checks, store_rec_write() or store_rec_unlink(), store_unlock().
 * Every store_rec_* reader works with or without the lock. Records are handled here as
 * Jansson objects; the typed modules convert them to and from their structs with the
 * field tables below.
 */
#ifndef SYNWIZ_APP_STORE_INTERNAL_H
#define SYNWIZ_APP_STORE_INTERNAL_H

#include "app/store.h"
#include "app/store_role.h"
#include "util/fsutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

struct store {
  char *dir;
  char *actor_id; /* lower case */
  char *actor_name;
  bool shared;
  bool created;
  mode_t file_mode; /* 0600 private, 0660 shared */
  mode_t dir_mode;  /* 0700 private, 02770 shared */
  struct fs_lock lock;
  bool locked;
  struct store_member_list members; /* as last read by store_refresh_roles() */
  char *message;
};

/* Set the detailed message and return rc (so: `return store_fail(s, rc, ...)`). */
enum app_result store_fail(struct store *s, enum app_result rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like store_fail with APP_DENIED, appending " Administrators: A (id), B (id)." */
enum app_result store_deny(struct store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void store_clear_message(struct store *s);

/* Take the lock (waiting at most STORE_LOCK_TIMEOUT_MS), clean up temporary files and
 * re-read the roles. */
enum app_result store_lock(struct store *s);
void store_unlock(struct store *s);
/* Re-read roles.json into s->members (used without the lock by readers). */
enum app_result store_refresh_roles(struct store *s);
/* The actor's role in s->members. */
enum store_role store_current_role(const struct store *s);
/* APP_OK when the actor has a role, else APP_NO_ROLE with a message naming the admins. */
enum app_result store_require_member(struct store *s);

/* "connections", "exports", "models", "linked_services". */
const char *store_kind_dir(enum store_kind kind);
/* mkdir DIR/<kind dir> with the store's directory mode (no-op when it exists). */
enum app_result store_make_kind_dir(struct store *s, enum store_kind kind);

/* Paths: fresh heap strings. */
char *store_path(const struct store *s, const char *name);
char *store_rec_path(const struct store *s, enum store_kind kind, const char *id);

/* Read and check one JSON file of the store: an object whose "schema" is known and (when
 * `kind` is not NULL) whose "kind" is `kind`. APP_NOT_FOUND when the file is missing. */
enum app_result store_read_json(struct store *s, const char *path, const char *kind, json_t **out);
/* Write `obj` (adding "schema") to `path` atomically with the store's file mode. Lock held. */
enum app_result store_write_json(struct store *s, const char *path, json_t *obj);

struct store_rec {
  char *id;
  json_t *json;
};
struct store_rec_set {
  size_t n;
  struct store_rec *items;
};
void store_rec_set_done(struct store_rec_set *set);

/* Every record of a kind (a missing directory is an empty kind). */
enum app_result store_rec_load_all(struct store *s, enum store_kind kind,
                                   struct store_rec_set *out);
/* One record; APP_NOT_FOUND when there is none with this id. */
enum app_result store_rec_load(struct store *s, enum store_kind kind, const char *id, json_t **out);
/* Write a record (adding "schema", "kind" and "id"). Lock held. */
enum app_result store_rec_write(struct store *s, enum store_kind kind, const char *id, json_t *obj);
enum app_result store_rec_unlink(struct store *s, enum store_kind kind, const char *id);

/* Fill meta for a new record: fresh id, revision 1, created and updated now by the actor. */
void store_meta_new(struct store *s, struct store_meta *meta);
/* Carry `old`'s creation over to `meta` and stamp the change: revision old+1, updated now. */
void store_meta_next(struct store *s, struct store_meta *meta, const struct store_meta *old);
void store_meta_to_json(const struct store_meta *meta, json_t *obj);
bool store_meta_from_json(json_t *obj, struct store_meta *meta, const char **bad_key);
/* Check `base` (the revision a change was based on) against the stored record `current`
 * (NULL: removed); on a mismatch fail with a conflict message naming the record. */
enum app_result store_check_revision(struct store *s, enum store_kind kind, const char *name,
                                     const struct store_meta *current, long base);

/* String fields of a record struct, by offset: JSON value string or null. */
struct store_field {
  const char *key;
  size_t offset;
  bool required;
};
void store_fields_to_json(const struct store_field *fields, size_t n, const void *rec, json_t *obj);
bool store_fields_from_json(const struct store_field *fields, size_t n, json_t *obj, void *rec,
                            const char **bad_key);
void store_fields_free(const struct store_field *fields, size_t n, void *rec);
/* The first required field that is NULL or empty, or NULL. */
const char *store_fields_missing(const struct store_field *fields, size_t n, const void *rec);

json_t *store_strings_to_json(const struct store_strings *list);
bool store_strings_from_json(json_t *arr, struct store_strings *out);

/* The rules for records that use a connection (exports and models), in
 * store_connection.c. `connections` is every connection record (store_rec_load_all);
 * `conn` is the record's connection in it, NULL when it has none or it is missing. */
json_t *store_conn_find(const struct store_rec_set *connections, const char *id);
const char *store_conn_name(json_t *conn);
/* May the actor see a record that uses connection `conn_id`? */
bool store_bound_visible(const struct store *s, const char *conn_id, json_t *conn);
/* May the actor change (edit, detach, remove, record a run of) it? */
enum app_result store_bound_require_manage(struct store *s, enum store_kind kind, const char *name,
                                           const char *conn_id, json_t *conn);
/* May the actor create records of this kind at all (viewers may not)? */
enum app_result store_bound_require_create(struct store *s, enum store_kind kind);
/* May the actor make a record use connection `conn_id`? APP_NOT_FOUND, as for a missing
 * one, when it is not shared with a non-administrator. */
enum app_result store_bound_require_usable(struct store *s, enum store_kind kind,
                                           const char *conn_id, json_t *conn);

/* Helpers for the record modules. */
bool store_name_equal(const char *a, const char *b); /* ASCII case-insensitive */
int store_name_cmp(const char *a, const char *b);
bool store_is_guid(const char *s);
/* ^[A-Za-z][A-Za-z0-9_]*$, at most `max` characters. */
bool store_is_identifier(const char *s, size_t max);
/* The CI status vocabulary (behavior.md W3): Canceled, Failed, ... Queued. */
bool store_is_status(const char *s);
void store_now(char out[32]);
char *store_xstrdup_or_null(const char *s);
/* json_t string or null for a possibly NULL C string. */
json_t *store_json_str(const char *s);
/* The string value of key in obj, or NULL (also for null and non-strings). */
const char *store_json_get_str(json_t *obj, const char *key);

#endif
