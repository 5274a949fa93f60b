/*
 * store: opening and creating a store, its permissions, the lock, the actor and the
 * messages. Record files are read and written by store_record.c; roles.json by
 * store_role.c. The contract is in store.h.
 */
#include "app/store.h"
#include "app/store_internal.h"
#include "app/store_role.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_dirs[STORE_KIND_COUNT_] = { "connections", "exports", "models",
                                                          "linked_services", "tables" };
static const char *const kind_nouns[STORE_KIND_COUNT_] = { "connection", "export", "model",
                                                           "linked service", "table" };

const char *store_kind_noun(enum store_kind kind)
{
  return (unsigned)kind < STORE_KIND_COUNT_ ? kind_nouns[kind] : "record";
}

const char *store_kind_dir(enum store_kind kind)
{
  return kind_dirs[kind];
}

char *store_default_dir(const char *option)
{
  if (option && *option)
    return xstrdup(option);
  const char *env = getenv("SYNWIZ_STORE");
  if (env && *env)
    return xstrdup(env);
  char *config = paths_config_dir();
  char *dir = paths_join(config, "store");
  free(config);
  return dir;
}

/* ---- messages ---- */

static char *vformat(const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    return xstrdup(fmt);
  char *buf = xmalloc((size_t)n + 1);
  if (vsnprintf(buf, (size_t)n + 1, fmt, ap) < 0)
    buf[0] = '\0';
  return buf;
}

void store_clear_message(struct store *s)
{
  free(s->message);
  s->message = NULL;
}

void store_damage_reset(struct store *s, enum store_kind kind)
{
  size_t keep = 0;
  for (size_t i = 0; i < s->n_damaged; i++) {
    struct store_damage *d = &s->damaged[i];
    if (d->kind == kind) {
      free(d->path);
      free(d->message);
    } else {
      s->damaged[keep++] = *d;
    }
  }
  s->n_damaged = keep;
}

void store_damage_note(struct store *s, enum store_kind kind, const char *path)
{
  for (size_t i = 0; i < s->n_damaged; i++)
    if (strcmp(s->damaged[i].path, path) == 0)
      return;
  s->damaged = xgrow(s->damaged, &s->cap_damaged, s->n_damaged + 1, sizeof(*s->damaged));
  struct store_damage *d = &s->damaged[s->n_damaged++];
  d->kind = kind;
  d->path = xstrdup(path);
  d->message = xstrdup(s->message ? s->message : path);
  store_clear_message(s);
}

size_t store_damaged(const struct store *s, const struct store_damage **out)
{
  *out = s->damaged;
  return s->n_damaged;
}

enum app_result store_fail(struct store *s, enum app_result rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *m = vformat(fmt, ap);
  va_end(ap);
  free(s->message);
  s->message = m;
  return rc;
}

static void put_admins(const struct store *s, struct strbuf *sb)
{
  size_t count = 0;
  for (size_t i = 0; i < s->members.n; i++) {
    const struct store_member *m = &s->members.items[i];
    if (m->role != STORE_ROLE_ADMIN)
      continue;
    if (count++)
      strbuf_puts(sb, ", ");
    if (m->display_name && *m->display_name)
      strbuf_printf(sb, "%s (%s)", m->display_name, m->object_id);
    else
      strbuf_puts(sb, m->object_id);
  }
  if (!count)
    strbuf_puts(sb, "none recorded");
}

enum app_result store_deny(struct store *s, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *m = vformat(fmt, ap);
  va_end(ap);
  struct strbuf sb;
  strbuf_init(&sb, 0);
  strbuf_puts(&sb, m);
  strbuf_puts(&sb, " Administrators: ");
  put_admins(s, &sb);
  strbuf_putc(&sb, '.');
  free(m);
  free(s->message);
  s->message = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return APP_DENIED;
}

const char *store_message(const struct store *s)
{
  return s && s->message ? s->message : "";
}

/* ---- accessors ---- */

const char *store_dir(const struct store *s)
{
  return s->dir;
}

bool store_is_shared(const struct store *s)
{
  return s->shared;
}

bool store_was_created(const struct store *s)
{
  return s->created;
}

const char *store_actor_id(const struct store *s)
{
  return s->actor_id;
}

static const char *const role_names[] = { "none", "viewer", "contributor", "admin" };
static const char *const role_titles[] = { "No role", "Viewer", "Contributor", "Administrator" };

const char *store_role_name(enum store_role role)
{
  return (unsigned)role <= STORE_ROLE_ADMIN ? role_names[role] : "none";
}

const char *store_role_title(enum store_role role)
{
  return (unsigned)role <= STORE_ROLE_ADMIN ? role_titles[role] : "No role";
}

enum store_role store_role_parse(const char *s)
{
  if (!s)
    return STORE_ROLE_NONE;
  if (store_name_equal(s, "admin") || store_name_equal(s, "administrator"))
    return STORE_ROLE_ADMIN;
  if (store_name_equal(s, "contributor"))
    return STORE_ROLE_CONTRIBUTOR;
  if (store_name_equal(s, "viewer"))
    return STORE_ROLE_VIEWER;
  return STORE_ROLE_NONE;
}

enum store_role store_current_role(const struct store *s)
{
  for (size_t i = 0; i < s->members.n; i++) {
    if (strcmp(s->members.items[i].object_id, s->actor_id) == 0)
      return s->members.items[i].role;
  }
  return STORE_ROLE_NONE;
}

enum app_result store_refresh_roles(struct store *s)
{
  struct store_member_list fresh = { 0 };
  enum app_result rc = store_roles_read(s, &fresh);
  if (rc)
    return rc;
  store_member_list_done(&s->members);
  s->members = fresh;
  return APP_OK;
}

enum store_role store_actor_role(struct store *s)
{
  if (store_refresh_roles(s))
    return STORE_ROLE_NONE;
  return store_current_role(s);
}

enum app_result store_require_member(struct store *s)
{
  if (store_current_role(s) != STORE_ROLE_NONE)
    return APP_OK;
  struct strbuf sb;
  strbuf_init(&sb, 0);
  put_admins(s, &sb);
  enum app_result rc = store_fail(
      s, APP_NO_ROLE,
      "You (%s%s%s) have no role in the store %s, so you can see and change nothing in it. "
      "An administrator of the store can give you one. Administrators: %s.",
      *s->actor_name ? s->actor_name : "", *s->actor_name ? ", " : "", s->actor_id, s->dir, sb.buf);
  strbuf_done(&sb);
  return rc;
}

/* ---- paths ---- */

char *store_path(const struct store *s, const char *name)
{
  return paths_join(s->dir, name);
}

char *store_rec_path(const struct store *s, enum store_kind kind, const char *id)
{
  return xasprintf("%s/%s/%s.json", s->dir, kind_dirs[kind], id);
}

/* ---- permissions ---- */

/* A directory of the store: nobody outside the group may write to it, and if the group
 * may, the setgid bit must be set so that every file gets the store's group. */
static enum app_result check_dir_mode(struct store *s, const char *path, const struct stat *st)
{
  mode_t mode = st->st_mode & 07777;
  if (mode & S_IWOTH)
    return store_fail(s, APP_STORE_UNSAFE,
                      "The store directory %s can be written by every user (mode %04o); synwiz "
                      "refuses to use it. Make it private (chmod 700) or shared with one group "
                      "(chmod 2770), see the README.",
                      path, (unsigned)mode);
  if ((mode & S_IWGRP) && !(mode & S_ISGID))
    return store_fail(s, APP_STORE_UNSAFE,
                      "The store directory %s is group-writable but not setgid (mode %04o), so "
                      "its files would get each writer's own group and the others could not "
                      "use them. Run: chmod g+s %s",
                      path, (unsigned)mode, path);
  return APP_OK;
}

static enum app_result check_file_mode(struct store *s, const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? APP_OK
                           : store_fail(s, APP_IO, "Cannot read %s: %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return store_fail(s, APP_STORE_CORRUPT, "%s is not a regular file.", path);
  if (st.st_mode & S_IWOTH)
    return store_fail(s, APP_STORE_UNSAFE,
                      "%s can be written by every user (mode %04o); synwiz refuses to use the "
                      "store. Run: chmod o-w %s",
                      path, (unsigned)(st.st_mode & 07777), path);
  return APP_OK;
}

/* Create the lock file with the store's file mode (fs_lock_acquire would make it 0600, which
 * in a shared store would lock the group out). */
static enum app_result ensure_lock_file(struct store *s)
{
  char *path = store_path(s, "store.lock");
  enum app_result rc = APP_OK;
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, s->file_mode);
  if (fd >= 0) {
    /* Ours and new: the umask may have narrowed it. */
    if (fchmod(fd, s->file_mode) != 0)
      rc = store_fail(s, APP_IO, "Cannot set the mode of %s: %s", path, strerror(errno));
    close(fd);
  } else if (errno != EEXIST) {
    rc = store_fail(s, APP_IO, "Cannot create the store's lock file %s: %s", path, strerror(errno));
  }
  if (rc == APP_OK)
    rc = check_file_mode(s, path);
  if (rc == APP_OK && access(path, R_OK | W_OK) != 0)
    rc = store_fail(s, APP_IO,
                    "You cannot open the store's lock file %s for writing (%s); in a store "
                    "shared by a group it must be mode 0660 and belong to the group.",
                    path, strerror(errno));
  free(path);
  return rc;
}

/* ---- the lock ---- */

static enum app_result lock_raw(struct store *s)
{
  if (s->locked)
    return APP_OK;
  char *path = store_path(s, "store.lock");
  int r = fs_lock_acquire(&s->lock, path, STORE_LOCK_TIMEOUT_MS);
  int err = errno;
  free(path);
  if (r != 0) {
    if (err == ETIMEDOUT)
      return store_fail(s, APP_STORE_BUSY,
                        "Another synwiz has been saving to the store %s for more than %d s; "
                        "nothing was saved. Try again.",
                        s->dir, STORE_LOCK_TIMEOUT_MS / 1000);
    return store_fail(s, APP_IO, "Cannot lock the store %s: %s", s->dir, strerror(err));
  }
  s->locked = true;
  return APP_OK;
}

static bool is_temp_name(const char *name)
{
  return strstr(name, ".tmp.") != NULL;
}

/* Only a lock holder writes, so a temporary file seen by a lock holder belongs to a writer
 * that died (kill -9, power loss) between creating it and renaming it. */
static void remove_temps_in(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (is_temp_name(e->d_name))
      unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

static void remove_temps(struct store *s)
{
  remove_temps_in(s->dir);
  for (int k = 0; k < STORE_KIND_COUNT_; k++) {
    char *dir = store_path(s, kind_dirs[k]);
    remove_temps_in(dir);
    free(dir);
  }
}

enum app_result store_lock(struct store *s)
{
  enum app_result rc = lock_raw(s);
  if (rc)
    return rc;
  remove_temps(s);
  rc = store_refresh_roles(s);
  if (rc)
    store_unlock(s);
  return rc;
}

void store_unlock(struct store *s)
{
  if (!s->locked)
    return;
  fs_lock_release(&s->lock);
  s->locked = false;
}

/* ---- creating a store ---- */

static bool is_store_entry(const char *name)
{
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "store.lock") == 0 ||
      strcmp(name, "store.json") == 0 || strcmp(name, "roles.json") == 0 || is_temp_name(name))
    return true;
  for (int k = 0; k < STORE_KIND_COUNT_; k++) {
    if (strcmp(name, kind_dirs[k]) == 0)
      return true;
  }
  return false;
}

enum app_result store_make_kind_dir(struct store *s, enum store_kind kind)
{
  char *dir = store_path(s, kind_dirs[kind]);
  enum app_result rc = APP_OK;
  if (mkdir(dir, s->dir_mode) == 0) {
    /* mkdir applies the umask and may drop the setgid bit: set the mode we mean. */
    if (chmod(dir, s->dir_mode) != 0)
      rc = store_fail(s, APP_IO, "Cannot set the mode of %s: %s", dir, strerror(errno));
  } else if (errno != EEXIST) {
    rc = store_fail(s, APP_IO, "Cannot create %s: %s", dir, strerror(errno));
  }
  free(dir);
  return rc;
}

/* Under the lock: make DIR a store whose only member is the actor, as administrator.
 * store.json is written last, so a store killed half-way is still "new" and the next
 * opener finishes it (and becomes its administrator: nobody else ever used it). */
static enum app_result init_store(struct store *s)
{
  DIR *d = opendir(s->dir);
  if (!d)
    return store_fail(s, APP_IO, "Cannot read %s: %s", s->dir, strerror(errno));
  struct dirent *e;
  enum app_result rc = APP_OK;
  while ((e = readdir(d)) != NULL) {
    if (!is_store_entry(e->d_name)) {
      rc = store_fail(s, APP_STORE_NOT_STORE,
                      "%s is not a synwiz store and not empty (it holds '%s'); give --store "
                      "a new or empty directory.",
                      s->dir, e->d_name);
      break;
    }
  }
  closedir(d);
  if (rc)
    return rc;
  remove_temps(s);
  for (int k = 0; k < STORE_KIND_COUNT_ && rc == APP_OK; k++)
    rc = store_make_kind_dir(s, (enum store_kind)k);
  if (rc)
    return rc;

  char now[32];
  store_now(now);
  struct store_member_list first = { 0 };
  store_member_list_put(&first, s->actor_id, s->actor_name, STORE_ROLE_ADMIN, now, "");
  rc = store_roles_write(s, &first);
  store_member_list_done(&first);
  if (rc)
    return rc;

  json_t *obj = json_object();
  json_object_set_new(obj, "schema", json_integer(STORE_SCHEMA));
  json_object_set_new(obj, "created_at", json_string(now));
  json_object_set_new(obj, "created_by", json_string(s->actor_id));
  char *path = store_path(s, "store.json");
  rc = store_write_json(s, path, obj);
  free(path);
  json_decref(obj);
  if (rc == APP_OK)
    s->created = true;
  return rc;
}

/* An existing store: its directories and top files must be as safe as DIR itself. */
static enum app_result check_existing(struct store *s)
{
  for (int k = 0; k < STORE_KIND_COUNT_; k++) {
    char *dir = store_path(s, kind_dirs[k]);
    struct stat st;
    enum app_result rc = APP_OK;
    if (lstat(dir, &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        rc = store_fail(s, APP_STORE_CORRUPT, "%s is not a directory.", dir);
      else
        rc = check_dir_mode(s, dir, &st);
    }
    free(dir);
    if (rc)
      return rc;
  }
  static const char *const files[] = { "store.json", "roles.json" };
  for (size_t i = 0; i < 2; i++) {
    char *path = store_path(s, files[i]);
    enum app_result rc = check_file_mode(s, path);
    free(path);
    if (rc)
      return rc;
  }
  return APP_OK;
}

/* A member's display name is whatever their last sign-in said; keep it current so that the
 * "Administrators: ..." lists stay readable. */
static enum app_result refresh_own_name(struct store *s)
{
  for (size_t i = 0; i < s->members.n; i++) {
    struct store_member *m = &s->members.items[i];
    if (strcmp(m->object_id, s->actor_id) != 0)
      continue;
    if (!*s->actor_name || strcmp(m->display_name, s->actor_name) == 0)
      return APP_OK;
    enum app_result rc = store_lock(s);
    if (rc)
      return rc;
    for (size_t j = 0; j < s->members.n; j++) {
      m = &s->members.items[j];
      if (strcmp(m->object_id, s->actor_id) == 0 && strcmp(m->display_name, s->actor_name)) {
        free(m->display_name);
        m->display_name = xstrdup(s->actor_name);
        rc = store_roles_write(s, &s->members);
        break;
      }
    }
    store_unlock(s);
    return rc;
  }
  return APP_OK;
}

static enum app_result open_inner(struct store *s, const char *dir, const struct store_actor *actor)
{
  s->dir = xstrdup(dir && *dir ? dir : ".");
  if (!actor || !store_is_guid(actor->object_id))
    return store_fail(s, APP_INVALID,
                      "The store needs the signed-in identity's object id (a GUID); got '%s'.",
                      actor && actor->object_id ? actor->object_id : "(none)");
  s->actor_id = xstrdup(actor->object_id);
  for (char *p = s->actor_id; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  s->actor_name = xstrdup(actor->display_name ? actor->display_name : "");

  struct stat st;
  if (stat(s->dir, &st) != 0) {
    if (errno != ENOENT)
      return store_fail(s, APP_IO, "Cannot open the store %s: %s", s->dir, strerror(errno));
    if (fs_mkdir_p(s->dir, 0700) != 0 || chmod(s->dir, 0700) != 0 || stat(s->dir, &st) != 0)
      return store_fail(s, APP_IO, "Cannot create the store %s: %s", s->dir, strerror(errno));
  }
  if (!S_ISDIR(st.st_mode))
    return store_fail(s, APP_STORE_NOT_STORE, "The store %s is not a directory.", s->dir);
  enum app_result rc = check_dir_mode(s, s->dir, &st);
  if (rc)
    return rc;
  s->shared = (st.st_mode & S_IWGRP) != 0;
  s->file_mode = s->shared ? 0660 : 0600;
  s->dir_mode = s->shared ? 02770 : 0700;
  rc = ensure_lock_file(s);
  if (rc)
    return rc;

  char *path = store_path(s, "store.json");
  json_t *head = NULL;
  rc = store_read_json(s, path, NULL, &head);
  if (rc == APP_NOT_FOUND) {
    rc = lock_raw(s);
    if (rc == APP_OK) {
      /* Someone may have made it while we waited for the lock. */
      rc = store_read_json(s, path, NULL, &head);
      if (rc == APP_NOT_FOUND)
        rc = init_store(s);
      store_unlock(s);
    }
  }
  free(path);
  json_decref(head);
  if (rc)
    return rc;
  rc = check_existing(s);
  if (rc == APP_OK)
    rc = store_refresh_roles(s);
  if (rc == APP_OK)
    rc = refresh_own_name(s);
  if (rc == APP_OK)
    store_clear_message(s);
  return rc;
}

enum app_result store_open(const char *dir, const struct store_actor *actor,
                           struct store **out_store, char **out_message)
{
  *out_store = NULL;
  if (out_message)
    *out_message = NULL;
  struct store *s = xcalloc(1, sizeof(*s));
  s->lock.fd = -1;
  enum app_result rc = open_inner(s, dir, actor);
  if (rc) {
    if (out_message)
      *out_message = xstrdup(store_message(s));
    store_close(s);
    return rc;
  }
  *out_store = s;
  return APP_OK;
}

void store_close(struct store *s)
{
  if (!s)
    return;
  store_unlock(s);
  store_member_list_done(&s->members);
  free(s->dir);
  free(s->actor_id);
  free(s->actor_name);
  free(s->message);
  for (size_t i = 0; i < s->n_damaged; i++) {
    free(s->damaged[i].path);
    free(s->damaged[i].message);
  }
  free(s->damaged);
  free(s);
}
