/* The wizard runner of the CLI: options, interactive or headless, exit codes. */
#include "cli/wizard_run.h"
#include "ui/ui_home.h"
#include "ui/ui_wizard.h"
#include "util/safetext.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "wizard/form.h"
#include "wizard/headless.h"
#include "wizard/wiz_io.h"
#include "wizard/wizard.h"

#include <dirent.h>
#include <sys/stat.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADLESS_TIMEOUT_MS (5 * 60 * 1000)

/* ---------- options ---------- */

int wizard_parse_opts(int argc, char **argv, struct wizard_opts *out)
{
  static const struct option opts[] = {
    { "answers", required_argument, NULL, 'a' },
    { "record", required_argument, NULL, 'r' },
    { "non-interactive", no_argument, NULL, 'n' },
    { "dry-run", no_argument, NULL, 'd' },
    { NULL, 0, NULL, 0 },
  };
  memset(out, 0, sizeof(*out));
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
    switch (c) {
    case 'a':
      out->answers = optarg;
      break;
    case 'r':
      out->record = optarg;
      break;
    case 'n':
      out->non_interactive = true;
      break;
    case 'd':
      out->dry_run = true;
      break;
    default:
      cli_error("wizard options: --answers FILE, --non-interactive, --record FILE, --dry-run");
      return -1;
    }
  }
  return optind;
}

/* ---------- running ---------- */

static int save_draft_cb(void *ctx, struct wizard *w, const char *name, char **out_name)
{
  (void)ctx;
  return wiz_draft_save(w, name, out_name) == WIZ_OK ? 0 : -1;
}

static struct wiz_form *load_form(const char *form_id, const struct wiz_decl *decl)
{
  char *dir = paths_data_sub("forms");
  char *file = xasprintf("%s/%s.json", dir, form_id);
  free(dir);
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  if (wiz_form_load(file, decl, &form, &err) != WIZ_OK) {
    char *t = wiz_form_error_text(&err);
    cli_error("%s", t);
    free(t);
    wiz_form_error_done(&err);
  }
  free(file);
  return form;
}

static void print_problems(const struct wiz_problems *p, const char *form_id)
{
  fprintf(stderr, "synwiz: %zu answer%s of the %s wizard %s missing or invalid:\n", p->n,
          p->n == 1 ? "" : "s", form_id, p->n == 1 ? "is" : "are");
  for (size_t i = 0; i < p->n; i++) {
    /* A message often echoes the answer (a 1 MB one was printed whole): cut it, and show
     * its controls visibly (the test driver prints without the CLI's stream filter). */
    char *msg = safetext_dup(p->v[i].message, SAFETEXT_MESSAGE_MAX, 0);
    fprintf(stderr, "  %s: %s%s (rule: %s)\n", p->v[i].field, p->v[i].missing ? "missing: " : "",
            msg, p->v[i].rule);
    free(msg);
  }
}

/* When a list could not be loaded the answers were never judged: that is Azure's refusal
 * (3, a rejected sign-in among them) or a failure of the network or the service (4), not
 * invalid answers (2). Says so with the client's hint, once; returns 0 when no load failed
 * (a list still loading at the deadline counts as a failure of the service). */
static int print_load_failures(const struct wizard *w)
{
  const struct wiz_form *form = wiz_form(w);
  enum wiz_outcome worst = WIZ_OUTCOME_DONE;
  const char *hint = NULL;
  for (size_t f = 0; f < form->n_fields; f++) {
    for (int which = 0; which < 2; which++) {
      enum wiz_load_state st = wiz_load_state(w, f, (enum wiz_src)which);
      enum wiz_outcome o = st == WIZ_LOAD_LOADING  ? WIZ_OUTCOME_FAILED
                           : st == WIZ_LOAD_FAILED ? wiz_load_outcome(w, f, (enum wiz_src)which)
                                                   : WIZ_OUTCOME_DONE;
      if (o != WIZ_OUTCOME_REFUSED && o != WIZ_OUTCOME_FAILED)
        continue;
      const char *h = NULL;
      wiz_load_error(w, f, (enum wiz_src)which, &h);
      if (h && !hint)
        hint = h;
      /* A refusal (sign in again) is what the user must act on first. */
      if (worst != WIZ_OUTCOME_REFUSED)
        worst = o;
    }
  }
  if (worst == WIZ_OUTCOME_DONE)
    return 0;
  fprintf(stderr, "synwiz: the lists could not be loaded, so the answers were not checked%s%s\n",
          hint ? ": " : ".", hint ? hint : "");
  return wiz_outcome_exit(worst);
}

static int write_record(struct wizard *w, const char *path)
{
  if (!path)
    return 0;
  if (wiz_write_record(w, path) != WIZ_OK) {
    cli_error("cannot write the record %s", path);
    return -1;
  }
  return 0;
}

/* Set when a wizard ended because the terminal hung up: the home screen that opened it must
 * end too (the SSH link is gone), not draw itself again on a terminal nobody reads. */
static bool hung_up;

/* When the screens cannot start (a terminal that cannot move the cursor): the same wizard
 * from an answers file, as a command to type. */
static void print_headless_hint(const struct wizard *w, const struct wizard_opts *o)
{
  const char *id = wiz_form(w)->id;
  bool ls = strcmp(id, "linked_service") == 0;
  const char *cmd = ls ? "linked-service" : id;
  fprintf(stderr,
          "Run the same thing without screens, from an answers file (synwiz %s --help lists "
          "its keys):\n  synwiz %s %s%s --answers FILE --non-interactive\n",
          cmd, cmd, o->edit ? "edit NAME" : "new", o->edit && ls ? " --workspace WS" : "");
}

/* The screens; term may be an open terminal (home) or NULL (open one here). */
static int run_screens(const struct wizard_hosts *hosts, struct ui_term *term, struct wizard *w,
                       const struct wizard_opts *o, char **ref_draft, bool unattended)
{
  bool own = term == NULL;
  if (own) {
    char *err = NULL;
    term = ui_term_open(hosts->term, &err);
    if (!term) {
      cli_error("%s", err);
      free(err);
      print_headless_hint(w, o);
      return CLI_EXIT_USAGE;
    }
  }
  struct ui_wizard_opts uo = { save_draft_cb,      NULL,      *ref_draft,     unattended,
                               hosts->cloud_label, o->action, o->action_label };
  enum ui_end end = ui_wizard_run(term, w, &uo);
  *ref_draft = uo.draft_name;
  if (own)
    ui_term_close(term);
  switch (end) {
  case UI_END_FINISHED:
    if (own)
      wiz_report_print(wiz_job_report(w), stdout);
    if (write_record(w, o->record) != 0)
      return CLI_EXIT_USAGE;
    if (*ref_draft)
      wiz_draft_remove(*ref_draft); /* the draft became the real thing */
    return wiz_outcome_exit(wiz_last_outcome(w));
  case UI_END_HANGUP:
    hung_up = true;
    if (*ref_draft)
      cli_error("the terminal hung up; the answers are saved as the draft %s (synwiz resume %s)",
                *ref_draft, *ref_draft);
    return CLI_EXIT_CANCELLED;
  case UI_END_CANCELLED:
  case UI_END_QUIT:
    if (own && *ref_draft)
      fprintf(stderr, "synwiz: cancelled; the draft %s keeps your answers\n", *ref_draft);
    else if (own)
      fprintf(stderr, "synwiz: cancelled\n");
    return CLI_EXIT_CANCELLED;
  }
  return CLI_EXIT_CANCELLED;
}

static void on_interrupt(int sig)
{
  (void)sig;
  wiz_headless_interrupt();
}

/* Without screens, Ctrl-C or SIGTERM during a check or a wait (the role-propagation
 * countdown) would kill synwiz with no word on what it had done: the run is cancelled
 * instead, its report says what stays (a role granted) and what was not done, exit 1.
 * No SA_RESTART: the wait returns at once. The screens install their own handlers. */
static void catch_interrupts(bool on)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on ? on_interrupt : SIG_DFL;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* Run an opened wizard: answers, then headless or screens. */
static int drive(const struct wizard_hosts *hosts, struct ui_term *term, struct wizard *w,
                 const struct wizard_opts *o, char **ref_draft)
{
  const struct wiz_form *form = wiz_form(w);
  bool interactive_ok = !o->non_interactive && (hosts->term || ui_term_available() || term);
  if (o->action) /* the home screen's action on a saved thing: its progress and report */
    return run_screens(hosts, term, w, o, ref_draft, false);
  if (o->answers) {
    struct strbuf errs;
    strbuf_init(&errs, 0);
    enum wiz_result rc = wiz_load_answers_file(w, o->answers, &errs);
    if (rc != WIZ_OK) {
      fprintf(stderr, "synwiz: %s:\n%s", o->answers, errs.buf);
      strbuf_done(&errs);
      return CLI_EXIT_USAGE;
    }
    strbuf_done(&errs);
  }
  if (o->answers || o->non_interactive) {
    struct wiz_problems p = { 0 };
    catch_interrupts(true);
    size_t first = wiz_headless_check_to(w, &p, HEADLESS_TIMEOUT_MS, stderr);
    if (wiz_headless_interrupted()) {
      catch_interrupts(false);
      wiz_problems_done(&p);
      fprintf(stderr, "synwiz: interrupted while checking the answers; nothing was changed\n");
      return CLI_EXIT_CANCELLED;
    }
    if (p.n == 0) {
      wiz_problems_done(&p);
      enum wiz_outcome out =
          wiz_headless_action(w, o->headless_action, NULL, stderr, HEADLESS_TIMEOUT_MS);
      catch_interrupts(false);
      if (!wiz_job_report(w)) {
        /* Refused before it started: an answer became invalid since the check (another
         * synwiz took the name meanwhile): say which, as for any invalid answer. */
        struct wiz_problems again = { 0 };
        wiz_headless_check(w, &again, HEADLESS_TIMEOUT_MS);
        if (again.n)
          print_problems(&again, form->id);
        else
          cli_error("%s", wiz_status(w) ? wiz_status(w) : "the wizard could not finish");
        wiz_problems_done(&again);
      }
      wiz_report_print(wiz_job_report(w), stdout);
      if (write_record(w, o->record) != 0)
        return CLI_EXIT_USAGE;
      if (out == WIZ_OUTCOME_DONE && *ref_draft)
        wiz_draft_remove(*ref_draft); /* resumed headless: the draft became the real thing */
      return wiz_outcome_exit(out);
    }
    catch_interrupts(false);
    if (!interactive_ok) {
      print_problems(&p, form->id);
      int load_exit = print_load_failures(w);
      if (load_exit) {
        wiz_problems_done(&p);
        return load_exit;
      }
      if (!o->non_interactive)
        fprintf(stderr, "synwiz: no terminal to ask for them: fix the answers file, or run "
                        "in a terminal\n");
      wiz_problems_done(&p);
      return CLI_EXIT_USAGE;
    }
    wiz_problems_done(&p);
    wiz_set_unattended(w, true);
    wiz_set_step(w, first);
    return run_screens(hosts, term, w, o, ref_draft, true);
  }
  if (!interactive_ok) {
    cli_error("no terminal: the interactive wizard needs one. Run it with --answers FILE "
              "(and --non-interactive) to go without screens.");
    return CLI_EXIT_USAGE;
  }
  return run_screens(hosts, term, w, o, ref_draft, false);
}

/* `why`: where an edit that cannot start says why (the home screen's notice), or NULL for
 * stderr. */
static int run_form(const struct wizard_hosts *hosts, struct ui_term *term, const char *form_id,
                    const struct wizard_opts *opts, json_t *draft, const char *draft_name,
                    struct strbuf *why_edit)
{
  /* A draft saved while editing resumes editing the same saved thing (its answers first,
   * then the draft's), never as a new one that would collide with it. */
  struct wizard_opts oo = *opts;
  const struct wizard_opts *o = &oo;
  if (!oo.edit && draft)
    oo.edit = json_string_value(json_object_get(draft, "edit"));
  struct strbuf why;
  strbuf_init(&why, 0);
  struct wiz_host *host = hosts->open(hosts->ctx, form_id, o->dry_run, &why);
  if (!host) {
    cli_error("%s", why.buf);
    strbuf_done(&why);
    return hosts->open_exit ? hosts->open_exit : CLI_EXIT_FAILURE;
  }
  strbuf_done(&why);
  host->dry_run = o->dry_run;
  struct wiz_form *form = load_form(form_id, host->decl);
  if (!form) {
    hosts->close(hosts->ctx, host);
    return CLI_EXIT_USAGE;
  }
  json_t *edit_answers = NULL;
  if (o->edit) {
    /* Before the wizard exists: an edit may wait on Azure (the client's loop runs), and the
     * wizard's first loads must not complete before the saved answers are applied. */
    struct strbuf ew;
    strbuf_init(&ew, 0);
    int exit_code = CLI_EXIT_USAGE;
    edit_answers =
        hosts->edit ? hosts->edit(hosts->ctx, host, form_id, o->edit, &ew, &exit_code) : NULL;
    if (!edit_answers) {
      if (why_edit)
        strbuf_puts(why_edit, ew.len ? ew.buf : "not supported here");
      else if (draft && !opts->edit)
        cli_error("the draft %s edits '%s', which cannot be opened: %s", draft_name, o->edit,
                  ew.len ? ew.buf : "not supported here");
      else
        cli_error("cannot edit '%s': %s", o->edit, ew.len ? ew.buf : "not supported here");
      strbuf_done(&ew);
      wiz_form_delete(form);
      hosts->close(hosts->ctx, host);
      return exit_code;
    }
    strbuf_done(&ew);
  }
  struct wizard *w = wiz_new(form, host);
  if (edit_answers) {
    /* The saved thing's answers first: an answers file may then change some of them. */
    struct strbuf ew;
    strbuf_init(&ew, 0);
    wiz_set_editing(w, o->edit);
    if (wiz_apply_answers(w, edit_answers, false, &ew) != WIZ_OK)
      fprintf(stderr, "synwiz: the saved '%s' has answers this form no longer knows:\n%s", o->edit,
              ew.buf);
    json_decref(edit_answers);
    strbuf_done(&ew);
  }
  char *dname = draft_name ? xstrdup(draft_name) : NULL;
  if (draft) {
    struct strbuf errs;
    strbuf_init(&errs, 0);
    if (wiz_draft_apply(w, draft, &errs) != WIZ_OK)
      fprintf(stderr, "synwiz: the draft has answers this form no longer knows:\n%s", errs.buf);
    strbuf_done(&errs);
  }
  int rc = drive(hosts, term, w, o, &dname);
  free(dname);
  wiz_delete(w);
  wiz_form_delete(form);
  hosts->close(hosts->ctx, host);
  return rc;
}

static int released(const struct wizard_hosts *hosts, int exit_code)
{
  if (hosts->release)
    hosts->release(hosts->ctx);
  return exit_code;
}

int wizard_run(const struct wizard_hosts *hosts, const char *form_id,
               const struct wizard_opts *opts)
{
  return released(hosts, run_form(hosts, NULL, form_id, opts, NULL, NULL, NULL));
}

int wizard_resume(const struct wizard_hosts *hosts, int argc, char **argv)
{
  struct wizard_opts o;
  int first = wizard_parse_opts(argc, argv, &o);
  if (first < 0)
    return CLI_EXIT_USAGE;
  if (first >= argc) {
    struct wiz_draft_info *list = NULL;
    size_t n = 0;
    if (wiz_draft_list(&list, &n) != WIZ_OK) {
      cli_error("cannot read the drafts");
      return CLI_EXIT_FAILURE;
    }
    if (n == 0) {
      char *dir = wiz_drafts_dir();
      printf("No drafts (in %s). F2 in a wizard saves one.\n", dir);
      free(dir);
    } else {
      printf("%-36s %-16s %-10s %-20s %s\n", "NAME", "WIZARD", "STEP", "SAVED", "EDITS");
      for (size_t i = 0; i < n; i++)
        printf("%-36s %-16s %-10s %-20s %s\n", list[i].name, list[i].form, list[i].step,
               list[i].saved, list[i].edit ? list[i].edit : "(a new one)");
      printf("\nReopen one with: synwiz resume NAME\n");
    }
    wiz_draft_list_free(list, n);
    return CLI_EXIT_DONE;
  }
  const char *name = argv[first];
  char *form_id = NULL;
  json_t *doc = NULL;
  enum wiz_result rc = wiz_draft_read(name, &form_id, &doc);
  if (rc != WIZ_OK) {
    cli_error("no draft named '%s' (synwiz resume lists them)", name);
    return CLI_EXIT_USAGE;
  }
  int exit_code = run_form(hosts, NULL, form_id, &o, doc, name, NULL);
  json_decref(doc);
  free(form_id);
  return released(hosts, exit_code);
}

/* ---------- forms check ---------- */

static int check_one(const struct wiz_decl *decl, const char *file)
{
  struct wiz_form *form = NULL;
  struct wiz_form_error err;
  if (wiz_form_load(file, decl, &form, &err) != WIZ_OK) {
    char *t = wiz_form_error_text(&err);
    fprintf(stderr, "%s\n", t);
    free(t);
    wiz_form_error_done(&err);
    return 1;
  }
  /* synwiz finds a form by its id as forms/<id>.json: a file named otherwise is never the
   * form its id says, or another file shadows it. */
  const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
  size_t id_len = strlen(form->id);
  if (strncmp(base, form->id, id_len) != 0 || strcmp(base + id_len, ".json") != 0) {
    fprintf(stderr, "%s: the form's id \"%s\" is not its file name (%s.json expected)\n", file,
            form->id, form->id);
    wiz_form_delete(form);
    return 1;
  }
  printf("ok   %s (%s: %zu steps, %zu fields)\n", file, form->id, form->n_steps, form->n_fields);
  wiz_form_delete(form);
  return 0;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of the data dir's forms/, sorted. */
static char **form_files(size_t *out_n)
{
  char *dir = paths_data_sub("forms");
  DIR *d = opendir(dir);
  char **files = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
      files = xgrow(files, &cap, n + 1, sizeof(char *));
      files[n++] = xasprintf("%s/%s", dir, e->d_name);
    }
  }
  if (d)
    closedir(d);
  free(dir);
  if (n > 1)
    qsort(files, n, sizeof(char *), cmp_str);
  *out_n = n;
  return files;
}

int wizard_forms_check(const struct wizard_hosts *hosts, int argc, char **argv)
{
  int bad = 0, n = 0;
  if (argc > 0) {
    for (int i = 0; i < argc; i++, n++)
      bad += check_one(hosts->decl, argv[i]);
  } else {
    size_t count = 0;
    char **files = form_files(&count);
    for (size_t i = 0; i < count; i++, n++) {
      bad += check_one(hosts->decl, files[i]);
      free(files[i]);
    }
    free(files);
  }
  if (n == 0) {
    cli_error("no form files found");
    return CLI_EXIT_USAGE;
  }
  printf("%d form%s checked, %d refused\n", n, n == 1 ? "" : "s", bad);
  return bad ? CLI_EXIT_USAGE : CLI_EXIT_DONE;
}

/* ---------- home ---------- */

/* What the home screen shows was read from files other commands change (the store, the
 * token cache, the drafts): their modification times, summed, say whether it is stale. A
 * few stat() calls every UI_HOME_CHECK_MS while the home screen is idle. */
struct home_watch {
  char **paths;
  size_t n;
  unsigned long long stamp;
};

static unsigned long long watch_stamp(const struct home_watch *hw)
{
  unsigned long long sum = 0;
  for (size_t i = 0; i < hw->n; i++) {
    struct stat st;
    if (stat(hw->paths[i], &st) == 0)
      sum += (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
             (unsigned long long)st.st_mtim.tv_nsec + (unsigned long long)st.st_ino;
    else
      sum += i + 1; /* gone and present differ */
  }
  return sum;
}

static bool watch_stale(void *ctx)
{
  const struct home_watch *hw = ctx;
  return watch_stamp(hw) != hw->stamp;
}

static void watch_done(struct home_watch *hw)
{
  for (size_t i = 0; i < hw->n; i++)
    free(hw->paths[i]);
  free(hw->paths);
  hw->paths = NULL;
  hw->n = 0;
}

static void watch_set(struct home_watch *hw, const struct wiz_home *home)
{
  watch_done(hw);
  size_t n = home ? home->n_watch : 0;
  hw->paths = xcalloc(n + 1, sizeof(*hw->paths));
  hw->n = 0;
  hw->paths[hw->n++] = wiz_drafts_dir();
  for (size_t i = 0; i < n; i++)
    hw->paths[hw->n++] = xstrdup(home->watch[i]);
  hw->stamp = watch_stamp(hw);
}

/* Signing in from the home screen: the screens go (the sign-in talks on the terminal: a
 * device code, "approve it from another terminal" on the sandbox) and come back after. */
static struct ui_term *sign_in(const struct wizard_hosts *hosts, struct ui_term *term,
                               char **notice)
{
  ui_term_close(term);
  int rc = hosts->sign_in(hosts->ctx);
  if (rc != CLI_EXIT_DONE) {
    fputs("Not signed in. Press Enter to go back to the home screen.\n", stderr);
    int ch;
    while ((ch = getchar()) != EOF && ch != '\n')
      ;
  }
  char *err = NULL;
  term = ui_term_open(hosts->term, &err);
  if (!term) {
    cli_error("%s", err);
    free(err);
    return NULL;
  }
  *notice = xstrdup(rc == CLI_EXIT_DONE ? "Signed in." : "Not signed in.");
  return term;
}

int wizard_home(const struct wizard_hosts *hosts)
{
  char *err = NULL;
  if (!hosts->term && !ui_term_available()) {
    cli_error("no terminal: the home screen needs one. Run a wizard with --answers FILE "
              "(and --non-interactive) to go without screens; see synwiz --help.");
    return CLI_EXIT_USAGE;
  }
  struct ui_term *term = ui_term_open(hosts->term, &err);
  if (!term) {
    cli_error("%s", err);
    free(err);
    fputs("Everything the home screen does also runs without screens, e.g.:\n"
          "  synwiz connection new --answers FILE --non-interactive\n"
          "  synwiz linked-service new --answers FILE --non-interactive\n"
          "  synwiz connection list\n"
          "(synwiz --help lists the commands; each command's --help its options.)\n",
          stderr);
    return CLI_EXIT_USAGE;
  }
  int exit_code = CLI_EXIT_DONE;
  char *notice = NULL;
  /* Where the cursor was, kept over an action or a refresh (the entry by its ref). */
  struct ui_home_at at = { UI_HOME_QUIT, 0, 0, NULL, 0 }; /* none: the first row */
  char *at_ref = NULL;
  char filter[UI_HOME_FILTER_MAX] = "";
  struct home_watch hw = { NULL, 0, 0 };
  for (;;) {
    size_t n_files = 0;
    char **files = form_files(&n_files);
    struct wiz_form **forms = xcalloc(n_files + 1, sizeof(*forms));
    struct ui_home_form *hf = xcalloc(n_files + 1, sizeof(*hf));
    size_t nf = 0;
    for (size_t i = 0; i < n_files; i++) {
      struct wiz_form_error e;
      if (wiz_form_load(files[i], hosts->decl, &forms[nf], &e) == WIZ_OK) {
        hf[nf] = (struct ui_home_form){ forms[nf]->id, forms[nf]->title, forms[nf]->summary };
        nf++;
      } else {
        wiz_form_error_done(&e);
      }
      free(files[i]);
    }
    free(files);
    struct wiz_draft_info *drafts = NULL;
    size_t nd = 0;
    wiz_draft_list(&drafts, &nd);
    struct ui_home_draft *hd = xcalloc(nd + 1, sizeof(*hd));
    for (size_t i = 0; i < nd; i++)
      hd[i] = (struct ui_home_draft){ drafts[i].name, drafts[i].title, drafts[i].form,
                                      drafts[i].step, drafts[i].saved, drafts[i].edit };
    struct strbuf why;
    strbuf_init(&why, 0);
    struct wiz_home *home = hosts->home(hosts->ctx, &why);
    /* After the data is read: what reading it wrote (a token refreshed) is not a change. */
    watch_set(&hw, home);
    at.ref = at_ref;
    struct ui_home_model m = {
      hf, nf, hd, nd, home, why.buf, notice, at, filter, watch_stale, &hw
    };
    struct ui_home_choice c = ui_home_run(term, &m);
    snprintf(filter, sizeof(filter), "%s", c.filter);
    free(notice);
    notice = NULL;
    at = (struct ui_home_at){ c.kind, c.index, c.entry, NULL, c.row };
    if (c.kind == UI_HOME_SECTION)
      at.entry = c.action;
    free(at_ref);
    at_ref = c.kind == UI_HOME_ENTRY && home ? xstrdup(home->sections[c.index].entries[c.entry].ref)
                                             : NULL;
    int rc = -1;
    if (c.kind == UI_HOME_WIZARD || c.kind == UI_HOME_DRAFT) {
      struct wizard_opts o = { 0 };
      const char *form_id = c.kind == UI_HOME_WIZARD ? hf[c.index].id : hd[c.index].form;
      json_t *doc = NULL;
      char *fid = NULL;
      enum wiz_result dr =
          c.kind == UI_HOME_DRAFT ? wiz_draft_read(hd[c.index].name, &fid, &doc) : WIZ_OK;
      if (dr == WIZ_E_NOT_FOUND) {
        /* Resumed (and finished) or removed from another terminal since it was listed. */
        notice = xasprintf("The draft %s is gone: it was resumed or removed elsewhere.",
                           hd[c.index].title ? hd[c.index].title : hd[c.index].name);
      } else if (dr != WIZ_OK) {
        notice = xasprintf("The draft %s cannot be read.", hd[c.index].name);
      } else {
        struct strbuf hw2;
        strbuf_init(&hw2, 0);
        struct wiz_host *probe = hosts->open(hosts->ctx, form_id, false, &hw2);
        if (!probe) {
          notice = xasprintf("Not available: %s", hw2.buf);
        } else {
          hosts->close(hosts->ctx, probe);
          rc = run_form(hosts, term, form_id, &o, doc,
                        c.kind == UI_HOME_DRAFT ? hd[c.index].name : NULL, NULL);
          if (rc == CLI_EXIT_DONE)
            notice = xstrdup("Done.");
        }
        strbuf_done(&hw2);
      }
      json_decref(doc);
      free(fid);
    } else if ((c.kind == UI_HOME_ENTRY || c.kind == UI_HOME_SECTION) && home) {
      const struct wiz_home_section *sec = &home->sections[c.index];
      const struct wiz_home_entry *e = c.kind == UI_HOME_ENTRY ? &sec->entries[c.entry] : NULL;
      const char *form = e ? e->form : sec->form;
      const char *action = e ? e->action[c.action] : sec->action[c.action];
      const char *label = e ? e->label[c.action] : sec->label[c.action];
      const char *what = e ? e->name : sec->title;
      struct wizard_opts o = { 0 };
      o.edit = e ? e->ref : NULL;
      if (!e || strcmp(action, "edit") != 0) {
        o.action = action;
        o.action_label = label;
      }
      if (!form || (e && !hosts->edit)) {
        notice = xasprintf("\"%s\" on %s: not available here; use the command line.", label, what);
      } else {
        struct strbuf ew;
        strbuf_init(&ew, 0);
        rc = run_form(hosts, term, form, &o, NULL, NULL, &ew);
        if (ew.len) /* refused before any screen: the reason is all there is to see */
          notice = xasprintf("%s %s: %s.", label, what, ew.buf);
        else
          notice = xasprintf("%s %s: %s.", label, what,
                             rc == CLI_EXIT_DONE        ? "done"
                             : rc == CLI_EXIT_CANCELLED ? "closed"
                                                        : "not done (see the report)");
        strbuf_done(&ew);
      }
    } else if (c.kind == UI_HOME_REFRESH) {
      if (hosts->refresh)
        hosts->refresh(hosts->ctx); /* e.g. signed in or out elsewhere */
      if (c.by_key)
        notice = xstrdup("Refreshed.");
    }
    wiz_home_delete(home);
    strbuf_done(&why);
    wiz_draft_list_free(drafts, nd);
    free(hd);
    for (size_t i = 0; i < nf; i++)
      wiz_form_delete(forms[i]);
    free(forms);
    free(hf);
    if (c.kind == UI_HOME_QUIT) {
      exit_code = c.hangup || c.interrupted ? CLI_EXIT_CANCELLED : CLI_EXIT_DONE;
      break;
    }
    if (hung_up) {
      exit_code = CLI_EXIT_CANCELLED;
      break;
    }
    if (c.kind == UI_HOME_SIGN_IN) {
      if (!hosts->sign_in) {
        notice = xstrdup("Sign in with synwiz login, then come back: this screen refreshes.");
      } else if (!(term = sign_in(hosts, term, &notice))) {
        exit_code = CLI_EXIT_USAGE;
        break;
      }
    }
    (void)rc;
  }
  free(notice);
  free(at_ref);
  watch_done(&hw);
  if (term)
    ui_term_close(term);
  return released(hosts, exit_code);
}
