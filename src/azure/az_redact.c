#include "azure/az_redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool in_list(const char *name, size_t len, const char *const *list)
{
  for (size_t i = 0; list[i]; i++) {
    if (strlen(list[i]) == len && strncasecmp(name, list[i], len) == 0)
      return true;
  }
  return false;
}

static const char *const secret_headers[] = {
  "authorization",     "proxy-authorization", "x-ms-copy-source-authorization",
  "x-identity-header", "x-sandbox-control",   "cookie",
  "set-cookie",        "x-ms-encryption-key", NULL,
};

/* Parameter names whose values are secrets, in URLs and in form bodies. */
static const char *const secret_params[] = {
  "sig",         "client_secret", "client_assertion", "refresh_token", "access_token", "id_token",
  "device_code", "code",          "password",         "token",         "assertion",    NULL,
};

/* JSON keys whose (string) values are secrets. */
static const char *const secret_keys[] = {
  "access_token", "refresh_token",    "id_token",     "client_secret",       "client_assertion",
  "device_code",  "password",         "secret",       "accountKey",          "primaryKey",
  "secondaryKey", "primaryMasterKey", "sasToken",     "encryptedCredential", "control_token",
  "controlToken", "accessToken",      "refreshToken", "clientSecret",        "servicePrincipalKey",
  NULL,
};

bool az_redact_is_secret_header(const char *name)
{
  return in_list(name, strlen(name), secret_headers);
}

const char *az_redact_header(const char *name, const char *value)
{
  return az_redact_is_secret_header(name) ? AZ_REDACTED : value;
}

/* Rewrites "a=1&sig=xyz&b=2" style strings: the values of secret names become REDACTED. */
static void redact_params(struct strbuf *out, const char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && s[end] != '&')
      end++;
    const char *eq = memchr(s + i, '=', end - i);
    if (eq && in_list(s + i, (size_t)(eq - (s + i)), secret_params)) {
      strbuf_append(out, s + i, (size_t)(eq - (s + i)) + 1);
      strbuf_puts(out, AZ_REDACTED);
    } else {
      strbuf_append(out, s + i, end - i);
    }
    if (end < len)
      strbuf_putc(out, '&');
    i = end + 1;
  }
}

char *az_redact_url(const char *url)
{
  struct strbuf out;
  strbuf_init(&out, 0);
  const char *q = strchr(url, '?');
  if (!q) {
    strbuf_puts(&out, url);
  } else {
    const char *frag = strchr(q, '#');
    size_t qlen = frag ? (size_t)(frag - q - 1) : strlen(q + 1);
    strbuf_append(&out, url, (size_t)(q - url) + 1);
    redact_params(&out, q + 1, qlen);
    if (frag)
      strbuf_puts(&out, frag);
  }
  /* A URL may also carry a token in its path or fragment; the text scrubber catches JWTs. */
  char *tmp = strbuf_detach(&out, NULL);
  strbuf_done(&out);
  char *res = az_redact_text(tmp);
  free(tmp);
  return res;
}

static bool b64url_char(char c)
{
  return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static bool value_char(char c)
{
  return c && c != '&' && c != ';' && c != '"' && c != '\'' && c != ' ' && c != '\n' && c != '\r' &&
         c != '\t' && c != '<' && c != ',' && c != '}';
}

/* Length of a JWT-looking run at s ("eyJ" header, two dots, base64url parts), or 0. */
static size_t jwt_len(const char *s)
{
  if (strncmp(s, "eyJ", 3) != 0)
    return 0;
  size_t i = 0;
  int dots = 0;
  for (;;) {
    while (b64url_char(s[i]))
      i++;
    if (s[i] == '.' && dots < 2) {
      dots++;
      i++;
      continue;
    }
    break;
  }
  return dots == 2 ? i : 0;
}

struct text_marker {
  const char *prefix; /* matched without case */
  bool until_value_end;
};

static const struct text_marker markers[] = {
  { "sig=", true },
  { "AccountKey=", true },
  { "SharedAccessSignature=", true },
  { "SharedAccessKey=", true },
  { "client_secret=", true },
  { "client_assertion=", true },
  { "refresh_token=", true },
  { "access_token=", true },
  { "device_code=", true },
  { "password=", true },
};

char *az_redact_text(const char *text)
{
  struct strbuf out;
  strbuf_init(&out, 0);
  const char *p = text;
  while (*p) {
    size_t jl = (p == text || !b64url_char(p[-1])) ? jwt_len(p) : 0;
    if (jl) {
      strbuf_puts(&out, AZ_REDACTED);
      p += jl;
      continue;
    }
    bool matched = false;
    bool at_word_start = p == text || !isalnum((unsigned char)p[-1]);
    for (size_t m = 0; at_word_start && m < sizeof(markers) / sizeof(markers[0]); m++) {
      size_t pl = strlen(markers[m].prefix);
      if (strncasecmp(p, markers[m].prefix, pl) == 0) {
        strbuf_append(&out, p, pl);
        p += pl;
        if (value_char(*p))
          strbuf_puts(&out, AZ_REDACTED);
        while (value_char(*p))
          p++;
        matched = true;
        break;
      }
    }
    if (matched)
      continue;
    /* "SharedKey account:signature" (an Authorization value quoted in a message) */
    if (strncmp(p, "SharedKey ", 10) == 0) {
      const char *colon = strchr(p + 10, ':');
      if (colon && (size_t)(colon - p) < 80) {
        strbuf_append(&out, p, (size_t)(colon - p) + 1);
        strbuf_puts(&out, AZ_REDACTED);
        p = colon + 1;
        while (*p && !isspace((unsigned char)*p) && *p != '"')
          p++;
        continue;
      }
    }
    if (strncasecmp(p, "Bearer ", 7) == 0 && p[7] && !isspace((unsigned char)p[7])) {
      strbuf_puts(&out, "Bearer ");
      strbuf_puts(&out, AZ_REDACTED);
      p += 7;
      while (*p && !isspace((unsigned char)*p) && *p != '"')
        p++;
      continue;
    }
    strbuf_putc(&out, *p++);
  }
  char *res = strbuf_detach(&out, NULL);
  strbuf_done(&out);
  return res;
}

static bool is_secret_key(const char *key)
{
  return in_list(key, strlen(key), secret_keys);
}

static void redact_json(json_t *node)
{
  if (json_is_object(node)) {
    const char *type = json_string_value(json_object_get(node, "type"));
    bool secure_string = type && strcasecmp(type, "SecureString") == 0;
    bool key_entry = json_object_get(node, "keyName") != NULL;
    const char *key;
    json_t *value;
    json_object_foreach(node, key, value)
    {
      bool secret =
          is_secret_key(key) || ((secure_string || key_entry) && strcasecmp(key, "value") == 0);
      if (secret && (json_is_string(value) || json_is_number(value))) {
        json_object_set_new(node, key, json_string(AZ_REDACTED));
      } else if (json_is_string(value)) {
        char *clean = az_redact_text(json_string_value(value));
        if (strcmp(clean, json_string_value(value)) != 0)
          json_object_set_new(node, key, json_string(clean));
        free(clean);
      } else {
        redact_json(value);
      }
    }
  } else if (json_is_array(node)) {
    size_t i;
    json_t *value;
    json_array_foreach(node, i, value)
    {
      if (json_is_string(value)) {
        char *clean = az_redact_text(json_string_value(value));
        if (strcmp(clean, json_string_value(value)) != 0)
          json_array_set_new(node, i, json_string(clean));
        free(clean);
      } else {
        redact_json(value);
      }
    }
  }
}

static bool content_type_is(const char *content_type, const char *what)
{
  return content_type && strncasecmp(content_type, what, strlen(what)) == 0;
}

char *az_redact_body(const char *content_type, const char *body, size_t len)
{
  if (!body || !len)
    return xstrdup("");
  if (content_type_is(content_type, "application/x-www-form-urlencoded")) {
    struct strbuf out;
    strbuf_init(&out, 0);
    redact_params(&out, body, len);
    char *tmp = strbuf_detach(&out, NULL);
    strbuf_done(&out);
    char *res = az_redact_text(tmp);
    free(tmp);
    return res;
  }
  /* Try JSON whatever the label says: error bodies are often labelled loosely. */
  json_error_t jerr;
  json_t *root = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  if (root) {
    redact_json(root);
    char *res = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(root);
    if (res) {
      char *copy = xstrdup(res);
      free(res);
      return copy;
    }
  }
  char *text = xstrndup(body, len);
  char *res = az_redact_text(text);
  xfree_secret(text);
  return res;
}
