/* The naming rules table. Each check is the hand-written form of the rule's `pattern`. */
#include "wizard/rules.h"
#include "util/uuid.h"

#include <stdbool.h>
#include <string.h>

size_t wiz_utf8_len(const char *s)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) != 0x80)
      n++;
  }
  return n;
}

static bool is_alpha(int c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static bool is_lower_alnum(int c)
{
  return (c >= 'a' && c <= 'z') || is_digit(c);
}

/* A byte of a UTF-8 character beyond ASCII: "é" in "Café" is a letter to the person typing
 * it, so the rule's "only letters" reads as wrong; these say that only ASCII letters are
 * meant. */
static bool is_non_ascii(int c)
{
  return c >= 0x80;
}

static const char non_ascii_identifier[] =
    "Only ASCII letters (A-Z, a-z), digits and underscores (_) are allowed, not accented or "
    "other non-ASCII characters.";
static const char non_ascii_alnum[] = "Only ASCII letters (A-Z, a-z) and digits are allowed, not "
                                      "accented or other non-ASCII characters.";
static const char non_ascii_first[] =
    "Must start with an ASCII letter (A-Z, a-z), not an accented or other non-ASCII character.";
static const char non_ascii_lower_hyphen[] =
    "Only lower-case ASCII letters (a-z), digits and hyphens are allowed, not accented or other "
    "non-ASCII characters.";
static const char non_ascii_lower[] = "Only lower-case ASCII letters (a-z) and digits are allowed, "
                                      "not accented or other non-ASCII characters.";

/* Checks the length limits of a rule; true when within them. */
static bool length_ok(const struct wiz_rule *r, const char *v)
{
  size_t n = wiz_utf8_len(v);
  if (r->min_len && n < r->min_len)
    return false;
  if (r->max_len && n > r->max_len)
    return false;
  return true;
}

static enum wiz_check fail(const char *msg, const char **out_msg)
{
  *out_msg = msg;
  return WIZ_CHECK_ERROR;
}

static enum wiz_check check_required(const struct wiz_rule *r, const char *v, const char **m)
{
  return v && *v ? WIZ_CHECK_OK : fail(r->message, m);
}

static enum wiz_check check_agree(const struct wiz_rule *r, const char *v, const char **m)
{
  return v && strcmp(v, "true") == 0 ? WIZ_CHECK_OK : fail(r->message, m);
}

/* ^[A-Za-z][A-Za-z0-9_]*$ with a length limit (a non-ASCII letter said as such). */
static enum wiz_check check_word(const struct wiz_rule *r, const char *v, const char **m,
                                 const char *non_ascii)
{
  if (is_non_ascii((unsigned char)v[0]))
    return fail(non_ascii_first, m);
  if (!is_alpha((unsigned char)v[0]))
    return fail(r->message, m);
  for (const char *p = v; *p; p++) {
    if (is_non_ascii((unsigned char)*p))
      return fail(non_ascii, m);
    if (!is_alpha((unsigned char)*p) && !is_digit((unsigned char)*p) && *p != '_')
      return fail(r->message, m);
  }
  return length_ok(r, v) ? WIZ_CHECK_OK : fail(r->length_message, m);
}

/* CI display names and table names. */
static enum wiz_check check_identifier(const struct wiz_rule *r, const char *v, const char **m)
{
  return check_word(r, v, m, non_ascii_identifier);
}

/* ^[A-Za-z][A-Za-z0-9]{0,23}$ blocks; an '_' (which Spark accepts and SyMS does not) warns. */
static enum wiz_check check_lake_db(const struct wiz_rule *r, const char *v, const char **m)
{
  enum wiz_check rc = check_word(r, v, m, non_ascii_alnum);
  if (rc != WIZ_CHECK_OK)
    return rc;
  if (strchr(v, '_')) {
    *m = r->warning;
    return WIZ_CHECK_WARN;
  }
  return WIZ_CHECK_OK;
}

/* Data Factory artifact names: a letter first, then none of the forbidden characters. */
static enum wiz_check check_artifact(const struct wiz_rule *r, const char *v, const char **m,
                                     const char *forbidden)
{
  if (is_non_ascii((unsigned char)v[0]))
    return fail(non_ascii_first, m); /* later ones are allowed: only the first must be A-Z */
  if (!is_alpha((unsigned char)v[0]))
    return fail(r->message, m);
  for (const char *p = v; *p; p++) {
    if (strchr(forbidden, *p) || (unsigned char)*p < 0x20 || *p == 0x7f)
      return fail(r->message, m);
  }
  if (!length_ok(r, v))
    return fail(r->length_message, m);
  if (r->warning && strchr(v, ' ')) {
    *m = r->warning;
    return WIZ_CHECK_WARN;
  }
  return WIZ_CHECK_OK;
}

static enum wiz_check check_linked_service(const struct wiz_rule *r, const char *v, const char **m)
{
  return check_artifact(r, v, m, "-<>*#.%&:\\+?/");
}

static enum wiz_check check_pipeline(const struct wiz_rule *r, const char *v, const char **m)
{
  return check_artifact(r, v, m, "<>*#.%&:\\+?/");
}

/* ^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$, and no "-ondemand" (the serverless pool's suffix). */
static enum wiz_check check_workspace(const struct wiz_rule *r, const char *v, const char **m)
{
  size_t n = strlen(v);
  for (const char *p = v; *p; p++) {
    if (is_non_ascii((unsigned char)*p))
      return fail(non_ascii_lower_hyphen, m);
    if (!is_lower_alnum((unsigned char)*p) && *p != '-')
      return fail(r->message, m);
  }
  if (v[0] == '-' || v[n - 1] == '-')
    return fail(r->message, m);
  if (!length_ok(r, v))
    return fail(r->length_message, m);
  if (strstr(v, "-ondemand"))
    return fail("Must not contain \"-ondemand\" (reserved for the serverless SQL endpoint).", m);
  return WIZ_CHECK_OK;
}

/* ^[a-z0-9]{3,24}$ */
static enum wiz_check check_storage(const struct wiz_rule *r, const char *v, const char **m)
{
  for (const char *p = v; *p; p++) {
    if (is_non_ascii((unsigned char)*p))
      return fail(non_ascii_lower, m);
    if (!is_lower_alnum((unsigned char)*p))
      return fail(r->message, m);
  }
  return length_ok(r, v) ? WIZ_CHECK_OK : fail(r->length_message, m);
}

/* ^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$ : the lookahead is the length check. */
static enum wiz_check check_container(const struct wiz_rule *r, const char *v, const char **m)
{
  char prev = '-'; /* so that a leading hyphen fails like a double one */
  for (const char *p = v; *p; p++) {
    if (is_non_ascii((unsigned char)*p))
      return fail(non_ascii_lower_hyphen, m);
    if (*p == '-') {
      if (prev == '-')
        return fail(r->message, m);
    } else if (!is_lower_alnum((unsigned char)*p)) {
      return fail(r->message, m);
    }
    prev = *p;
  }
  if (prev == '-')
    return fail(r->message, m);
  return length_ok(r, v) ? WIZ_CHECK_OK : fail(r->length_message, m);
}

static enum wiz_check check_guid(const struct wiz_rule *r, const char *v, const char **m)
{
  return uuid_is_valid(v) ? WIZ_CHECK_OK : fail(r->message, m);
}

/* A DNS name of at least two labels: letters, digits and inner hyphens; an alphabetic TLD. */
static bool is_domain(const char *v)
{
  size_t n = strlen(v);
  if (n == 0 || n > 253)
    return false;
  size_t labels = 0, len = 0;
  const char *label = v;
  for (const char *p = v;; p++) {
    if (*p == '.' || *p == '\0') {
      if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
        return false;
      labels++;
      if (*p == '\0')
        break;
      label = p + 1;
      len = 0;
      continue;
    }
    if (!is_alpha((unsigned char)*p) && !is_digit((unsigned char)*p) && *p != '-')
      return false;
    len++;
  }
  if (labels < 2)
    return false;
  size_t tld = 0;
  for (const char *p = label; *p; p++, tld++) {
    if (!is_alpha((unsigned char)*p))
      return false;
  }
  return tld >= 2;
}

static enum wiz_check check_tenant(const struct wiz_rule *r, const char *v, const char **m)
{
  return uuid_is_valid(v) || is_domain(v) ? WIZ_CHECK_OK : fail(r->message, m);
}

static const struct wiz_rule table[] = {
  { "required", "a value must be given", ".+", 0, 0, "Required.", NULL, NULL, "behavior.md 1",
    check_required },
  { "must_agree", "the box must be ticked", "true", 0, 0, "Select \"I agree\" to continue.", NULL,
    NULL, "behavior.md W1 field 8", check_agree },
  { "connection_display_name", "Customer Insights connection display name",
    "^[A-Za-z][A-Za-z0-9_]*$", 1, 100,
    "Must start with a letter and contain only letters, digits and underscores (_).",
    "At most 100 characters.", NULL, "behavior.md 2 [D]; the length limit is ours [I]",
    check_identifier },
  { "lake_database_name", "Synapse lake database name (export database)",
    "^[A-Za-z][A-Za-z0-9]{0,23}$ (an _ is accepted with a warning)", 1, 24,
    "Must start with a letter and contain only letters and digits.", "At most 24 characters.",
    "Contains \"_\": Spark accepts it but the Synapse metastore API takes letters and digits "
    "only; the export may be refused.",
    "behavior.md 2 (SyMS, Spark)", check_lake_db },
  { "table_name", "Customer Insights table name (the table catalog)", "^[A-Za-z][A-Za-z0-9_]*$", 1,
    128, "Must start with a letter and contain only letters, digits and underscores (_).",
    "At most 128 characters.", NULL, "behavior.md 2 (the CI table rule); the length limit is ours",
    check_identifier },
  { "output_table_name", "Customer Insights output table name", "^[A-Za-z][A-Za-z0-9_]*$", 1, 128,
    "Must start with a letter and contain only letters, digits and underscores (_).",
    "At most 128 characters.", NULL, "behavior.md 2 [I]; the length limit is ours",
    check_identifier },
  { "linked_service_name", "Synapse linked service name", "^[A-Za-z][^-<>*#.%&:\\\\+?/]{0,259}$", 1,
    260, "Must start with a letter and must not contain - < > * # . % & : \\ + ? /",
    "At most 260 characters.",
    "Contains a space: allowed, but a name without spaces is easier to use in scripts.",
    "behavior.md 2 (linkedServices.json, naming-rules.md)", check_linked_service },
  { "pipeline_name", "Synapse pipeline name", "^[A-Za-z][^<>*#.%&:\\\\+?/]{0,259}$", 1, 260,
    "Must start with a letter and must not contain < > * # . % & : \\ + ? /",
    "At most 260 characters.", NULL, "behavior.md 2 (pipelines.json, naming-rules.md)",
    check_pipeline },
  { "synapse_workspace_name", "Synapse workspace name",
    "^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$, without -ondemand", 1, 50,
    "Only lower-case letters, digits and hyphens; must start and end with a letter or digit.",
    "At most 50 characters.", NULL, "behavior.md 2 (workspace_name.go)", check_workspace },
  { "storage_account_name", "storage account name", "^[a-z0-9]{3,24}$", 3, 24,
    "Only lower-case letters and digits.", "Between 3 and 24 characters.", NULL,
    "behavior.md 2 (resource-name-rules.md)", check_storage },
  { "container_name", "blob or ADLS container name", "^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", 3, 63,
    "Only lower-case letters, digits and single hyphens; must start and end with a letter or "
    "digit.",
    "Between 3 and 63 characters.", NULL, "behavior.md 2 (resource-name-rules.md)",
    check_container },
  { "guid", "a GUID (subscription, tenant, object or role id)",
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", 36, 36,
    "Must be a GUID: 8-4-4-4-12 hexadecimal digits.", NULL, NULL, "behavior.md 2", check_guid },
  { "application_id", "a service principal's application (client) id",
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", 36, 36,
    "Must be the application (client) ID, a GUID (8-4-4-4-12 hexadecimal digits), not the "
    "application's name.",
    NULL, NULL, "behavior.md 2, W4 path B", check_guid },
  { "tenant", "a tenant id (GUID) or domain name",
    "GUID, or ^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,}$", 1, 253,
    "Must be a tenant ID (a GUID) or a domain name such as contoso.onmicrosoft.com.", NULL, NULL,
    "behavior.md 2 (compute-linked-services.md)", check_tenant },
};

const struct wiz_rule *wiz_rules(size_t *out_n)
{
  *out_n = sizeof(table) / sizeof(table[0]);
  return table;
}

const struct wiz_rule *wiz_rule_find(const char *name)
{
  for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    if (strcmp(table[i].name, name) == 0)
      return &table[i];
  }
  return NULL;
}

enum wiz_check wiz_rule_check(const struct wiz_rule *rule, const char *value, const char **out_msg)
{
  const char *dummy;
  if (!out_msg)
    out_msg = &dummy;
  *out_msg = NULL;
  if (rule->check == check_required || rule->check == check_agree)
    return rule->check(rule, value, out_msg);
  if (!value || !*value)
    return WIZ_CHECK_OK;
  return rule->check(rule, value, out_msg);
}
