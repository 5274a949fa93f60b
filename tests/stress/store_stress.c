/*
 * store_stress: the store (src/app/store*.c) under concurrent writers and under kill -9.
 *
 *   store_stress concurrent DIR WRITERS SAVES
 *     Forks WRITERS processes (half administrators, half contributors) that save into one
 *     store at once, SAVES rounds each. Per round a writer creates an export with a name of
 *     its own (must land), races every other writer for one contested export name (and,
 *     administrators, one contested connection name: exactly one may land, the others must
 *     be told the name is taken), and edits one shared export from the revision it read
 *     (lands, or is told of the conflict). The parent then counts: every landed save is in
 *     the store, nothing is lost (the shared export's revision and tables match the number
 *     of edits that landed), and the store parses.
 *
 *   store_stress torture DIR CYCLES MAX_MS
 *     CYCLES times: fork a child that saves in a loop (creates, edits, removes, detaches,
 *     role changes), SIGKILL it a random 0..MAX_MS ms after it has opened the store, then
 *     open the store and read every record: it must parse and every record must be whole
 *     (fields that the child always writes together must agree). Every 100th cycle starts
 *     a new store, times its kill from the fork (so kills also land while a store is being
 *     made) and then gives the store a dozen records to edit and remove; one cycle in ten
 *     times its kill from the fork too. Prints where the kills landed and the run time.
 *
 * Exit status 0 when every check held, 1 otherwise (each failure is printed).
 */
#include "app/store.h"
#include "app/store_connection.h"
#include "app/store_export.h"
#include "app/store_model.h"
#include "app/store_role.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      failures++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
    }                                                      \
  } while (0)

static const struct store_actor admin = { "6b1a0c8e-3d2f-4a51-9c7e-0d4f2b8a1e01", "Dana Demo" };

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long parse_long(const char *s, long min, long max)
{
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) {
    fprintf(stderr, "store_stress: '%s' is not a number in %ld..%ld\n", s, min, max);
    exit(2);
  }
  return v;
}

static struct store *open_as(const char *dir, const struct store_actor *actor)
{
  struct store *s = NULL;
  char *msg = NULL;
  enum app_result rc = store_open(dir, actor, &s, &msg);
  CHECK(rc == APP_OK, "store_open %s: %s", app_result_name(rc), msg ? msg : "");
  free(msg);
  return s;
}

static void connection_fields(struct store_connection *c, const char *name, const char *container,
                              enum store_audience audience)
{
  store_connection_init(c);
  c->display_name = xstrdup(name);
  c->audience = audience;
  c->subscription_id = xstrdup("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
  c->subscription_name = xstrdup("Contoso Analytics");
  c->workspace_name = xstrdup("contoso-synapse");
  c->workspace_resource_group = xstrdup("rg-analytics");
  c->storage_account = xstrdup("contosolake");
  c->container = xstrdup(container);
  /* Written together with the name and the container: a torn record would disagree. */
  c->storage_resource_group = xasprintf("%s-%s", name, container);
  c->agreed_at = xstrdup("2026-01-31T12:00:00Z");
}

static void export_fields(struct store_export *e, const char *name, const char *connection_id,
                          int tables)
{
  store_export_init(e);
  e->display_name = xstrdup(name);
  e->connection_id = connection_id ? xstrdup(connection_id) : NULL;
  /* The database name says how many tables there are. */
  e->database_name = xasprintf("Db%d", tables);
  for (int i = 0; i < tables; i++) {
    char t[16];
    snprintf(t, sizeof(t), "T%d", i);
    store_strings_add(&e->tables, t);
  }
}

/* ------------------------------------------------------------------ concurrent writers */

struct writer_counts {
  long own_landed, own_failed;
  long contested_landed, contested_taken, contested_other;
  long conn_landed, conn_taken, conn_other;
  long edit_landed, edit_conflict, edit_other;
};

static void writer_actor(int i, char oid[40], char name[32])
{
  snprintf(oid, 40, "%08x-0000-4000-8000-%012x", 0x5eed0000u + (unsigned)i, (unsigned)i);
  snprintf(name, 32, "Writer %d", i);
}

static void writer(const char *dir, int i, int saves, const char *conn_id, int out_fd)
{
  char oid[40], name[32];
  writer_actor(i, oid, name);
  struct store_actor me = { oid, name };
  struct writer_counts n = { 0 };
  struct store *s = open_as(dir, &me);
  if (!s)
    _exit(3);
  bool is_admin = store_actor_role(s) == STORE_ROLE_ADMIN;
  for (int j = 0; j < saves; j++) {
    char label[64];
    struct store_export e;
    snprintf(label, sizeof(label), "W%d_%d", i, j);
    export_fields(&e, label, conn_id, 1 + j % 3);
    enum app_result rc = store_export_create(s, &e);
    if (rc == APP_OK) {
      n.own_landed++;
    } else {
      n.own_failed++;
      fprintf(stderr, "writer %d: own export %s: %s\n", i, label, store_message(s));
    }
    store_export_done(&e);

    snprintf(label, sizeof(label), "Contested_%d", j);
    export_fields(&e, label, conn_id, 1);
    rc = store_export_create(s, &e);
    n.contested_landed += rc == APP_OK;
    n.contested_taken += rc == APP_NAME_TAKEN;
    n.contested_other += rc != APP_OK && rc != APP_NAME_TAKEN;
    store_export_done(&e);

    if (is_admin) {
      struct store_connection c;
      snprintf(label, sizeof(label), "Conn_%d", j);
      connection_fields(&c, label, "raw", STORE_AUDIENCE_ADMINS);
      rc = store_connection_create(s, &c);
      n.conn_landed += rc == APP_OK;
      n.conn_taken += rc == APP_NAME_TAKEN;
      n.conn_other += rc != APP_OK && rc != APP_NAME_TAKEN;
      store_connection_done(&c);
    }

    /* Read, change, save: the change is this writer's table name, so a lost update would
     * show as a missing table. */
    if (store_export_find(s, "Counter", &e) == APP_OK) {
      snprintf(label, sizeof(label), "w%d_%d", i, j);
      store_strings_add(&e.tables, label);
      rc = store_export_update(s, &e);
      n.edit_landed += rc == APP_OK;
      n.edit_conflict += rc == APP_CONFLICT_CHANGED;
      n.edit_other += rc != APP_OK && rc != APP_CONFLICT_CHANGED;
      if (rc != APP_OK && rc != APP_CONFLICT_CHANGED)
        fprintf(stderr, "writer %d: edit: %s\n", i, store_message(s));
    } else {
      n.edit_other++;
    }
    store_export_done(&e);
  }
  store_close(s);
  ssize_t w = write(out_fd, &n, sizeof(n));
  _exit(w == (ssize_t)sizeof(n) ? 0 : 5);
}

static size_t temp_files(const char *dir)
{
  size_t n = 0;
  static const char *const subs[] = { ".", "connections", "exports", "models", "linked_services" };
  for (size_t k = 0; k < 5; k++) {
    char *d = paths_join(dir, subs[k]);
    DIR *h = opendir(d);
    free(d);
    if (!h)
      continue;
    struct dirent *e;
    while ((e = readdir(h)) != NULL)
      n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(h);
  }
  return n;
}

static int concurrent(const char *dir, int writers, int saves)
{
  double t0 = now_s();
  struct store *s = open_as(dir, &admin);
  if (!s)
    return 1;
  struct store_connection base;
  connection_fields(&base, "Base", "customerinsights", STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS);
  CHECK(store_connection_create(s, &base) == APP_OK, "%s", store_message(s));
  struct store_export counter;
  export_fields(&counter, "Counter", base.meta.id, 1);
  CHECK(store_export_create(s, &counter) == APP_OK, "%s", store_message(s));
  int admins = 0;
  for (int i = 0; i < writers; i++) {
    char oid[40], name[32];
    writer_actor(i, oid, name);
    enum store_role role = i % 2 == 0 ? STORE_ROLE_ADMIN : STORE_ROLE_CONTRIBUTOR;
    admins += role == STORE_ROLE_ADMIN;
    CHECK(store_role_add(s, oid, name, role) == APP_OK, "%s", store_message(s));
  }
  store_close(s);

  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  pid_t *pids = xcalloc((size_t)writers, sizeof(pid_t));
  double t1 = now_s();
  for (int i = 0; i < writers; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      close(fds[0]);
      writer(dir, i, saves, base.meta.id, fds[1]);
    }
    CHECK(pids[i] > 0, "fork: %s", strerror(errno));
  }
  close(fds[1]);
  struct writer_counts total = { 0 };
  for (int i = 0; i < writers; i++) {
    int status = 0;
    waitpid(pids[i], &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d ended with status %d", i,
          status);
  }
  struct writer_counts n;
  int reports = 0;
  while (read(fds[0], &n, sizeof(n)) == (ssize_t)sizeof(n)) {
    reports++;
    total.own_landed += n.own_landed;
    total.own_failed += n.own_failed;
    total.contested_landed += n.contested_landed;
    total.contested_taken += n.contested_taken;
    total.contested_other += n.contested_other;
    total.conn_landed += n.conn_landed;
    total.conn_taken += n.conn_taken;
    total.conn_other += n.conn_other;
    total.edit_landed += n.edit_landed;
    total.edit_conflict += n.edit_conflict;
    total.edit_other += n.edit_other;
  }
  close(fds[0]);
  double t2 = now_s();
  CHECK(reports == writers, "%d of %d writers reported", reports, writers);

  /* Every save either landed or was told why not. */
  long expected_own = (long)writers * saves;
  CHECK(total.own_landed == expected_own && total.own_failed == 0,
        "own exports: %ld landed, %ld failed, %ld expected", total.own_landed, total.own_failed,
        expected_own);
  CHECK(total.contested_landed == saves, "contested exports: %ld landed, %d expected",
        total.contested_landed, saves);
  CHECK(total.contested_taken == expected_own - saves && total.contested_other == 0,
        "contested exports: %ld told the name is taken, %ld other", total.contested_taken,
        total.contested_other);
  CHECK(total.conn_landed == saves && total.conn_taken == (long)(admins - 1) * saves &&
            total.conn_other == 0,
        "contested connections: %ld landed, %ld taken, %ld other", total.conn_landed,
        total.conn_taken, total.conn_other);
  CHECK(total.edit_landed + total.edit_conflict == expected_own && total.edit_other == 0,
        "edits: %ld landed, %ld conflicts, %ld other", total.edit_landed, total.edit_conflict,
        total.edit_other);

  /* Nothing lost: count what is in the store. */
  long lost = 0;
  s = open_as(dir, &admin);
  struct store_export_list list;
  enum app_result rc = s ? store_export_list(s, &list) : APP_IO;
  CHECK(rc == APP_OK, "list exports: %s", store_message(s));
  if (rc == APP_OK) {
    long own = 0, contested = 0;
    const struct store_export *c = NULL;
    for (size_t i = 0; i < list.n; i++) {
      own += list.items[i].display_name[0] == 'W';
      contested += strncmp(list.items[i].display_name, "Contested_", 10) == 0;
      if (strcmp(list.items[i].display_name, "Counter") == 0)
        c = &list.items[i];
    }
    lost += labs(total.own_landed - own) + labs(total.contested_landed - contested);
    lost += c ? labs(total.edit_landed - ((long)c->tables.n - 1)) : total.edit_landed;
    CHECK(own == expected_own, "%ld own exports in the store, %ld landed", own, expected_own);
    CHECK(contested == saves, "%ld contested exports in the store, %d landed", contested, saves);
    CHECK(c && c->meta.revision == 1 + total.edit_landed,
          "the shared export is at revision %ld after %ld landed edits", c ? c->meta.revision : -1,
          total.edit_landed);
    CHECK(c && (long)c->tables.n == 1 + total.edit_landed,
          "the shared export has %zu tables after %ld landed edits", c ? c->tables.n : 0,
          total.edit_landed);
    store_export_list_done(&list);
  }
  struct store_connection_list cl;
  rc = s ? store_connection_list(s, &cl) : APP_IO;
  CHECK(rc == APP_OK && (long)cl.n == 1 + saves, "connections: %s, %zu (expected %d)",
        app_result_name(rc), rc == APP_OK ? cl.n : 0, 1 + saves);
  if (rc == APP_OK) {
    lost += labs(total.conn_landed - ((long)cl.n - 1));
    store_connection_list_done(&cl);
  }
  CHECK(temp_files(dir) == 0, "%zu temporary files left", temp_files(dir));
  store_close(s);
  double t3 = now_s();
  printf("concurrent: %d writers x %d rounds: %ld saves landed, %ld name clashes reported, "
         "%ld edit conflicts reported, %ld lost; writers ran %.2f s, whole test %.2f s\n",
         writers, saves,
         total.own_landed + total.contested_landed + total.conn_landed + total.edit_landed,
         total.contested_taken + total.conn_taken, total.edit_conflict, lost, t2 - t1, t3 - t0);
  store_export_done(&counter);
  store_connection_done(&base);
  free(pids);
  return failures ? 1 : 0;
}

/* ------------------------------------------------------------------ kill -9 torture */

/* Shared with the child, so the parent knows whether a kill landed inside a save. */
struct progress {
  volatile long saves; /* write operations completed, all cycles */
  volatile int ready;  /* the child has opened the store */
  volatile int in_save;
};

static void child_saves(const char *dir, struct progress *p, unsigned seed)
{
  struct store *s = NULL;
  /* Opening a new store makes it: that is a save too. */
  if (store_open(dir, &admin, &s, NULL) != APP_OK)
    _exit(3);
  p->ready = 1;
  for (;;) {
    int op = (int)(rand_r(&seed) % 10);
    int k = (int)(rand_r(&seed) % 40);
    char name[32], container[32];
    enum app_result rc = APP_OK;
    struct store_connection_list cl = { 0 };
    bool wrote = true;
    p->in_save = 1;
    if (op < 3) {
      struct store_connection c;
      snprintf(name, sizeof(name), "C%d", k);
      snprintf(container, sizeof(container), "c%d", (int)(rand_r(&seed) % 1000) + 100);
      connection_fields(&c, name, container, STORE_AUDIENCE_ADMINS);
      rc = store_connection_create(s, &c);
      store_connection_done(&c);
    } else if (op < 6 && store_connection_list(s, &cl) == APP_OK && cl.n) {
      struct store_connection *c = &cl.items[(size_t)k % cl.n];
      if (op == 5) {
        struct store_dependent_list deps;
        rc = store_connection_remove(s, c->meta.id, c->meta.revision, &deps);
        for (size_t i = 0; rc == APP_HAS_DEPENDENTS && i < deps.n; i++)
          (void)(k % 2 ? store_export_detach(s, deps.items[i].id, deps.items[i].revision)
                       : store_export_remove(s, deps.items[i].id, deps.items[i].revision));
        store_dependent_list_done(&deps);
      } else {
        snprintf(container, sizeof(container), "c%d", (int)(rand_r(&seed) % 1000) + 100);
        free(c->container);
        c->container = xstrdup(container);
        free(c->storage_resource_group);
        c->storage_resource_group = xasprintf("%s-%s", c->display_name, container);
        c->audience = k % 2 ? STORE_AUDIENCE_ADMINS : STORE_AUDIENCE_ADMINS_AND_CONTRIBUTORS;
        rc = store_connection_update(s, c);
      }
    } else if (op < 8 && store_connection_list(s, &cl) == APP_OK && cl.n) {
      struct store_export e;
      snprintf(name, sizeof(name), "E%d", k);
      if (store_export_find(s, name, &e) == APP_OK) {
        int tables = 1 + (int)(rand_r(&seed) % 12);
        struct store_export next;
        export_fields(&next, name, e.connection_id, tables);
        store_meta_done(&next.meta);
        next.meta = e.meta;
        memset(&e.meta, 0, sizeof(e.meta));
        rc = store_export_update(s, &next);
        store_export_done(&next);
      } else {
        export_fields(&e, name, cl.items[(size_t)k % cl.n].meta.id, 1 + k % 5);
        rc = store_export_create(s, &e);
      }
      store_export_done(&e);
    } else if (op == 8) {
      char oid[40];
      snprintf(oid, sizeof(oid), "%08x-0000-4000-8000-%012x", 0xabc00000u + (unsigned)(k % 8),
               (unsigned)k);
      rc =
          k % 3 ? store_role_add(s, oid, "Somebody", STORE_ROLE_VIEWER) : store_role_remove(s, oid);
      if (rc == APP_NOT_FOUND)
        rc = APP_OK;
    } else {
      wrote = false; /* nothing to edit yet */
    }
    store_connection_list_done(&cl);
    p->in_save = 0;
    /* A single writer meets no conflict: anything else than these is a bug. */
    if (rc != APP_OK && rc != APP_NAME_TAKEN && rc != APP_HAS_DEPENDENTS)
      _exit(4);
    p->saves += wrote;
  }
}

/* A new store gets some records at once, so that the kills (and the checks) also meet
 * edits and removals of records that were already there, however slow the child is. */
static void populate(const char *dir)
{
  struct store *s = open_as(dir, &admin);
  if (!s)
    return;
  for (int i = 0; i < 12; i++) {
    char name[16], container[16];
    snprintf(name, sizeof(name), "C%d", i);
    snprintf(container, sizeof(container), "c%d", 100 + i);
    struct store_connection c;
    connection_fields(&c, name, container, STORE_AUDIENCE_ADMINS);
    enum app_result rc = store_connection_create(s, &c);
    CHECK(rc == APP_OK || rc == APP_NAME_TAKEN, "populate: %s", store_message(s));
    if (rc == APP_OK && i % 2 == 0) {
      struct store_export e;
      snprintf(name, sizeof(name), "E%d", i);
      export_fields(&e, name, c.meta.id, 1 + i % 5);
      rc = store_export_create(s, &e);
      CHECK(rc == APP_OK || rc == APP_NAME_TAKEN, "populate: %s", store_message(s));
      store_export_done(&e);
    }
    store_connection_done(&c);
  }
  store_close(s);
}

/* Open the store the way a user would after the crash and read every record. */
static void verify(const char *dir, long cycle, size_t *records)
{
  struct store *s = open_as(dir, &admin);
  if (!s) {
    fprintf(stderr, "  (cycle %ld)\n", cycle);
    return;
  }
  struct store_connection_list cl;
  enum app_result rc = store_connection_list(s, &cl);
  CHECK(rc == APP_OK, "cycle %ld: connections: %s", cycle, store_message(s));
  if (rc == APP_OK) {
    for (size_t i = 0; i < cl.n; i++) {
      const struct store_connection *c = &cl.items[i];
      char *want = xasprintf("%s-%s", c->display_name, c->container);
      CHECK(c->storage_resource_group && strcmp(c->storage_resource_group, want) == 0,
            "cycle %ld: connection %s is not whole", cycle, c->meta.id);
      free(want);
    }
    *records += cl.n;
    store_connection_list_done(&cl);
  }
  struct store_export_list el;
  rc = store_export_list(s, &el);
  CHECK(rc == APP_OK, "cycle %ld: exports: %s", cycle, store_message(s));
  if (rc == APP_OK) {
    for (size_t i = 0; i < el.n; i++) {
      const struct store_export *e = &el.items[i];
      char *want = xasprintf("Db%zu", e->tables.n);
      CHECK(strcmp(e->database_name, want) == 0, "cycle %ld: export %s is not whole", cycle,
            e->meta.id);
      free(want);
    }
    *records += el.n;
    store_export_list_done(&el);
  }
  struct store_model_list ml;
  rc = store_model_list(s, &ml);
  CHECK(rc == APP_OK, "cycle %ld: models: %s", cycle, store_message(s));
  if (rc == APP_OK)
    store_model_list_done(&ml);
  struct store_member_list members;
  rc = store_role_list(s, &members);
  CHECK(rc == APP_OK && members.n >= 1 && members.items[0].role == STORE_ROLE_ADMIN,
        "cycle %ld: roles: %s", cycle, store_message(s));
  if (rc == APP_OK)
    store_member_list_done(&members);
  store_close(s);
}

static int torture(const char *base, long cycles, long max_ms)
{
  struct progress *p =
      mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return 1;
  unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  const char *env_seed = getenv("STORE_STRESS_SEED");
  if (env_seed && *env_seed)
    seed = (unsigned)parse_long(env_seed, 0, 0x7fffffff);
  printf("torture: seed %u (set STORE_STRESS_SEED to repeat)\n", seed);
  fflush(stdout);
  double t0 = now_s();
  long in_save = 0, in_open = 0, stores = 0, max_temps = 0, done = 0;
  size_t records = 0, max_records = 0;
  char *dir = NULL;
  for (long k = 0; k < cycles; k++) {
    if (k % 100 == 0) {
      free(dir);
      dir = xasprintf("%s/store-%ld", base, k / 100);
      stores++;
    }
    p->in_save = 0;
    p->ready = 0;
    pid_t pid = fork();
    if (pid == 0)
      child_saves(dir, p, seed + (unsigned)k);
    if (pid < 0) {
      CHECK(0, "fork: %s", strerror(errno));
      break;
    }
    /* Nine cycles in ten count the delay from when the child starts saving (so that a slow
     * start, e.g. under ASan, does not eat the window); the tenth from the fork, so that
     * kills also land while the store is opened or made. */
    if (k % 10 != 0) {
      struct timespec tick = { 0, 100 * 1000 };
      for (int waited = 0; !p->ready && waited < 50000; waited++)
        nanosleep(&tick, NULL);
    }
    long delay_us = (long)(rand_r(&seed) % (unsigned)(max_ms * 1000 + 1));
    struct timespec nap = { delay_us / 1000000, (delay_us % 1000000) * 1000 };
    nanosleep(&nap, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "cycle %ld: the child ended on its own (status %d)", k, status);
    done++;
    in_save += p->in_save != 0;
    in_open += !p->ready;
    long temps = (long)temp_files(dir);
    if (temps > max_temps)
      max_temps = temps;
    records = 0;
    verify(dir, k, &records);
    if (k % 100 == 0)
      populate(dir);
    if (records > max_records)
      max_records = records;
    if (failures > 20)
      break;
  }
  double t1 = now_s();
  /* The last store once more, with a write: the lock is free and leftovers go. */
  struct store *s = open_as(dir, &admin);
  if (s) {
    CHECK(store_role_add(s, "abcabcab-0000-4000-8000-000000000001", "Last", STORE_ROLE_VIEWER) ==
              APP_OK,
          "a write after the last kill: %s", store_message(s));
    store_close(s);
  }
  CHECK(temp_files(dir) == 0, "%zu temporary files left after a write", temp_files(dir));
  printf("torture: %ld kill -9s (0-%ld ms) in %.2f s (%.1f ms per cycle): %ld inside a save "
         "operation, %ld while opening or making the store, %ld between saves; %ld saves "
         "completed, %ld stores made, up to %zu records, up to %ld temporary files left by a "
         "kill (removed by the next writer); every record whole: %s\n",
         done, max_ms, t1 - t0, (t1 - t0) * 1000.0 / (double)(done ? done : 1), in_save, in_open,
         done - in_save - in_open, p->saves, stores, max_records, max_temps,
         failures ? "NO" : "yes");
  free(dir);
  munmap(p, sizeof(*p));
  return failures ? 1 : 0;
}

/* Under ASan, every fork copies the page tables of what the allocator's quarantine holds
 * (256 MB by default); with a small one a kill cycle took about 2/3 of the time (300 cycles:
 * 3.7-5.3 s against 6.3-6.9 s). ASAN_OPTIONS from the environment still override this. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
  return "quarantine_size_mb=2";
}

static int usage(void)
{
  fputs("usage: store_stress concurrent DIR WRITERS SAVES\n"
        "       store_stress torture DIR CYCLES MAX_MS\n",
        stderr);
  return 2;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  return remove(path);
}

/* A fresh, empty DIR: the runs of one build tree must not see each other's stores. */
static void fresh_dir(const char *dir)
{
  if (fs_exists(dir)) {
    /* Only ever a directory this program made: refuse anything that is not ours. */
    char *mark = paths_join(dir, ".store_stress");
    bool ours = fs_exists(mark);
    free(mark);
    if (!ours) {
      fprintf(stderr, "store_stress: %s exists and was not made by store_stress\n", dir);
      exit(2);
    }
    if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
      fprintf(stderr, "store_stress: cannot clear %s: %s\n", dir, strerror(errno));
      exit(2);
    }
  }
  if (fs_mkdir_p(dir, 0700) != 0) {
    fprintf(stderr, "store_stress: cannot create %s: %s\n", dir, strerror(errno));
    exit(2);
  }
  char *mark = paths_join(dir, ".store_stress");
  FILE *fp = fopen(mark, "w");
  if (fp)
    fclose(fp);
  free(mark);
}

int main(int argc, char **argv)
{
  if (argc != 5)
    return usage();
  setvbuf(stdout, NULL, _IOLBF, 0);
  fresh_dir(argv[2]);
  if (strcmp(argv[1], "concurrent") == 0) {
    char *dir = paths_join(argv[2], "store");
    int rc = concurrent(dir, (int)parse_long(argv[3], 2, 64), (int)parse_long(argv[4], 1, 10000));
    free(dir);
    return rc;
  }
  if (strcmp(argv[1], "torture") == 0)
    return torture(argv[2], parse_long(argv[3], 1, 1000000), parse_long(argv[4], 0, 10000));
  return usage();
}
