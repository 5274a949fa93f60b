/* Kind "secret": masked text, in memory only; answers name an environment variable. */
#include "wizard/wiz_kind.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>

static const char *const keys[] = { "env_hint", NULL };

static void parse(struct wiz_loader *L, json_t *obj, struct wiz_field *f, size_t self)
{
  (void)self;
  f->env_hint = wiz_loader_str(L, obj, "env_hint", false);
}

static char *env_name_for(const struct wiz_field *f)
{
  if (f->env_hint)
    return xstrdup(f->env_hint);
  char *s = xasprintf("SYNWIZ_%s", f->id);
  for (char *p = s; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  return s;
}

static json_t *answer_out(struct wizard *w, size_t field, enum wiz_json_mode mode)
{
  const struct wiz_value *v = wiz_value(w, field);
  if (v->type != WIZ_V_SECRET)
    return NULL;
  /* Never the value. A draft keeps only a reference that was given as one. */
  if (v->env)
    return json_pack("{s:s}", "env", v->env);
  if (mode == WIZ_JSON_RECORD && v->text && *v->text) {
    char *name = env_name_for(&wiz_form(w)->fields[field]);
    json_t *j = json_pack("{s:s}", "env", name);
    free(name);
    return j;
  }
  return NULL;
}

static void answer_in(struct wizard *w, size_t field, json_t *v, bool draft)
{
  (void)draft;
  static const char *const answer_keys[] = { "env", NULL };
  const char *env = json_string_value(json_object_get(v, "env"));
  if (json_is_string(v)) {
    wiz_set_answer_error(w, field,
                         "A secret is given as a reference {\"env\": \"NAME\"}, never as its "
                         "value.");
  } else if (json_is_object(v) &&
             !wiz_answer_keys_only(w, field, v, answer_keys, "{\"env\": \"NAME\"}")) {
    return; /* {"env", "value"}: which one was meant? and a value is never taken */
  } else if (!env) {
    wiz_set_answer_error(w, field, "expected {\"env\": \"NAME\"}");
  } else if (!*env) {
    wiz_set_answer_error(w, field,
                         "The environment variable's name is empty: give the name of the "
                         "variable that holds the secret, as {\"env\": \"NAME\"}.");
  } else if (!getenv(env) || !*getenv(env)) {
    char *m = xasprintf("The environment variable %s is not set.", env);
    wiz_set_answer_error(w, field, m);
    free(m);
  } else {
    /* Remember where it came from: records and drafts name the variable. */
    wiz_set_secret(w, field, getenv(env), env);
  }
}

const struct wiz_kind_ops wiz_kind_secret = {
  .name = "secret",
  .keys = keys,
  .flags = WIZ_KF_TEXT | WIZ_KF_SECRET,
  .parse = parse,
  .answer_out = answer_out,
  .answer_in = answer_in,
};
