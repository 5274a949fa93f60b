/*
 * store_internal: what the store's modules (store*.c) share and nothing else includes.
 *
 * A write goes: store_lock() (takes DIR/store.lock, removes leftovers of killed writers,
 * re-reads the roles), the checks, store_rec_write() or store_rec_unlink(), store_unlock().
 * Every store_rec_* reader works with or without the lock. Records are handled here as
 * Jansson objects; the typed modules convert them to and from their structs with the
 * field tables below, and describe their structs (struct store_rec_ops) to the steps every
 * kind takes alike: list, get, find, create, update, detach, remove.
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
  struct store_damage *damaged; /* records the last listings skipped (store_damaged()) */
  size_t n_damaged, cap_damaged;
};

/* Set the detailed message and return rc (so: `return store_fail(s, rc, ...)`). */
enum app_result store_fail(struct store *s, enum app_result rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like store_fail with APP_DENIED, appending " Administrators: A (id), B (id)." */
enum app_result store_deny(struct store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void store_clear_message(struct store *s);
/* Forget the damaged records of `kind` (a new listing of it begins), or note one: `path`
 * and the current message (store_message), which is then cleared. */
void store_damage_reset(struct store *s, enum store_kind kind);
void store_damage_note(struct store *s, enum store_kind kind, const char *path);

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

/* The record of `set` with this id (case-insensitively), or NULL. */
json_t *store_rec_set_find(const struct store_rec_set *set, const char *id);

/* The rules for records that use a connection (exports and models), in
 * store_connection.c. `connections` is every connection record (store_rec_load_all);
 * `conn` is the record's connection in it (store_rec_set_find), NULL when it has none or
 * it is missing. */
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

/* ---- the steps every kind of record takes ----
 *
 * Each record module describes its struct with one static `struct store_rec_ops`, and the
 * sequences that are the same for every kind (list, get and find, create, update, detach,
 * remove) run in store_record.c on that description, so that they check the same things in
 * the same order whatever the kind. What differs between kinds is in the ops: where the
 * name is, who may change records, what the store fills in. Records are handled as
 * `void *` pointing at the module's struct; every public store_<kind>_* function is a thin
 * typed wrapper. */
struct store_rec_ops {
  enum store_kind kind;
  /* sizeof the record struct. Its init must leave it all zeros: that is how the generic
   * code initialises a record and empties a list slot it handed over. */
  size_t size;
  size_t meta_offset; /* its struct store_meta */
  /* The name that is unique within the kind: where it is, its JSON key in the record files,
   * and what the "name taken" message calls it ("display name"). */
  size_t name_offset;
  const char *name_key;
  const char *name_label;
  /* When names are unique only within a scope (a linked service's workspace): the scope's
   * field, JSON key and what messages call it; scope_key is NULL for the other kinds. */
  size_t scope_offset;
  const char *scope_key;
  const char *scope_label;
  /* What "There is no <kind> '<x>' in this store" adds for non-administrators, who may not
   * see every record (" that you can see"); "" when every member sees every record. */
  const char *unseen_hint;
  /* Exports and models use a connection (the store_bound_* rules): where their
   * connection_id and connection_name (filled on reading, never saved) are. */
  bool bound;
  size_t connection_id_offset;
  size_t connection_name_offset;

  void (*done)(void *rec);
  /* Parse a record file's JSON into rec (not initialised); on failure rec is done and the
   * store's message names the bad key. */
  enum app_result (*from_json)(struct store *s, json_t *j, void *rec);
  /* What the record's file holds, as a new reference. */
  json_t *(*to_file)(const void *rec);
  enum app_result (*validate)(struct store *s, const void *rec);
  int (*compare)(const void *a, const void *b); /* the order of lists (qsort) */
  /* The actor's right to `verb` ("create", "change", "remove") records of this kind, asked
   * under the lock before any record is read. NULL for bound kinds, whose rights follow
   * their connection (store_bound_*). */
  enum app_result (*require)(struct store *s, const char *verb);
  /* Optional: whether the actor may see rec, trimming it to what they may know. */
  bool (*shown)(const struct store *s, void *rec);
  /* Optional: what the store decides for a new record (defaults) and for a change (what it
   * keeps of `current`, the stored revision), just before rec is written. */
  void (*fill_new)(void *rec);
  void (*fill_next)(void *rec, const void *current);
  /* Optional: refuse to remove rec (a connection in use); ctx is store_rec_remove()'s. */
  enum app_result (*check_remove)(struct store *s, const void *rec, void *ctx);
};

/* What every reader starts with: clear the message, re-read the roles, require a member. */
enum app_result store_rec_begin_read(struct store *s);
/* Free `n` records at `items` (an array of ops->size) and the array. */
void store_rec_items_free(const struct store_rec_ops *ops, void *items, size_t n);
/* The records the actor may see, parsed, sorted by ops->compare: a heap array of *out_n
 * records (free with store_rec_items_free()); NULL and 0 on failure. */
enum app_result store_rec_list(struct store *s, const struct store_rec_ops *ops, void **out_items,
                               size_t *out_n);
/* One record the actor may see, by id (get) or by name (find: within `scope` for scoped
 * kinds, ignored for the others); `out` is initialised by the call and the caller's. */
enum app_result store_rec_get(struct store *s, const struct store_rec_ops *ops, const char *id,
                              void *out);
enum app_result store_rec_find(struct store *s, const struct store_rec_ops *ops, const char *scope,
                               const char *name, void *out);
/* "There is no <kind> '<what>' in this store", with ops->unseen_hint for non-admins. */
enum app_result store_rec_not_found(struct store *s, const struct store_rec_ops *ops,
                                    const char *what);

/* Create rec: rights, validation, (bound: a connection the actor may use), a name nobody
 * else has; then fresh meta, ops->fill_new, write. rec->meta is set even when the write
 * fails. */
enum app_result store_rec_create(struct store *s, const struct store_rec_ops *ops, void *rec);
/* Save rec over the stored record its meta names, as a change of the revision its meta
 * holds: rights, conflict, validation, (bound: a new connection the actor may use), name;
 * then ops->fill_next and write. On success rec's meta is the new revision's, on failure it is
 * unchanged (the caller may retry). */
enum app_result store_rec_update(struct store *s, const struct store_rec_ops *ops, void *rec);
/* Bound kinds: drop the record's connection (nothing to do when it has none). */
enum app_result store_rec_detach(struct store *s, const struct store_rec_ops *ops, const char *id,
                                 long revision);
/* Remove the record `id` read at `revision`; ctx goes to ops->check_remove. */
enum app_result store_rec_remove(struct store *s, const struct store_rec_ops *ops, const char *id,
                                 long revision, void *ctx);

/* Building blocks of the above, for the changes only one kind makes (a connection's
 * update, a model's runs). */
/* Begin an update of the record `meta` belongs to: APP_INVALID unless it was read from the
 * store (it has an id and a revision), else clear the message and take the lock, which the
 * caller releases when this returns APP_OK. */
enum app_result store_rec_lock_for_update(struct store *s, const struct store_meta *meta);
/* The stored record `id` into `current` (initialised by the call, the caller's to free),
 * failing when it is gone, when check_revision and it is not at `revision` any more, and
 * for bound kinds when the actor may not see or change it (their connections are loaded
 * into *conns, the caller's to free; untouched for the other kinds). */
enum app_result store_rec_load_for_change(struct store *s, const struct store_rec_ops *ops,
                                          const char *id, long revision, bool check_revision,
                                          struct store_rec_set *conns, void *current);
/* Fail with APP_NAME_TAKEN when a record of `set` other than `self_id` has rec's name (in
 * rec's scope for scoped kinds). */
enum app_result store_rec_check_unique(struct store *s, const struct store_rec_ops *ops,
                                       const struct store_rec_set *set, const void *rec,
                                       const char *self_id);
/* A full copy of `from` into `to` (not initialised), through the record's JSON. */
enum app_result store_rec_copy(struct store *s, const struct store_rec_ops *ops, const void *from,
                               void *to);
/* Write rec as the revision after `current` (the stored meta); rec's meta as for
 * store_rec_update(). */
enum app_result store_rec_save_next(struct store *s, const struct store_rec_ops *ops, void *rec,
                                    const struct store_meta *current);

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
