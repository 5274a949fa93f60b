/*
 * store: where synwiz keeps what it created (connections, exports, custom models, linked
 * services) and the roles of the identities that use it.
 *
 * Call order: store_open() once per process and identity, then any of the record modules
 * (store_connection.h, store_export.h, store_model.h, store_linked_service.h, store_table.h) and
 * the roles (store_role.h) with the same handle, then store_close(). A handle is for one thread;
 * several processes (and several Unix users, see the README's "A store shared by several users")
 * may use one store at once.
 *
 * On disk (DIR is --store, $SYNWIZ_STORE, else $XDG_CONFIG_HOME/synwiz/store):
 *
 *   DIR/store.json                    {"schema": 1, "created_at", "created_by"}, written last
 *                                     when a store is made: without it DIR is a new store
 *   DIR/roles.json                    every member: object id, display name, role
 *   DIR/store.lock                    flock()ed by every writer, never written to
 *   DIR/connections/<id>.json         one file per record, <id> a random GUID that never
 *   DIR/exports/<id>.json             changes (renaming a record keeps its file; an export
 *   DIR/models/<id>.json              refers to its connection by id)
 *   DIR/linked_services/<id>.json
 *   DIR/tables/<id>.json              the table catalog (store_table.h)
 *
 * Why one file per record rather than one file per kind: a save rewrites only the record
 * it changes, so a record's file is also its unit of optimistic concurrency (its
 * "revision"), a damaged or hand-edited file costs one record rather than all of a kind,
 * and saves stay small and fast however many records there are. What this gives up is
 * atomicity across records, which nothing needs: every cross-record rule (unique names,
 * "no connection removed while an export uses it", an export's connection must exist) is
 * checked and acted on inside one locked write of one file.
 *
 * Writes: every change takes DIR/store.lock (flock, released by the kernel if the process
 * dies), re-reads what it depends on, checks it, and writes one file with
 * fs_write_atomic() (temporary file DIR/.../<name>.tmp.<pid>, fsync, rename, fsync of the
 * directory) or unlinks one. So two processes saving at once are serialised and never lose
 * data, and a kill -9 at any moment leaves every record file either old or new. Temporary
 * files are never read as records (only "<guid>.json" names are) and, since only a lock
 * holder writes, any found by the next lock holder are leftovers of a killed writer and are
 * removed. Readers take no lock: each file they read is whole.
 *
 * Conflicts: a record carries a revision (1 on create, +1 on every change). An update or a
 * removal names the revision it was based on; if the record is now at another revision the
 * call fails with APP_CONFLICT_CHANGED, if it is gone with APP_CONFLICT_REMOVED, and
 * nothing is written. Names are unique per kind, compared case-insensitively (ASCII); a
 * create or rename onto a taken name fails with APP_NAME_TAKEN.
 *
 * Versions: every file holds "schema"; a store or record written with a newer schema than
 * STORE_SCHEMA is refused with APP_STORE_TOO_NEW and a message saying so (never rewritten).
 *
 * Roles (store_role.h): the first identity to open a new store becomes its administrator
 * (decided under the lock). The rules of behavior.md section 5 are enforced here, by the
 * library, so screens and commands apply the same ones; every refusal's message says who
 * can do it.
 *
 * Return conventions: functions return an enum app_result (APP_OK = 0). After a failure,
 * store_message() holds a full sentence naming what failed and why (valid until the next
 * call on the handle). Out-parameters are filled only on APP_OK and then belong to the
 * caller (free them with the matching _done). Allocation never fails (util/xalloc.h).
 */
#ifndef SYNWIZ_APP_STORE_H
#define SYNWIZ_APP_STORE_H

#include "app/app_result.h"

#include <stdbool.h>
#include <stddef.h>

#define STORE_SCHEMA 1
/* What is shown for an export or model without a connection (behavior.md W1). */
#define STORE_NO_CONNECTION "No connection"
/* How long a writer waits for another one to finish before giving up. */
#define STORE_LOCK_TIMEOUT_MS 15000

struct store;

enum store_role {
  STORE_ROLE_NONE, /* not a member: sees nothing, changes nothing */
  STORE_ROLE_VIEWER,
  STORE_ROLE_CONTRIBUTOR,
  STORE_ROLE_ADMIN,
};

enum store_kind {
  STORE_KIND_CONNECTION,
  STORE_KIND_EXPORT,
  STORE_KIND_MODEL,
  STORE_KIND_LINKED_SERVICE,
  STORE_KIND_TABLE,
  STORE_KIND_COUNT_
};

/* Who is using the store: the signed-in identity's Entra object id and display name. */
struct store_actor {
  const char *object_id;
  const char *display_name;
};

/* Bookkeeping every record carries; set by the store, never by the caller. */
struct store_meta {
  char *id; /* GUID, the record's file name */
  long revision;
  char *created_at; /* UTC, 2026-01-31T12:00:00Z */
  char *created_by; /* object id */
  char *updated_at;
  char *updated_by;
};

/* A list of strings (export tables, previous database names). */
struct store_strings {
  size_t n;
  char **items;
};

/* A record that uses another one (an export or a model using a connection). */
struct store_dependent {
  enum store_kind kind;
  char *id;
  char *name;
  long revision;
};

struct store_dependent_list {
  size_t n;
  struct store_dependent *items;
};

/**
 * The store directory to use: `option` (--store) when non-NULL, else $SYNWIZ_STORE when
 * set and non-empty, else paths_config_dir()/store. A fresh heap string.
 */
char *store_default_dir(const char *option);

/**
 * Open (and on first use create) the store in `dir` for `actor`. A missing `dir` is created
 * private (0700). An existing directory is checked: it is refused when users outside its
 * group could write to it (APP_STORE_UNSAFE), when it is group-writable without the setgid
 * bit (files would get the wrong group), or when it is neither a store nor empty
 * (APP_STORE_NOT_STORE). On a new store, `actor` becomes its administrator.
 * On failure *out_message (if out_message is non-NULL) receives a heap sentence to free.
 */
enum app_result store_open(const char *dir, const struct store_actor *actor,
                           struct store **out_store, char **out_message);
/** Close the handle. NULL is a no-op. */
void store_close(struct store *s);

/**
 * Records a listing left out because they cannot be used: not JSON, missing fields, or
 * written by a newer synwiz. One damaged file must not stop every command of its kind, so
 * the readers skip it, keep its path and what is wrong with it here for the caller to say,
 * and refuse only what touches it (reading or changing that record by id). Valid until the
 * next store call that lists records of the same kind.
 */
struct store_damage {
  enum store_kind kind;
  char *path;
  char *message; /* a full sentence naming the file and what is wrong */
};
size_t store_damaged(const struct store *s, const struct store_damage **out);

/** The detailed message of the last failed call ("" when none). */
const char *store_message(const struct store *s);
const char *store_dir(const struct store *s);
/** True when the store is shared through its group (directory mode 2770). */
bool store_is_shared(const struct store *s);
/** True when this store_open() made the store (and so made the actor its administrator). */
bool store_was_created(const struct store *s);
/** The actor's object id, as the store writes it (lower case). */
const char *store_actor_id(const struct store *s);
/** The actor's current role (re-read: another process may have changed it). */
enum store_role store_actor_role(struct store *s);

/** "admin", "contributor", "viewer" ("none" for STORE_ROLE_NONE). */
const char *store_role_name(enum store_role role);
/** The role a user would call it: "Administrator", "Contributor", "Viewer", "No role". */
const char *store_role_title(enum store_role role);
/** Parse "admin"/"administrator", "contributor", "viewer" (any case); NONE if neither. */
enum store_role store_role_parse(const char *s);
/** "connection", "export", "model", "linked service", "table". */
const char *store_kind_noun(enum store_kind kind);

void store_strings_add(struct store_strings *list, const char *s);
bool store_strings_contains_nocase(const struct store_strings *list, const char *s);
void store_strings_done(struct store_strings *list);
void store_meta_done(struct store_meta *meta);
void store_dependent_list_done(struct store_dependent_list *list);

#endif
