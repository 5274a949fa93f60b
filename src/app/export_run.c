/*
 * export_run: one run of a saved export, and its records. See export_run.h.
 */
#include "app/export_run.h"

#include "app/app_ctx.h"
#include "app/doctor.h"
#include "app/export_model.h"
#include "app/export_partitioner.h"
#include "app/export_table.h"
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_table.h"
#include "azure/az_arm.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "azure/az_cloud.h"
#include "azure/az_error.h"
#include "azure/az_storage.h"
#include "azure/az_synapse.h"
#include "util/fsutil.h"
#include "util/jsonpath.h"
#include "util/paths.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *export_run_status_name(enum export_run_status s)
{
  switch (s) {
  case EXPORT_RUN_NOT_STARTED:
    return "Not started";
  case EXPORT_RUN_QUEUED:
    return "Queued";
  case EXPORT_RUN_PROCESSING:
    return "Processing";
  case EXPORT_RUN_SUCCESSFUL:
    return "Successful";
  case EXPORT_RUN_FAILED:
    return "Failed";
  case EXPORT_RUN_CANCELED:
    return "Canceled";
  case EXPORT_RUN_SKIPPED:
    return "Skipped";
  }
  return "Failed";
}

static void iso_time(time_t t, char out[32])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- records ---- */

static char *runs_dir(struct store *s, const char *export_id)
{
  return xasprintf("%s/export_runs/%s", store_dir(s), export_id);
}

static bool write_record(const char *path, json_t *rec)
{
  char *text = json_dumps(rec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  bool ok = text && fs_write_atomic(path, text, strlen(text), 0600) == 0;
  free(text);
  return ok;
}

static bool is_record_name(const char *name)
{
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".json") == 0 && !strchr(name, '~') &&
         !strstr(name, ".tmp.");
}

static int by_name_desc(const void *a, const void *b)
{
  return strcmp(*(const char *const *)b, *(const char *const *)a);
}

/* A run left Processing by a process of this host that is gone was killed: say so. */
static void reap(const char *path, json_t *rec)
{
  const char *status = json_string_value(json_object_get(rec, "status"));
  if (!status || (strcmp(status, "Processing") != 0 && strcmp(status, "Queued") != 0))
    return;
  char host[256] = "";
  gethostname(host, sizeof(host) - 1);
  const char *rhost = json_string_value(json_object_get(rec, "host"));
  json_int_t pid = json_integer_value(json_object_get(rec, "pid"));
  if (!rhost || strcmp(rhost, host) != 0 || pid <= 0)
    return;
  if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
    return;
  char when[32];
  struct stat st;
  iso_time(stat(path, &st) == 0 ? st.st_mtime : time(NULL), when);
  json_object_set_new(rec, "status", json_string("Failed"));
  json_object_set_new(rec, "end", json_string(when));
  json_object_set_new(rec, "error",
                      json_string("Interrupted: the process running the export "
                                  "ended before the run finished (it was killed "
                                  "or the machine stopped)."));
  write_record(path, rec);
}

json_t *export_run_history(struct store *s, const char *export_id, size_t max)
{
  json_t *out = json_array();
  char *dir = runs_dir(s, export_id);
  DIR *d = opendir(dir);
  if (!d) {
    free(dir);
    return out;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!is_record_name(de->d_name))
      continue;
    names = xgrow(names, &cap, n + 1, sizeof(*names));
    names[n++] = xstrdup(de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof(*names), by_name_desc);
  for (size_t i = 0; i < n; i++) {
    char *path = xasprintf("%s/%s", dir, names[i]);
    json_t *rec = json_load_file(path, 0, NULL);
    if (json_is_object(rec)) {
      reap(path, rec);
      if (!max || json_array_size(out) < max)
        json_array_append(out, rec);
    }
    json_decref(rec);
    free(path);
    free(names[i]);
  }
  free(names);
  free(dir);
  return out;
}

/* ---- a run ---- */

static void remove_folder(const char *dir);

/* A killed run leaves its staging folder (a partition, a table read from storage): the next
 * run removes those of processes that are gone (the folder names the process). */
static void remove_stale_stages(const char *tmp)
{
  DIR *d = opendir(tmp);
  struct dirent *de;
  static const char prefix[] = "synwiz-export-";
  while (d && (de = readdir(d))) {
    if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) != 0)
      continue;
    char *end = NULL;
    long pid = strtol(de->d_name + sizeof(prefix) - 1, &end, 10);
    if (pid <= 0 || !end || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    char *p = xasprintf("%s/%s", tmp, de->d_name);
    remove_folder(p);
    free(p);
  }
  if (d)
    closedir(d);
}

/* The staging folder moved away by a cancel: what is left in it (a table's source file read
 * from storage), then the folder. */
static void remove_folder(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d && (de = readdir(d))) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    char *p = xasprintf("%s/%s", dir, de->d_name);
    unlink(p);
    free(p);
  }
  if (d)
    closedir(d);
  rmdir(dir);
}

struct run {
  const struct export_run_options *o;
  struct store *store;
  struct store_connection conn;
  struct az_client *client;
  struct az_storage_account *account;
  char *path; /* its record */
  json_t *rec;
  json_t *tables;
  double t0;
  int64_t done_bytes, total_bytes; /* of the tables finished, of all */
  int table_index, n_tables;
  const char *table;
  int64_t table_total;
  char *error;
  const char *stage; /* the staging folder, while tables upload */
  char *stage_moved; /* where it went when a cancel stopped the upload (see on_table_progress) */
};

static bool cancelled(const struct run *r)
{
  return r->o->cancel && *r->o->cancel;
}

static void say(struct run *r, const char *phase, int64_t table_bytes, const char *line)
{
  if (!r->o->on_progress)
    return;
  struct export_run_progress p = { 0 };
  p.phase = phase;
  p.table = r->table;
  p.table_index = r->table_index;
  p.n_tables = r->n_tables;
  p.table_bytes = table_bytes;
  p.table_total = r->table_total;
  p.bytes = r->done_bytes + table_bytes;
  p.total = r->total_bytes;
  p.elapsed_s = now_s() - r->t0;
  p.line = line;
  r->o->on_progress(r->o->ud, &p);
}

static void set_error(struct run *r, char *msg)
{
  free(r->error);
  r->error = msg;
}

static char *az_words(const struct az_error *e)
{
  char *s = az_error_summary(e);
  return s ? s : xstrdup("Azure refused the request.");
}

/* The account's blob endpoint as Azure Resource Manager gives it
 * (properties.primaryEndpoints.blob): the cloud profile's pattern is only a guess where an
 * account's endpoint differs (a DNS zone endpoint, a port of its own). NULL when the read
 * fails: the profile's pattern is used, and a wrong one shows in the upload's error. */
static char *blob_endpoint(struct run *r)
{
  if (!r->conn.subscription_id || !r->conn.storage_resource_group)
    return NULL;
  struct az_call *call = az_arm_get_storage_account(
      r->client, r->conn.subscription_id, r->conn.storage_resource_group, r->conn.storage_account);
  char *out = NULL;
  if (az_call_wait(call) == AZ_OK) {
    const char *ep = json_path_str(az_call_json(call), "properties.primaryEndpoints.blob");
    out = ep ? xstrdup(ep) : NULL;
  }
  az_call_delete(call);
  return out;
}

static void on_doctor_progress(void *ud, const struct wiz_progress *p)
{
  (void)p;
  (void)ud;
}

/* The quick check: false (with the error) when a role the run needs is missing. */
static bool check(struct run *r)
{
  say(r, "check", 0, "Checking the roles the run needs...");
  struct doctor_target t;
  doctor_target_from_connection(&t, &r->conn);
  struct doctor_options opt = { 0 };
  opt.progress = on_doctor_progress;
  struct doctor *d = doctor_start(r->o->app, &t, &opt);
  while (!doctor_finished(d)) {
    if (cancelled(r)) {
      doctor_cancel(d);
      break;
    }
    app_ctx_wait(r->o->app, NULL, 0, 100);
  }
  bool ok = true;
  static const struct {
    const char *key, *role;
  } need[] = {
    { "blob_user", DOCTOR_ROLE_BLOB_DATA_CONTRIBUTOR },
    { "synapse_artifacts", "Synapse Contributor (or Synapse Administrator)" },
  };
  const struct doctor_findings *f = doctor_findings_of(d);
  for (size_t i = 0; ok && !cancelled(r) && i < sizeof(need) / sizeof(need[0]); i++) {
    const struct doctor_finding *x = doctor_findings_get(f, need[i].key);
    if (!x || x->status != WIZ_FINDING_FAIL || x->unchecked || x->pending)
      continue;
    ok = false;
    set_error(r, xasprintf("The run needs %s for you (%s) and you do not have it: nothing was "
                           "uploaded. Grant it with: synwiz doctor %s --fix (an administrator "
                           "of the subscription may have to).",
                           need[i].role, x->scope ? x->scope : "the connection's resources",
                           r->conn.display_name));
  }
  doctor_delete(d);
  doctor_target_done(&t);
  return ok;
}

struct table_progress {
  struct run *r;
};

static void on_table_progress(void *ud, const char *table, int64_t rows, int64_t bytes)
{
  struct run *r = ud;
  (void)rows;
  /* Cancel between partitions: export_table has no way to be stopped, but it stages each
   * partition in r->stage, so moving that folder away makes its next partition fail to open
   * before anything of it is written or sent. The partition just uploaded is whole. */
  if (cancelled(r) && r->stage && !r->stage_moved) {
    char *moved = xasprintf("%s.canceled", r->stage);
    if (rename(r->stage, moved) == 0)
      r->stage_moved = moved;
    else
      free(moved);
  }
  char *line = xasprintf("Uploading %s", table);
  say(r, "upload", bytes, line);
  free(line);
}

/* A table kept in a storage account is streamed to a staged file first (export_table reads
 * local files), bounded memory: the download writes ranges as they come. */
static enum app_result stage_from_storage(struct run *r, const struct store_table *t,
                                          const char *stage, char **out_path)
{
  if (t->parts.n != 1) {
    set_error(r, xasprintf("The table %s is a folder of %zu parts in storage: exporting a table "
                           "of several parts is not built yet.",
                           t->name, t->parts.n));
    return APP_INVALID;
  }
  char *account = NULL, *endpoint = NULL, *container = NULL, *blob = NULL;
  if (!az_blob_parse_url(t->parts.items[0], &account, &endpoint, &container, &blob)) {
    set_error(r, xasprintf("The table %s's location is not a blob URL.", t->name));
    return APP_INVALID;
  }
  struct az_storage_account *a = NULL;
  struct az_error err;
  az_error_init(&err);
  enum app_result rc = APP_OK;
  char *path = xasprintf("%s/source-%s.csv", stage, t->name);
  if (az_storage_account_new(account, endpoint, NULL, az_client_cloud(r->client), &a, &err) !=
      AZ_OK) {
    set_error(r, az_words(&err));
    rc = APP_AZURE;
  } else {
    struct az_call *call = az_blob_download_file(r->client, a, container, blob, path, NULL);
    if (az_call_wait(call) != AZ_OK) {
      char *w = az_words(az_call_error(call));
      set_error(
          r, xasprintf("Could not read the table %s from %s: %s", t->name, t->parts.items[0], w));
      free(w);
      rc = APP_AZURE;
    }
    az_call_delete(call);
  }
  az_storage_account_delete(a);
  az_error_done(&err);
  free(account);
  free(endpoint);
  free(container);
  free(blob);
  if (rc == APP_OK)
    *out_path = path;
  else {
    unlink(path);
    free(path);
  }
  return rc;
}

static bool blob_role_missing(const struct az_error *e)
{
  return e->code && strcmp(e->code, "AuthorizationPermissionMismatch") == 0;
}

static bool upload_tables(struct run *r, struct export_model *model, time_t start,
                          const char *stage)
{
  const struct store_export *e = r->o->e;
  for (size_t i = 0; i < e->tables.n; i++) {
    if (cancelled(r))
      return false;
    struct store_table t;
    store_table_init(&t);
    if (store_table_find(r->store, e->tables.items[i], &t) != APP_OK) {
      set_error(r, xasprintf("The table %s is no longer in the catalog: %s", e->tables.items[i],
                             store_message(r->store)));
      store_table_done(&t);
      return false;
    }
    r->table_index = (int)i + 1;
    r->table = e->tables.items[i];
    r->table_total = t.bytes;
    say(r, "upload", 0, "Uploading");
    char *staged = NULL;
    struct store_table view = t; /* shallow: the staged file in place of the storage URL */
    if (t.source == STORE_TABLE_STORAGE) {
      if (stage_from_storage(r, &t, stage, &staged) != APP_OK) {
        store_table_done(&t);
        return false;
      }
      view.source = STORE_TABLE_FILE;
      view.location = staged;
    }
    struct export_table_options to = { 0 };
    to.client = r->client;
    to.account = r->account;
    to.container = r->conn.container;
    to.export_name = e->display_name;
    to.run_start = start;
    to.partition_bytes = r->o->partition_bytes;
    to.temp_dir = stage;
    to.model = model;
    to.on_progress = on_table_progress;
    to.ud = r;
    struct export_table_result res;
    char *msg = NULL;
    struct az_error err;
    az_error_init(&err);
    enum app_result rc = export_table_upload(&to, &view, &res, &msg, &err);
    if (staged) {
      unlink(staged);
      free(staged);
    }
    if (rc == APP_AZURE) {
      char *w = az_words(&err);
      if (blob_role_missing(&err))
        set_error(r, xasprintf("Uploading %s was refused: you need %s on the storage account %s. "
                               "Grant it with: synwiz doctor %s --fix. (%s)",
                               t.name, DOCTOR_ROLE_BLOB_DATA_CONTRIBUTOR, r->conn.storage_account,
                               r->conn.display_name, w));
      else
        set_error(r, xasprintf("Uploading %s failed: %s", t.name, w));
      free(w);
    } else if (rc != APP_OK) {
      set_error(r, msg ? msg : xasprintf("Uploading %s failed.", t.name));
      msg = NULL;
    } else {
      json_array_append_new(
          r->tables, json_pack("{s:s, s:I, s:I, s:i}", "name", t.name, "rows", (json_int_t)res.rows,
                               "bytes", (json_int_t)res.bytes, "partitions", res.partitions));
      r->done_bytes += res.bytes;
    }
    free(msg);
    az_error_done(&err);
    store_table_done(&t);
    r->table = NULL;
    if (rc != APP_OK)
      return false;
  }
  return true;
}

static bool upload_model(struct run *r, struct export_model *model, const char *stage)
{
  say(r, "model", 0, "Writing model.json");
  char *text = export_model_text(model);
  char *path = xasprintf("%s/model.json", stage);
  bool ok = fs_write_atomic(path, text, strlen(text), 0600) == 0;
  if (!ok)
    set_error(r, xasprintf("Could not stage model.json in %s.", stage));
  char *blob = export_model_blob(r->o->e->display_name);
  if (ok) {
    struct az_blob_transfer_options bo = { 0 };
    bo.content_type = "application/json";
    struct az_call *call =
        az_blob_upload_file(r->client, r->account, r->conn.container, blob, path, &bo);
    if (az_call_wait(call) != AZ_OK) {
      char *w = az_words(az_call_error(call));
      set_error(r, xasprintf("Uploading model.json failed: %s", w));
      free(w);
      ok = false;
    }
    az_call_delete(call);
  }
  unlink(path);
  free(path);
  free(blob);
  free(text);
  return ok;
}

/* Create the database, or update it when the workspace has it; follow it to its end. */
static bool database(struct run *r)
{
  const char *ws =
      r->conn.workspace_dev_endpoint ? r->conn.workspace_dev_endpoint : r->conn.workspace_name;
  const char *db = r->o->e->database_name;
  char *folder_blob = xasprintf("customerinsights/%s", r->o->e->display_name);
  char *folder = export_table_dfs_url(r->account, r->conn.container, folder_blob);
  free(folder_blob);
  struct az_call *get = az_synapse_get_database_status(r->client, ws, db);
  enum az_result gr = az_call_wait(get);
  bool exists = gr == AZ_OK;
  const char *was = exists ? json_string_value(json_object_get(az_call_json(get), "status")) : NULL;
  bool update = exists && was && strcmp(was, "Failed") != 0;
  bool ok = true;
  if (gr != AZ_OK && az_call_status(get) != 404) {
    char *w = az_words(az_call_error(get));
    set_error(r, xasprintf("Could not read the lake database %s: %s", db, w));
    free(w);
    ok = false;
  }
  az_call_delete(get);
  json_object_set_new(r->rec, "database_operation", json_string(update ? "update" : "create"));
  if (ok) {
    char *line = xasprintf("%s the lake database %s", update ? "Updating" : "Creating", db);
    say(r, "database", 0, line);
    free(line);
    struct az_call *call = update ? az_synapse_update_database(r->client, ws, db, folder)
                                  : az_synapse_create_database(r->client, ws, db, folder);
    if (az_call_wait(call) != AZ_OK) {
      char *w = az_words(az_call_error(call));
      set_error(r, xasprintf("Synapse refused to %s the lake database %s: %s",
                             update ? "update" : "create", db, w));
      free(w);
      ok = false;
    }
    az_call_delete(call);
  }
  /* Followed until it is no longer Creating (bounded: 30 minutes). */
  for (int i = 0; ok && i < 18000; i++) {
    struct az_call *call = az_synapse_get_database_status(r->client, ws, db);
    if (az_call_wait(call) != AZ_OK) {
      char *w = az_words(az_call_error(call));
      set_error(r, xasprintf("Could not follow the lake database %s: %s", db, w));
      free(w);
      ok = false;
      az_call_delete(call);
      break;
    }
    json_t *j = az_call_json(call);
    const char *st = json_string_value(json_object_get(j, "status"));
    if (st && strcmp(st, "Created") == 0) {
      az_call_delete(call);
      break;
    }
    if (!st || strcmp(st, "Creating") != 0) {
      json_t *err = json_object_get(j, "error");
      const char *m = json_string_value(json_object_get(err, "message"));
      const char *code = json_string_value(json_object_get(err, "code"));
      if (!m)
        m = json_string_value(err);
      set_error(r, xasprintf("Synapse could not %s the lake database %s (%s): %s%s%s",
                             update ? "update" : "create", db, st ? st : "no status",
                             m ? m : "it gave no reason.", code ? " " : "", code ? code : ""));
      ok = false;
      az_call_delete(call);
      break;
    }
    az_call_delete(call);
    if (cancelled(r))
      break; /* the operation goes on in Synapse; the run stops following it */
    struct az_call *pause = az_call_delay(r->client, 100);
    (void)az_call_wait(pause);
    az_call_delete(pause);
  }
  free(folder);
  return ok;
}

static void finish(struct run *r, enum export_run_status st)
{
  char when[32];
  iso_time(time(NULL), when);
  json_object_set_new(r->rec, "status", json_string(export_run_status_name(st)));
  json_object_set_new(r->rec, "end", json_string(when));
  json_int_t rows = 0, bytes = 0;
  size_t i;
  json_t *t;
  json_array_foreach(r->tables, i, t)
  {
    rows += json_integer_value(json_object_get(t, "rows"));
    bytes += json_integer_value(json_object_get(t, "bytes"));
  }
  json_object_set_new(r->rec, "rows", json_integer(rows));
  json_object_set_new(r->rec, "bytes", json_integer(bytes));
  json_object_set_new(r->rec, "seconds", json_real(now_s() - r->t0));
  json_object_set_new(r->rec, "error", r->error ? json_string(r->error) : json_null());
  if (r->path)
    write_record(r->path, r->rec);
}

enum export_run_status export_run(const struct export_run_options *o, json_t **out_record)
{
  struct run r = { 0 };
  r.o = o;
  r.t0 = now_s();
  r.tables = json_array();
  store_connection_init(&r.conn);
  const struct store_export *e = o->e;
  time_t start = time(NULL);
  char when[32], stamp[64], id[UUID_STR_LEN], host[256] = "";
  iso_time(start, when);
  struct tm tm;
  gmtime_r(&start, &tm);
  /* Milliseconds in the name: records sort by it, and two runs may start in one second. */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  char secs[20];
  strftime(secs, sizeof(secs), "%Y%m%dT%H%M%S", &tm);
  snprintf(stamp, sizeof(stamp), "%s.%03dZ", secs, (int)(now.tv_nsec / 1000000L) % 1000);
  uuid_v4(id);
  gethostname(host, sizeof(host) - 1);
  r.rec = json_pack("{s:s, s:s, s:s, s:s, s:n, s:s, s:O, s:s, s:I, s:s}", "id", id, "export_id",
                    e->meta.id, "export", e->display_name, "start", when, "end", "status",
                    "Processing", "tables", r.tables, "database", e->database_name, "pid",
                    (json_int_t)getpid(), "host", host);
  enum export_run_status st = EXPORT_RUN_FAILED;
  const char *msg = NULL;
  struct fs_lock lock;
  bool locked = false;
  char *stage = NULL;
  if (app_ctx_store(o->app, &r.store, &msg) != APP_OK) {
    set_error(&r, xstrdup(msg ? msg : "The store cannot be opened."));
    goto out;
  }
  char *dir = runs_dir(r.store, e->meta.id);
  if (fs_mkdir_p(dir, 0700) != 0) {
    set_error(&r, xasprintf("Cannot record the run in %s.", dir));
    free(dir);
    goto out;
  }
  r.path = xasprintf("%s/%s-%s.json", dir, stamp, id);
  char *lock_path = xasprintf("%s/run.lock", dir);
  free(dir);
  locked = fs_lock_acquire(&lock, lock_path, 0) == 0;
  free(lock_path);
  if (!locked) {
    st = EXPORT_RUN_SKIPPED;
    set_error(
        &r, xasprintf("Another run of %s is in progress: this one was skipped.", e->display_name));
    goto out;
  }
  write_record(r.path, r.rec);
  if (!e->connection_id) {
    set_error(&r, xasprintf("%s has no connection (it was detached): edit it to choose one.",
                            e->display_name));
    goto out;
  }
  if (store_connection_get_for_use(r.store, e->connection_id, &r.conn) != APP_OK) {
    set_error(&r, xasprintf("The connection of %s cannot be used: %s", e->display_name,
                            store_message(r.store)));
    goto out;
  }
  json_object_set_new(r.rec, "connection", json_string(r.conn.display_name));
  r.client = app_ctx_client(o->app);
  {
    struct az_error err;
    az_error_init(&err);
    char *endpoint = blob_endpoint(&r);
    enum az_result ar = az_storage_account_new(r.conn.storage_account, endpoint, NULL,
                                               az_client_cloud(r.client), &r.account, &err);
    free(endpoint);
    if (ar != AZ_OK) {
      set_error(&r, az_words(&err));
      az_error_done(&err);
      goto out;
    }
    az_error_done(&err);
  }
  r.n_tables = (int)e->tables.n;
  for (size_t i = 0; i < e->tables.n; i++) {
    struct store_table t;
    store_table_init(&t);
    if (store_table_find(r.store, e->tables.items[i], &t) == APP_OK)
      r.total_bytes += t.bytes;
    store_table_done(&t);
  }
  if (!o->skip_check && !check(&r))
    goto out;
  if (cancelled(&r)) {
    st = EXPORT_RUN_CANCELED;
    goto out;
  }
  const char *tmp = getenv("TMPDIR");
  tmp = tmp && *tmp ? tmp : "/tmp";
  remove_stale_stages(tmp);
  stage = xasprintf("%s/synwiz-export-%ld-XXXXXX", tmp, (long)getpid());
  if (!mkdtemp(stage)) {
    set_error(&r, xasprintf("Cannot make a private staging folder (%s).", strerror(errno)));
    free(stage);
    stage = NULL;
    goto out;
  }
  struct export_model *model = export_model_new(e->display_name, when);
  r.stage = stage;
  bool ok = upload_tables(&r, model, start, stage);
  r.stage = NULL;
  if (r.stage_moved)
    remove_folder(r.stage_moved);
  if (ok && !cancelled(&r))
    ok = upload_model(&r, model, stage);
  export_model_delete(model);
  if (cancelled(&r)) {
    st = EXPORT_RUN_CANCELED;
    set_error(&r, xstrdup("Canceled: the partitions uploaded before it stay (each one whole); "
                          "no other was written, and model.json and the lake database were not "
                          "changed."));
    goto out;
  }
  if (ok)
    ok = database(&r);
  if (ok && cancelled(&r)) {
    st = EXPORT_RUN_CANCELED;
    set_error(&r, xasprintf("Canceled while following the lake database %s: Synapse goes on "
                            "with the operation.",
                            e->database_name));
    goto out;
  }
  st = ok ? EXPORT_RUN_SUCCESSFUL : EXPORT_RUN_FAILED;
out:
  if (stage) {
    rmdir(stage);
    free(stage);
  }
  finish(&r, st);
  if (locked)
    fs_lock_release(&lock);
  *out_record = r.rec;
  json_decref(r.tables);
  free(r.stage_moved);
  free(r.path);
  free(r.error);
  az_storage_account_delete(r.account);
  store_connection_done(&r.conn);
  return st;
}
