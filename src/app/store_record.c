/*
 * store_record: reading and writing the store's JSON files, the helpers the record
 * modules share (bookkeeping, field tables, names), and the steps every kind of record
 * takes, run on the module's struct store_rec_ops. See store_internal.h.
 */
#include "app/store.h"
#include "app/store_internal.h"
#include "util/fsutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* No store file is anywhere near this; a bigger one is not ours. */
#define STORE_FILE_LIMIT (4u << 20)

static const char *const kind_keys[STORE_KIND_COUNT_] = { "connection", "export", "model",
                                                          "linked_service", "table" };

/* ---- small helpers ---- */

bool store_name_equal(const char *a, const char *b)
{
  return store_name_cmp(a, b) == 0;
}

int store_name_cmp(const char *a, const char *b)
{
  const unsigned char *x = (const unsigned char *)(a ? a : "");
  const unsigned char *y = (const unsigned char *)(b ? b : "");
  for (;; x++, y++) {
    int cx = tolower(*x), cy = tolower(*y);
    if (cx != cy || !cx)
      return cx - cy;
  }
}

bool store_is_guid(const char *s)
{
  return uuid_is_valid(s);
}

bool store_is_identifier(const char *s, size_t max)
{
  if (!s || !isalpha((unsigned char)s[0]))
    return false;
  size_t n = 0;
  for (; s[n]; n++) {
    if (!isalnum((unsigned char)s[n]) && s[n] != '_')
      return false;
  }
  return n <= max;
}

bool store_is_status(const char *s)
{
  static const char *const statuses[] = { "Canceled",    "Failed",     "Failure",
                                          "Not started", "Processing", "Refreshing",
                                          "Skipped",     "Successful", "Queued" };
  for (size_t i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    if (strcmp(s, statuses[i]) == 0)
      return true;
  }
  return false;
}

void store_now(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    out[0] = '\0';
}

char *store_xstrdup_or_null(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

json_t *store_json_str(const char *s)
{
  return s ? json_string(s) : json_null();
}

const char *store_json_get_str(json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

/* ---- lists ---- */

void store_strings_add(struct store_strings *list, const char *s)
{
  list->items = xrealloc(list->items, (list->n + 1) * sizeof(char *));
  list->items[list->n++] = xstrdup(s);
}

bool store_strings_contains_nocase(const struct store_strings *list, const char *s)
{
  for (size_t i = 0; i < list->n; i++) {
    if (store_name_equal(list->items[i], s))
      return true;
  }
  return false;
}

void store_strings_done(struct store_strings *list)
{
  for (size_t i = 0; i < list->n; i++)
    free(list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

json_t *store_strings_to_json(const struct store_strings *list)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < list->n; i++)
    json_array_append_new(arr, json_string(list->items[i]));
  return arr;
}

bool store_strings_from_json(json_t *arr, struct store_strings *out)
{
  if (!arr || json_is_null(arr))
    return true;
  if (!json_is_array(arr))
    return false;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v)
  {
    if (!json_is_string(v))
      return false;
    store_strings_add(out, json_string_value(v));
  }
  return true;
}

void store_meta_done(struct store_meta *meta)
{
  free(meta->id);
  free(meta->created_at);
  free(meta->created_by);
  free(meta->updated_at);
  free(meta->updated_by);
  memset(meta, 0, sizeof(*meta));
}

void store_dependent_list_done(struct store_dependent_list *list)
{
  for (size_t i = 0; i < list->n; i++) {
    free(list->items[i].id);
    free(list->items[i].name);
  }
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

/* ---- bookkeeping ---- */

void store_meta_new(struct store *s, struct store_meta *meta)
{
  char id[UUID_STR_LEN], now[32];
  uuid_v4(id);
  store_now(now);
  store_meta_done(meta);
  meta->id = xstrdup(id);
  meta->revision = 1;
  meta->created_at = xstrdup(now);
  meta->created_by = xstrdup(s->actor_id);
  meta->updated_at = xstrdup(now);
  meta->updated_by = xstrdup(s->actor_id);
}

void store_meta_next(struct store *s, struct store_meta *meta, const struct store_meta *old)
{
  char now[32];
  store_now(now);
  char *id = xstrdup(old->id);
  store_meta_done(meta);
  meta->id = id;
  meta->revision = old->revision + 1;
  meta->created_at = store_xstrdup_or_null(old->created_at);
  meta->created_by = store_xstrdup_or_null(old->created_by);
  meta->updated_at = xstrdup(now);
  meta->updated_by = xstrdup(s->actor_id);
}

void store_meta_to_json(const struct store_meta *meta, json_t *obj)
{
  json_object_set_new(obj, "id", store_json_str(meta->id));
  json_object_set_new(obj, "revision", json_integer(meta->revision));
  json_object_set_new(obj, "created_at", store_json_str(meta->created_at));
  json_object_set_new(obj, "created_by", store_json_str(meta->created_by));
  json_object_set_new(obj, "updated_at", store_json_str(meta->updated_at));
  json_object_set_new(obj, "updated_by", store_json_str(meta->updated_by));
}

static const struct store_field meta_fields[] = {
  { "created_at", offsetof(struct store_meta, created_at), true },
  { "created_by", offsetof(struct store_meta, created_by), true },
  { "updated_at", offsetof(struct store_meta, updated_at), true },
  { "updated_by", offsetof(struct store_meta, updated_by), true },
};

bool store_meta_from_json(json_t *obj, struct store_meta *meta, const char **bad_key)
{
  const char *id = store_json_get_str(obj, "id");
  json_t *rev = json_object_get(obj, "revision");
  if (!store_is_guid(id)) {
    *bad_key = "id";
    return false;
  }
  if (!json_is_integer(rev) || json_integer_value(rev) < 1) {
    *bad_key = "revision";
    return false;
  }
  meta->id = xstrdup(id);
  meta->revision = (long)json_integer_value(rev);
  size_t n = sizeof(meta_fields) / sizeof(meta_fields[0]);
  if (!store_fields_from_json(meta_fields, n, obj, meta, bad_key))
    return false;
  const char *missing = store_fields_missing(meta_fields, n, meta);
  if (missing) {
    *bad_key = missing;
    return false;
  }
  return true;
}

static const char *member_name(const struct store *s, const char *object_id)
{
  for (size_t i = 0; object_id && i < s->members.n; i++) {
    const struct store_member *m = &s->members.items[i];
    if (strcmp(m->object_id, object_id) == 0)
      return *m->display_name ? m->display_name : m->object_id;
  }
  return object_id ? object_id : "someone";
}

enum app_result store_check_revision(struct store *s, enum store_kind kind, const char *name,
                                     const struct store_meta *current, long base)
{
  if (!current)
    return store_fail(s, APP_CONFLICT_REMOVED,
                      "The %s '%s' was removed by someone else since you read it; nothing was "
                      "saved.",
                      store_kind_noun(kind), name);
  if (current->revision != base)
    return store_fail(s, APP_CONFLICT_CHANGED,
                      "The %s '%s' was changed by %s at %s since you read it (you read revision "
                      "%ld, it is now at revision %ld); nothing was saved. Read it again and "
                      "redo your change.",
                      store_kind_noun(kind), name, member_name(s, current->updated_by),
                      current->updated_at ? current->updated_at : "an unknown time", base,
                      current->revision);
  return APP_OK;
}

/* ---- field tables ---- */

/* The char * member at `offset` of a record struct. */
static char **str_at(const void *rec, size_t offset)
{
  return (char **)((char *)(uintptr_t)rec + offset);
}

void store_fields_to_json(const struct store_field *fields, size_t n, const void *rec, json_t *obj)
{
  for (size_t i = 0; i < n; i++)
    json_object_set_new(obj, fields[i].key, store_json_str(*str_at(rec, fields[i].offset)));
}

bool store_fields_from_json(const struct store_field *fields, size_t n, json_t *obj, void *rec,
                            const char **bad_key)
{
  for (size_t i = 0; i < n; i++) {
    json_t *v = json_object_get(obj, fields[i].key);
    char **slot = str_at(rec, fields[i].offset);
    if (!v || json_is_null(v))
      continue;
    if (!json_is_string(v)) {
      *bad_key = fields[i].key;
      return false;
    }
    free(*slot);
    *slot = xstrdup(json_string_value(v));
  }
  return true;
}

void store_fields_free(const struct store_field *fields, size_t n, void *rec)
{
  for (size_t i = 0; i < n; i++) {
    char **slot = str_at(rec, fields[i].offset);
    free(*slot);
    *slot = NULL;
  }
}

const char *store_fields_missing(const struct store_field *fields, size_t n, const void *rec)
{
  for (size_t i = 0; i < n; i++) {
    const char *v = *str_at(rec, fields[i].offset);
    if (fields[i].required && (!v || !*v))
      return fields[i].key;
  }
  return NULL;
}

/* ---- files ---- */

static bool str_is(const char *a, const char *b)
{
  return a && strcmp(a, b) == 0;
}

enum app_result store_read_json(struct store *s, const char *path, const char *kind, json_t **out)
{
  *out = NULL;
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT)
      return store_fail(s, APP_NOT_FOUND, "%s does not exist.", path);
    return store_fail(s, APP_IO, "Cannot read %s: %s", path, strerror(errno));
  }
  if (!S_ISREG(st.st_mode))
    return store_fail(s, APP_STORE_CORRUPT, "%s is not a regular file.", path);
  if (st.st_mode & S_IWOTH)
    return store_fail(s, APP_STORE_UNSAFE,
                      "%s can be written by every user (mode %04o); synwiz refuses to use it. "
                      "Run: chmod o-w %s",
                      path, (unsigned)(st.st_mode & 07777), path);
  char *data = NULL;
  size_t len = 0;
  if (fs_read_all(path, &data, &len, STORE_FILE_LIMIT) != 0) {
    /* Removed between the lstat and the open: a writer removed the record. */
    if (errno == ENOENT)
      return store_fail(s, APP_NOT_FOUND, "%s does not exist.", path);
    return store_fail(s, APP_IO, "Cannot read %s: %s", path, strerror(errno));
  }
  json_error_t err;
  json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
  free(data);
  if (!j)
    return store_fail(s, APP_STORE_CORRUPT, "%s is not valid JSON (line %d: %s).", path, err.line,
                      err.text);
  enum app_result rc = APP_OK;
  json_t *schema = json_object_get(j, "schema");
  if (!json_is_object(j))
    rc = store_fail(s, APP_STORE_CORRUPT, "%s does not hold a JSON object.", path);
  else if (!json_is_integer(schema) || json_integer_value(schema) < 1)
    rc = store_fail(s, APP_STORE_CORRUPT, "%s has no schema version.", path);
  else if (json_integer_value(schema) > STORE_SCHEMA)
    rc = store_fail(s, APP_STORE_TOO_NEW,
                    "%s was written by a newer synwiz (store schema %lld; this synwiz reads "
                    "schema %d). Use a newer synwiz with this store; this one changes nothing "
                    "in it.",
                    path, (long long)json_integer_value(schema), STORE_SCHEMA);
  else if (kind && !str_is(store_json_get_str(j, "kind"), kind))
    rc = store_fail(s, APP_STORE_CORRUPT, "%s is not a %s record.", path, kind);
  if (rc) {
    json_decref(j);
    return rc;
  }
  *out = j;
  return APP_OK;
}

enum app_result store_write_json(struct store *s, const char *path, json_t *obj)
{
  if (!s->locked)
    return store_fail(s, APP_IO, "internal error: %s written without the store lock", path);
  char *text = json_dumps(obj, JSON_INDENT(2));
  if (!text)
    return store_fail(s, APP_IO, "Cannot encode %s.", path);
  size_t len = strlen(text);
  char *data = xmalloc(len + 2);
  memcpy(data, text, len);
  data[len++] = '\n';
  data[len] = '\0';
  free(text);
  int r = fs_write_atomic(path, data, len, s->file_mode);
  int err = errno;
  free(data);
  if (r != 0)
    return store_fail(s, APP_IO, "Cannot write %s: %s", path, strerror(err));
  return APP_OK;
}

void store_rec_set_done(struct store_rec_set *set)
{
  for (size_t i = 0; i < set->n; i++) {
    free(set->items[i].id);
    json_decref(set->items[i].json);
  }
  free(set->items);
  set->items = NULL;
  set->n = 0;
}

/* "<guid>.json" and nothing else: temporary files and strangers are never records. */
static bool record_file_id(const char *name, char id[UUID_STR_LEN])
{
  size_t n = strlen(name);
  if (n != 36 + 5 || strcmp(name + 36, ".json") != 0)
    return false;
  memcpy(id, name, 36);
  id[36] = '\0';
  return uuid_is_valid(id);
}

static int rec_cmp(const void *a, const void *b)
{
  return strcmp(((const struct store_rec *)a)->id, ((const struct store_rec *)b)->id);
}

static enum app_result check_record(struct store *s, const char *path, const char *id, json_t *j)
{
  if (!str_is(store_json_get_str(j, "id"), id))
    return store_fail(s, APP_STORE_CORRUPT, "%s does not hold the record its name says.", path);
  return APP_OK;
}

enum app_result store_rec_load_all(struct store *s, enum store_kind kind, struct store_rec_set *out)
{
  memset(out, 0, sizeof(*out));
  char *dir = store_path(s, store_kind_dir(kind));
  DIR *d = opendir(dir);
  if (!d) {
    int err = errno;
    free(dir);
    if (err == ENOENT)
      return APP_OK;
    return store_fail(s, APP_IO, "Cannot read the store's %ss: %s", store_kind_noun(kind),
                      strerror(err));
  }
  free(dir);
  size_t cap = 0;
  enum app_result rc = APP_OK;
  struct dirent *e;
  store_damage_reset(s, kind);
  while ((e = readdir(d)) != NULL) {
    char id[UUID_STR_LEN];
    if (!record_file_id(e->d_name, id))
      continue;
    char *path = store_rec_path(s, kind, id);
    json_t *j = NULL;
    rc = store_read_json(s, path, kind_keys[kind], &j);
    if (rc == APP_OK)
      rc = check_record(s, path, id, j);
    if (rc == APP_STORE_CORRUPT || rc == APP_STORE_TOO_NEW) {
      /* One bad file: the others still work; the caller says which file and why. */
      store_damage_note(s, kind, path);
      json_decref(j);
      rc = APP_OK;
      free(path);
      continue;
    }
    free(path);
    if (rc == APP_NOT_FOUND) {
      rc = APP_OK; /* removed while we listed */
      continue;
    }
    if (rc) {
      json_decref(j);
      break;
    }
    out->items = xgrow(out->items, &cap, out->n + 1, sizeof(out->items[0]));
    out->items[out->n].id = xstrdup(id);
    out->items[out->n].json = j;
    out->n++;
  }
  closedir(d);
  if (rc) {
    store_rec_set_done(out);
    return rc;
  }
  if (out->n > 1)
    qsort(out->items, out->n, sizeof(out->items[0]), rec_cmp);
  return APP_OK;
}

enum app_result store_rec_load(struct store *s, enum store_kind kind, const char *id, json_t **out)
{
  *out = NULL;
  if (!store_is_guid(id))
    return store_fail(s, APP_NOT_FOUND, "There is no %s with id '%s'.", store_kind_noun(kind),
                      id ? id : "");
  char *lower = xstrdup(id);
  for (char *p = lower; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  char *path = store_rec_path(s, kind, lower);
  enum app_result rc = store_read_json(s, path, kind_keys[kind], out);
  if (rc == APP_OK)
    rc = check_record(s, path, lower, *out);
  if (rc == APP_NOT_FOUND)
    store_fail(s, rc, "There is no %s with id '%s'.", store_kind_noun(kind), lower);
  if (rc && *out) {
    json_decref(*out);
    *out = NULL;
  }
  free(path);
  free(lower);
  return rc;
}

enum app_result store_rec_write(struct store *s, enum store_kind kind, const char *id, json_t *obj)
{
  enum app_result rc = store_make_kind_dir(s, kind);
  if (rc)
    return rc;
  /* Head first so that a reader of the file sees what it is before anything else. */
  json_t *full = json_object();
  json_object_set_new(full, "schema", json_integer(STORE_SCHEMA));
  json_object_set_new(full, "kind", json_string(kind_keys[kind]));
  json_object_set_new(full, "id", json_string(id));
  json_object_update(full, obj);
  char *path = store_rec_path(s, kind, id);
  rc = store_write_json(s, path, full);
  free(path);
  json_decref(full);
  return rc;
}

enum app_result store_rec_unlink(struct store *s, enum store_kind kind, const char *id)
{
  if (!s->locked)
    return store_fail(s, APP_IO, "internal error: a record removed without the store lock");
  char *path = store_rec_path(s, kind, id);
  enum app_result rc = APP_OK;
  if (unlink(path) != 0) {
    rc = errno == ENOENT ? store_fail(s, APP_NOT_FOUND, "%s does not exist.", path)
                         : store_fail(s, APP_IO, "Cannot remove %s: %s", path, strerror(errno));
  } else {
    /* Make the removal durable like a write is. */
    char *dir = store_path(s, store_kind_dir(kind));
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      fsync(fd);
      close(fd);
    }
    free(dir);
  }
  free(path);
  return rc;
}

json_t *store_rec_set_find(const struct store_rec_set *set, const char *id)
{
  for (size_t i = 0; id && i < set->n; i++) {
    if (store_name_equal(set->items[i].id, id))
      return set->items[i].json;
  }
  return NULL;
}

/* ---- the steps every kind of record takes ---- */

static struct store_meta *meta_of(const struct store_rec_ops *ops, const void *rec)
{
  return (struct store_meta *)((char *)(uintptr_t)rec + ops->meta_offset);
}

static void *item_at(const struct store_rec_ops *ops, void *items, size_t i)
{
  return (char *)items + i * ops->size;
}

static const char *name_of(const struct store_rec_ops *ops, const void *rec)
{
  return *str_at(rec, ops->name_offset);
}

static const char *connection_id_of(const struct store_rec_ops *ops, const void *rec)
{
  return ops->bound ? *str_at(rec, ops->connection_id_offset) : NULL;
}

/* Connection ids are GUIDs, which the store keeps in lower case like the record files'
 * names, whatever case the caller typed them in. */
static void lower_connection_id(const struct store_rec_ops *ops, void *rec)
{
  for (char *p = *str_at(rec, ops->connection_id_offset); p && *p; p++)
    *p = (char)tolower((unsigned char)*p);
}

static void fill_connection_name(const struct store_rec_ops *ops, void *rec, json_t *conn)
{
  char **slot = str_at(rec, ops->connection_name_offset);
  const char *name = conn ? store_conn_name(conn) : NULL;
  free(*slot);
  *slot = connection_id_of(ops, rec) && name ? xstrdup(name) : NULL;
}

static enum app_result write_rec(struct store *s, const struct store_rec_ops *ops, const void *rec)
{
  json_t *obj = ops->to_file(rec);
  enum app_result rc = store_rec_write(s, ops->kind, meta_of(ops, rec)->id, obj);
  json_decref(obj);
  return rc;
}

enum app_result store_rec_begin_read(struct store *s)
{
  store_clear_message(s);
  enum app_result rc = store_refresh_roles(s);
  return rc ? rc : store_require_member(s);
}

void store_rec_items_free(const struct store_rec_ops *ops, void *items, size_t n)
{
  for (size_t i = 0; i < n; i++)
    ops->done(item_at(ops, items, i));
  free(items);
}

enum app_result store_rec_list(struct store *s, const struct store_rec_ops *ops, void **out_items,
                               size_t *out_n)
{
  *out_items = NULL;
  *out_n = 0;
  struct store_rec_set conns = { 0 }, set = { 0 };
  enum app_result rc = store_rec_begin_read(s);
  if (rc == APP_OK && ops->bound)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &conns);
  if (rc == APP_OK)
    rc = store_rec_load_all(s, ops->kind, &set);
  void *items = rc ? NULL : xcalloc(set.n ? set.n : 1, ops->size);
  size_t n = 0;
  for (size_t i = 0; i < set.n && rc == APP_OK; i++) {
    void *rec = item_at(ops, items, n);
    rc = ops->from_json(s, set.items[i].json, rec);
    if (rc == APP_STORE_CORRUPT) {
      /* Valid JSON of the wrong shape: left out like an unreadable file. */
      char *path = store_rec_path(s, ops->kind, set.items[i].id);
      store_damage_note(s, ops->kind, path);
      free(path);
      memset(rec, 0, ops->size); /* from_json freed what it had filled */
      rc = APP_OK;
      continue;
    }
    if (rc)
      break;
    json_t *conn = ops->bound ? store_rec_set_find(&conns, connection_id_of(ops, rec)) : NULL;
    if ((ops->bound && !store_bound_visible(s, connection_id_of(ops, rec), conn)) ||
        (ops->shown && !ops->shown(s, rec))) {
      ops->done(rec);
      continue;
    }
    if (ops->bound)
      fill_connection_name(ops, rec, conn);
    n++;
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  if (rc) {
    store_rec_items_free(ops, items, n);
    return rc;
  }
  if (n > 1)
    qsort(items, n, ops->size, ops->compare);
  *out_items = items;
  *out_n = n;
  return APP_OK;
}

enum app_result store_rec_not_found(struct store *s, const struct store_rec_ops *ops,
                                    const char *what)
{
  const struct store_damage *d = NULL;
  size_t n = store_damaged(s, &d), bad = 0;
  const char *first = NULL;
  for (size_t i = 0; i < n; i++) {
    if (d[i].kind == ops->kind) {
      bad++;
      first = first ? first : d[i].message;
    }
  }
  if (bad == 0)
    return store_fail(s, APP_NOT_FOUND, "There is no %s '%s' in this store%s.",
                      store_kind_noun(ops->kind), what,
                      store_current_role(s) == STORE_ROLE_ADMIN ? "" : ops->unseen_hint);
  /* It may be the one that cannot be read: say so, and which file to repair. */
  return store_fail(s, APP_NOT_FOUND,
                    "There is no readable %s '%s' in this store; %zu %s record%s could not be "
                    "read and may be it: %s",
                    store_kind_noun(ops->kind), what, bad, store_kind_noun(ops->kind),
                    bad == 1 ? "" : "s", first);
}

/* The record of the actor's list whose string at key_offset is `key` (and, when scoped,
 * whose scope is `scope`), moved into out. */
static enum app_result pick(struct store *s, const struct store_rec_ops *ops, size_t key_offset,
                            const char *key, bool scoped, const char *scope, void *out)
{
  memset(out, 0, ops->size);
  void *items;
  size_t n;
  enum app_result rc = store_rec_list(s, ops, &items, &n);
  if (rc)
    return rc;
  if (scoped)
    rc =
        store_fail(s, APP_NOT_FOUND, "There is no %s '%s' of %s '%s' in this store%s.",
                   store_kind_noun(ops->kind), key ? key : "", ops->scope_label, scope ? scope : "",
                   store_current_role(s) == STORE_ROLE_ADMIN ? "" : ops->unseen_hint);
  else
    rc = store_rec_not_found(s, ops, key ? key : "");
  for (size_t i = 0; i < n; i++) {
    void *rec = item_at(ops, items, i);
    if (store_name_equal(*str_at(rec, key_offset), key) &&
        (!scoped || store_name_equal(*str_at(rec, ops->scope_offset), scope))) {
      memcpy(out, rec, ops->size);
      memset(rec, 0, ops->size);
      store_clear_message(s);
      rc = APP_OK;
      break;
    }
  }
  store_rec_items_free(ops, items, n);
  return rc;
}

enum app_result store_rec_get(struct store *s, const struct store_rec_ops *ops, const char *id,
                              void *out)
{
  return pick(s, ops, ops->meta_offset + offsetof(struct store_meta, id), id, false, NULL, out);
}

enum app_result store_rec_find(struct store *s, const struct store_rec_ops *ops, const char *scope,
                               const char *name, void *out)
{
  return pick(s, ops, ops->name_offset, name, ops->scope_key != NULL, scope, out);
}

enum app_result store_rec_lock_for_update(struct store *s, const struct store_meta *meta)
{
  if (!meta->id || meta->revision < 1)
    return store_fail(s, APP_INVALID,
                      "Only a record read from the store can be updated (it has no id or "
                      "revision).");
  store_clear_message(s);
  return store_lock(s);
}

enum app_result store_rec_check_unique(struct store *s, const struct store_rec_ops *ops,
                                       const struct store_rec_set *set, const void *rec,
                                       const char *self_id)
{
  const char *noun = store_kind_noun(ops->kind);
  const char *scope = ops->scope_key ? *str_at(rec, ops->scope_offset) : NULL;
  for (size_t i = 0; i < set->n; i++) {
    json_t *j = set->items[i].json;
    const char *other = store_json_get_str(j, ops->name_key);
    if (!store_name_equal(other, name_of(ops, rec)) ||
        (ops->scope_key && !store_name_equal(store_json_get_str(j, ops->scope_key), scope)) ||
        (self_id && strcmp(set->items[i].id, self_id) == 0))
      continue;
    if (ops->scope_key)
      return store_fail(s, APP_NAME_TAKEN,
                        "The %s '%s' already has a %s named '%s' (names are compared without "
                        "regard to case).",
                        ops->scope_label, scope, noun, other);
    /* "An export", "A model": the article goes with the noun's sound, here its letter. */
    return store_fail(s, APP_NAME_TAKEN,
                      "%s %s named '%s' already exists in this store (names are compared "
                      "without regard to case); choose another %s.",
                      strchr("aeiou", noun[0]) ? "An" : "A", noun, other, ops->name_label);
  }
  return APP_OK;
}

enum app_result store_rec_copy(struct store *s, const struct store_rec_ops *ops, const void *from,
                               void *to)
{
  /* Through the JSON, which is what the store trusts anyway. */
  json_t *obj = ops->to_file(from);
  enum app_result rc = ops->from_json(s, obj, to);
  json_decref(obj);
  return rc;
}

enum app_result store_rec_save_next(struct store *s, const struct store_rec_ops *ops, void *rec,
                                    const struct store_meta *current)
{
  struct store_meta *meta = meta_of(ops, rec);
  struct store_meta next = { 0 };
  store_meta_next(s, &next, current);
  struct store_meta before = *meta;
  *meta = next;
  enum app_result rc = write_rec(s, ops, rec);
  if (rc) {
    *meta = before; /* unchanged for the caller, who may retry */
    store_meta_done(&next);
  } else {
    store_meta_done(&before);
  }
  return rc;
}

enum app_result store_rec_load_for_change(struct store *s, const struct store_rec_ops *ops,
                                          const char *id, long revision, bool check_revision,
                                          struct store_rec_set *conns, void *current)
{
  memset(current, 0, ops->size);
  /* Membership first: someone with no role learns nothing, not even whether it exists. */
  enum app_result rc = store_require_member(s);
  if (rc == APP_OK && ops->bound)
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, conns);
  json_t *j = NULL;
  if (rc == APP_OK) {
    rc = store_rec_load(s, ops->kind, id, &j);
    if (rc == APP_NOT_FOUND)
      return check_revision ? store_check_revision(s, ops->kind, id ? id : "", NULL, revision)
                            : store_rec_not_found(s, ops, id ? id : "");
  }
  if (rc == APP_OK)
    rc = ops->from_json(s, j, current);
  json_decref(j);
  if (rc)
    return rc;
  json_t *conn = NULL;
  if (ops->bound) {
    conn = store_rec_set_find(conns, connection_id_of(ops, current));
    if (!store_bound_visible(s, connection_id_of(ops, current), conn))
      return store_rec_not_found(s, ops, id);
  }
  if (check_revision)
    rc = store_check_revision(s, ops->kind, name_of(ops, current), meta_of(ops, current), revision);
  if (rc == APP_OK && ops->bound)
    rc = store_bound_require_manage(s, ops->kind, name_of(ops, current),
                                    connection_id_of(ops, current), conn);
  return rc;
}

enum app_result store_rec_create(struct store *s, const struct store_rec_ops *ops, void *rec)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  /* The role first: someone who may not create learns nothing about existing names. */
  rc = ops->require ? ops->require(s, "create") : store_bound_require_create(s, ops->kind);
  const char *conn_id = connection_id_of(ops, rec);
  if (rc == APP_OK && ops->bound && !conn_id)
    rc = store_fail(s, APP_INVALID, "A new %s needs a connection.", store_kind_noun(ops->kind));
  if (rc == APP_OK)
    rc = ops->validate(s, rec);
  struct store_rec_set conns = { 0 }, set = { 0 };
  json_t *conn = NULL;
  if (rc == APP_OK && ops->bound) {
    rc = store_rec_load_all(s, STORE_KIND_CONNECTION, &conns);
    conn = store_rec_set_find(&conns, conn_id);
    if (rc == APP_OK)
      rc = store_bound_require_usable(s, ops->kind, conn_id, conn);
  }
  if (rc == APP_OK)
    rc = store_rec_load_all(s, ops->kind, &set);
  if (rc == APP_OK)
    rc = store_rec_check_unique(s, ops, &set, rec, NULL);
  if (rc == APP_OK) {
    store_meta_new(s, meta_of(ops, rec));
    if (ops->bound) {
      lower_connection_id(ops, rec);
      fill_connection_name(ops, rec, conn);
    }
    if (ops->fill_new)
      ops->fill_new(rec);
    rc = write_rec(s, ops, rec);
  }
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_rec_update(struct store *s, const struct store_rec_ops *ops, void *rec)
{
  const struct store_meta *meta = meta_of(ops, rec);
  enum app_result rc = store_rec_lock_for_update(s, meta);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 }, set = { 0 };
  void *current = xcalloc(1, ops->size);
  if (ops->require)
    rc = ops->require(s, "change");
  if (rc == APP_OK)
    rc = store_rec_load_for_change(s, ops, meta->id, meta->revision, true, &conns, current);
  if (rc == APP_OK)
    rc = ops->validate(s, rec);
  json_t *conn = NULL;
  if (rc == APP_OK && ops->bound) {
    const char *conn_id = connection_id_of(ops, rec);
    conn = store_rec_set_find(&conns, conn_id);
    /* Keeping a connection one may no longer use is fine; moving to one is not. */
    if (conn_id && !store_name_equal(conn_id, connection_id_of(ops, current)))
      rc = store_bound_require_usable(s, ops->kind, conn_id, conn);
  }
  if (rc == APP_OK)
    rc = store_rec_load_all(s, ops->kind, &set);
  if (rc == APP_OK)
    rc = store_rec_check_unique(s, ops, &set, rec, meta_of(ops, current)->id);
  if (rc == APP_OK) {
    if (ops->bound) {
      lower_connection_id(ops, rec);
      fill_connection_name(ops, rec, conn);
    }
    if (ops->fill_next)
      ops->fill_next(rec, current);
    rc = store_rec_save_next(s, ops, rec, meta_of(ops, current));
  }
  ops->done(current);
  free(current);
  store_rec_set_done(&set);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_rec_detach(struct store *s, const struct store_rec_ops *ops, const char *id,
                                 long revision)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  void *current = xcalloc(1, ops->size), *next = xcalloc(1, ops->size);
  rc = store_rec_load_for_change(s, ops, id, revision, true, &conns, current);
  if (rc == APP_OK && connection_id_of(ops, current)) {
    rc = store_rec_copy(s, ops, current, next);
    if (rc == APP_OK) {
      char **conn_id = str_at(next, ops->connection_id_offset);
      free(*conn_id);
      *conn_id = NULL;
      rc = store_rec_save_next(s, ops, next, meta_of(ops, current));
    }
  }
  ops->done(next);
  ops->done(current);
  free(next);
  free(current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}

enum app_result store_rec_remove(struct store *s, const struct store_rec_ops *ops, const char *id,
                                 long revision, void *ctx)
{
  store_clear_message(s);
  enum app_result rc = store_lock(s);
  if (rc)
    return rc;
  struct store_rec_set conns = { 0 };
  void *current = xcalloc(1, ops->size);
  if (ops->require)
    rc = ops->require(s, "remove");
  if (rc == APP_OK)
    rc = store_rec_load_for_change(s, ops, id, revision, true, &conns, current);
  if (rc == APP_OK && ops->check_remove)
    rc = ops->check_remove(s, current, ctx);
  if (rc == APP_OK)
    rc = store_rec_unlink(s, ops->kind, meta_of(ops, current)->id);
  ops->done(current);
  free(current);
  store_rec_set_done(&conns);
  store_unlock(s);
  return rc;
}
