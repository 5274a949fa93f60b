#include "azure/az_error.h"
#include "azure/az_redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void az_error_init(struct az_error *e)
{
  memset(e, 0, sizeof(*e));
  e->result = AZ_OK;
}

void az_error_done(struct az_error *e)
{
  free(e->code);
  free(e->oauth_error);
  free(e->message);
  free(e->details);
  free(e->request_id);
  free(e->hint);
  az_error_init(e);
}

void az_error_reset(struct az_error *e)
{
  az_error_done(e);
}

static void set_str(char **dst, const char *src)
{
  free(*dst);
  *dst = src ? xstrdup(src) : NULL;
}

/* Messages from the service are redacted once, here, so no later consumer can leak them. */
static void set_clean(char **dst, const char *src)
{
  free(*dst);
  *dst = src ? az_redact_text(src) : NULL;
}

void az_error_set(struct az_error *e, enum az_result result, const char *fmt, ...)
{
  az_error_done(e);
  e->result = result;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  char *msg = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  set_clean(&e->message, msg);
  free(msg);
}

void az_error_copy(struct az_error *dst, const struct az_error *src)
{
  if (dst == src)
    return;
  az_error_done(dst);
  dst->result = src->result;
  dst->status = src->status;
  set_str(&dst->code, src->code);
  set_str(&dst->oauth_error, src->oauth_error);
  set_str(&dst->message, src->message);
  set_str(&dst->details, src->details);
  set_str(&dst->request_id, src->request_id);
  set_str(&dst->hint, src->hint);
}

/* Case-insensitive object lookup: Synapse answers both {"code"} and {"Code"}. */
static json_t *get_ci(json_t *obj, const char *key)
{
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v)
  {
    if (strcasecmp(k, key) == 0)
      return v;
  }
  return NULL;
}

static const char *get_str_ci(json_t *obj, const char *key)
{
  return json_string_value(get_ci(obj, key));
}

/* "AADSTS7000215: Invalid client secret provided..." -> "AADSTS7000215" */
static char *aadsts_code(const char *desc)
{
  const char *p = desc ? strstr(desc, "AADSTS") : NULL;
  if (!p)
    return NULL;
  size_t n = 6;
  while (isdigit((unsigned char)p[n]))
    n++;
  return n > 6 ? xstrndup(p, n) : NULL;
}

static void collect_details(struct strbuf *sb, json_t *details, int depth)
{
  if (!json_is_array(details) || depth > 4)
    return;
  size_t i;
  json_t *d;
  json_array_foreach(details, i, d)
  {
    const char *code = get_str_ci(d, "code");
    const char *msg = get_str_ci(d, "message");
    if (code || msg) {
      if (sb->len)
        strbuf_puts(sb, "; ");
      if (code)
        strbuf_printf(sb, "%s%s", code, msg ? ": " : "");
      if (msg)
        strbuf_puts(sb, msg);
    }
    collect_details(sb, get_ci(d, "details"), depth + 1);
  }
}

/* Fill code/message/details from an {code,message,details} object. */
static void from_error_object(struct az_error *e, json_t *err)
{
  const char *code = get_str_ci(err, "code");
  const char *msg = get_str_ci(err, "message");
  if (code)
    set_str(&e->code, code);
  if (msg)
    set_clean(&e->message, msg);
  struct strbuf sb;
  strbuf_init(&sb, 4096);
  collect_details(&sb, get_ci(err, "details"), 0);
  if (sb.len)
    set_clean(&e->details, sb.buf);
  strbuf_done(&sb);
}

static bool from_json(struct az_error *e, json_t *root)
{
  if (!json_is_object(root))
    return false;
  json_t *err = get_ci(root, "error");
  if (json_is_object(err)) {
    /* ARM, Synapse artifacts and RBAC, LRO status bodies */
    from_error_object(e, err);
    return e->code || e->message;
  }
  if (json_is_string(err)) {
    /* Entra ID and managed identity endpoints: {error, error_description, ...} */
    set_str(&e->oauth_error, json_string_value(err));
    const char *desc = get_str_ci(root, "error_description");
    char *aad = aadsts_code(desc);
    set_str(&e->code, aad ? aad : json_string_value(err));
    free(aad);
    if (desc) {
      /* The description repeats trace and correlation ids on extra lines; keep line one. */
      const char *nl = strpbrk(desc, "\r\n");
      char *first = nl ? xstrndup(desc, (size_t)(nl - desc)) : xstrdup(desc);
      set_clean(&e->message, first);
      free(first);
    }
    const char *trace = get_str_ci(root, "trace_id");
    if (!e->request_id && trace)
      set_str(&e->request_id, trace);
    return true;
  }
  /* Synapse's bare {code, message} (and {"Code","Message"}) */
  if (get_str_ci(root, "code") || get_str_ci(root, "message")) {
    from_error_object(e, root);
    return true;
  }
  return false;
}

void az_error_from_json_text(struct az_error *e, const char *body, size_t len)
{
  if (!body || !len)
    return;
  json_t *root = json_loadb(body, len, 0, NULL);
  if (root) {
    from_json(e, root);
    json_decref(root);
  }
}

/* The text between <tag> and </tag>, or NULL. Enough for storage's flat <Error> document. */
static char *xml_text(const char *body, size_t len, const char *tag)
{
  char open[64], close[64];
  if (snprintf(open, sizeof(open), "<%s>", tag) >= (int)sizeof(open) ||
      snprintf(close, sizeof(close), "</%s>", tag) >= (int)sizeof(close))
    return NULL;
  char *copy = xstrndup(body, len);
  char *res = NULL;
  char *a = strstr(copy, open);
  if (a) {
    a += strlen(open);
    char *b = strstr(a, close);
    if (b)
      res = xstrndup(a, (size_t)(b - a));
  }
  free(copy);
  return res;
}

/* No structured error: "HTTP 502" plus the start of a short, printable body. */
static void set_http_text(struct az_error *e, int status, const char *body, size_t len)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  if (status)
    strbuf_printf(&sb, "HTTP %d", status);
  else
    strbuf_puts(&sb, az_result_str(e->result));
  size_t n = len < 200 ? len : 200;
  bool printable = n > 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)body[i];
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
      printable = false;
  }
  if (printable) {
    strbuf_puts(&sb, ": ");
    for (size_t i = 0; i < n; i++)
      strbuf_putc(&sb, isspace((unsigned char)body[i]) ? ' ' : body[i]);
    if (n < len)
      strbuf_puts(&sb, "...");
  }
  set_clean(&e->message, sb.buf);
  strbuf_done(&sb);
}

void az_error_from_answer(struct az_error *e, int status, const struct az_headers *headers,
                          const char *body, size_t len)
{
  az_error_done(e);
  e->status = status;
  e->result = az_result_from_status(status);
  if (headers) {
    const char *rid = az_headers_get(headers, "x-ms-request-id");
    if (!rid)
      rid = az_headers_get(headers, "x-ms-correlation-request-id");
    if (!rid)
      rid = az_headers_get(headers, "x-ms-client-request-id");
    set_str(&e->request_id, rid);
    const char *storage_code = az_headers_get(headers, "x-ms-error-code");
    if (storage_code)
      set_str(&e->code, storage_code);
  }
  bool parsed = false;
  if (body && len) {
    json_t *root = json_loadb(body, len, 0, NULL);
    if (root) {
      parsed = from_json(e, root);
      json_decref(root);
    } else if (memchr(body, '<', len)) {
      char *code = xml_text(body, len, "Code");
      char *msg = xml_text(body, len, "Message");
      if (code && !e->code)
        set_str(&e->code, code);
      if (msg) {
        /* Storage appends "\nRequestId:...\nTime:..." to its messages. */
        char *nl = strchr(msg, '\n');
        if (nl)
          *nl = '\0';
        set_clean(&e->message, msg);
      }
      parsed = code || msg;
      free(code);
      free(msg);
    }
  }
  if (!e->message) {
    if (parsed || e->code)
      set_str(&e->message, az_result_str(e->result));
    else
      set_http_text(e, status, body, len);
  }
  /* Entra answers 400 for refused sign-ins; they are authentication failures. */
  if (e->oauth_error && e->result == AZ_E_BAD_REQUEST)
    e->result = AZ_E_AUTH;
}

char *az_error_summary(const struct az_error *e)
{
  const char *msg = e->message ? e->message : az_result_str(e->result);
  if (e->code && strstr(msg, e->code) != msg)
    return xasprintf("%s: %s", e->code, msg);
  return xstrdup(msg);
}
