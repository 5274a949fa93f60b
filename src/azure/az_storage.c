#include "azure/az_storage.h"
#include "azure/az_url.h"
#include "util/encode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

void az_storage_account_delete(struct az_storage_account *a)
{
  if (!a)
    return;
  free(a->name);
  free(a->blob_endpoint);
  if (a->key) {
    secure_wipe(a->key, a->key_len);
    free(a->key);
  }
  free(a);
}

static bool valid_account_name(const char *name)
{
  size_t n = strlen(name);
  if (n < 3 || n > 24)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]))
      return false;
  }
  return true;
}

enum az_result az_storage_account_new(const char *name, const char *endpoint, const char *key_b64,
                                      const struct az_cloud *cloud, struct az_storage_account **out,
                                      struct az_error *err)
{
  if (!name || !valid_account_name(name)) {
    az_error_set(err, AZ_E_INVALID_ARG,
                 "'%s' is not a storage account name (3-24 lower-case letters and digits)",
                 name ? name : "");
    return AZ_E_INVALID_ARG;
  }
  struct az_storage_account *a = xcalloc(1, sizeof(*a));
  a->name = xstrdup(name);
  if (endpoint && *endpoint) {
    char *base = xstrdup(endpoint);
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
      base[--n] = '\0';
    char *host = az_url_host(base);
    char *path = az_url_path_of(base);
    bool path_style = az_url_host_is_path_style(host);
    bool names_account = path[0] == '/' && strncmp(path + 1, name, strlen(name)) == 0;
    if (path_style && !names_account) {
      a->blob_endpoint = xasprintf("%s/%s", base, name);
      free(base);
    } else {
      a->blob_endpoint = base;
    }
    free(host);
    free(path);
  } else if (cloud) {
    a->blob_endpoint = xasprintf("https://%s.blob.%s", name, cloud->storage_suffix);
  } else {
    az_error_set(err, AZ_E_INVALID_ARG, "no blob endpoint for storage account %s", name);
    az_storage_account_delete(a);
    return AZ_E_INVALID_ARG;
  }
  if (key_b64) {
    a->key = b64_decode(key_b64, &a->key_len);
    if (!a->key || a->key_len == 0) {
      az_error_set(err, AZ_E_INVALID_ARG, "the account key of %s is not valid base64", name);
      az_storage_account_delete(a);
      return AZ_E_INVALID_ARG;
    }
  }
  *out = a;
  return AZ_OK;
}

enum az_result az_storage_account_from_connection_string(const char *cs,
                                                         const struct az_cloud *cloud,
                                                         struct az_storage_account **out,
                                                         struct az_error *err)
{
  char *copy = xstrdup(cs);
  char *name = NULL, *key = NULL, *blob = NULL, *proto = NULL, *suffix = NULL;
  bool dev = false, sas = false;
  char *p = copy;
  while (p && *p) {
    char *semi = strchr(p, ';');
    if (semi)
      *semi = '\0';
    char *eq = strchr(p, '=');
    if (eq) {
      *eq = '\0';
      const char *v = eq + 1;
      if (strcasecmp(p, "AccountName") == 0)
        name = xstrdup(v);
      else if (strcasecmp(p, "AccountKey") == 0)
        key = xstrdup(v);
      else if (strcasecmp(p, "BlobEndpoint") == 0)
        blob = xstrdup(v);
      else if (strcasecmp(p, "DefaultEndpointsProtocol") == 0)
        proto = xstrdup(v);
      else if (strcasecmp(p, "EndpointSuffix") == 0)
        suffix = xstrdup(v);
      else if (strcasecmp(p, "UseDevelopmentStorage") == 0)
        dev = strcasecmp(v, "true") == 0;
      else if (strcasecmp(p, "SharedAccessSignature") == 0)
        sas = true;
    }
    p = semi ? semi + 1 : NULL;
  }
  secure_wipe(copy, strlen(cs));
  free(copy);
  enum az_result r = AZ_OK;
  if (dev) {
    /* Azurite's well-known development account (public, documented key). */
    free(name);
    free(key);
    free(blob);
    name = xstrdup("devstoreaccount1");
    key = xstrdup("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
                  "KBHBeksoGMGw==");
    blob = xstrdup("http://127.0.0.1:10000/devstoreaccount1");
  }
  if (sas && !key) {
    az_error_set(err, AZ_E_INVALID_ARG,
                 "connection strings with a shared access signature are not supported; use "
                 "one with AccountKey, or sign in with Entra ID");
    r = AZ_E_INVALID_ARG;
  } else if (!name) {
    az_error_set(err, AZ_E_INVALID_ARG, "the connection string has no AccountName");
    r = AZ_E_INVALID_ARG;
  } else {
    if (!blob && suffix)
      blob = xasprintf("%s://%s.blob.%s", proto ? proto : "https", name, suffix);
    r = az_storage_account_new(name, blob, key, cloud, out, err);
  }
  free(name);
  xfree_secret(key);
  free(blob);
  free(proto);
  free(suffix);
  return r;
}

void az_http_date(int64_t wall_ms, char out[64])
{
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  time_t t = (time_t)(wall_ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
           months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

struct kv {
  char *name;
  char *value;
};

static int kv_cmp(const void *a, const void *b)
{
  const struct kv *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : strcmp(x->value, y->value);
}

static char *lower(const char *s, size_t n)
{
  char *d = xstrndup(s, n);
  for (char *p = d; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return d;
}

/* Header value with surrounding white space trimmed and line folding unfolded. */
static char *canonical_value(const char *v)
{
  while (*v == ' ' || *v == '\t')
    v++;
  struct strbuf sb;
  strbuf_init(&sb, 0);
  for (const char *p = v; *p; p++) {
    if (*p == '\r' || *p == '\n') {
      while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ' || p[1] == '\t')
        p++;
      strbuf_putc(&sb, ' ');
    } else {
      strbuf_putc(&sb, *p);
    }
  }
  while (sb.len && (sb.buf[sb.len - 1] == ' ' || sb.buf[sb.len - 1] == '\t'))
    sb.buf[--sb.len] = '\0';
  char *res = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return res;
}

static void free_kvs(struct kv *kvs, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(kvs[i].name);
    free(kvs[i].value);
  }
  free(kvs);
}

/* name:value lines, sorted by name, repeated names joined with ','. */
static void put_sorted(struct strbuf *sb, struct kv *kvs, size_t n, bool leading_newline,
                       bool sort_values)
{
  if (sort_values)
    qsort(kvs, n, sizeof(*kvs), kv_cmp);
  else {
    /* stable by name only: insertion sort keeps the order values were sent in */
    for (size_t i = 1; i < n; i++) {
      struct kv t = kvs[i];
      size_t j = i;
      while (j > 0 && strcmp(kvs[j - 1].name, t.name) > 0) {
        kvs[j] = kvs[j - 1];
        j--;
      }
      kvs[j] = t;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(kvs[i].name, kvs[i - 1].name) == 0) {
      strbuf_putc(sb, ',');
      strbuf_puts(sb, kvs[i].value);
      continue;
    }
    if (leading_newline)
      strbuf_putc(sb, '\n');
    else if (i > 0)
      strbuf_putc(sb, '\n');
    strbuf_printf(sb, "%s:%s", kvs[i].name, kvs[i].value);
  }
}

char *az_shared_key_string_to_sign(const char *account, const char *method, const char *url,
                                   const struct az_headers *headers, int64_t content_length)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  strbuf_puts(&sb, method);
  strbuf_putc(&sb, '\n');
  static const char *const standard[] = {
    "Content-Encoding",
    "Content-Language",
    NULL /* Content-Length */,
    "Content-MD5",
    "Content-Type",
    "Date",
    "If-Modified-Since",
    "If-Match",
    "If-None-Match",
    "If-Unmodified-Since",
    "Range",
  };
  for (size_t i = 0; i < sizeof(standard) / sizeof(standard[0]); i++) {
    if (!standard[i]) {
      if (content_length > 0)
        strbuf_printf(&sb, "%lld", (long long)content_length);
    } else {
      const char *v = az_headers_get(headers, standard[i]);
      if (v)
        strbuf_puts(&sb, v);
    }
    strbuf_putc(&sb, '\n');
  }
  /* CanonicalizedHeaders: x-ms-* only, each followed by a newline. */
  struct kv *kvs = xcalloc(headers->count + 1, sizeof(*kvs));
  size_t n = 0;
  for (size_t i = 0; i < headers->count; i++) {
    const char *name = headers->items[i].name;
    if (strncasecmp(name, "x-ms-", 5) != 0)
      continue;
    kvs[n].name = lower(name, strlen(name));
    kvs[n].value = canonical_value(headers->items[i].value);
    n++;
  }
  put_sorted(&sb, kvs, n, false, false);
  if (n)
    strbuf_putc(&sb, '\n');
  free_kvs(kvs, n);
  /* CanonicalizedResource */
  char *path = az_url_path_of(url);
  strbuf_printf(&sb, "/%s%s", account, path);
  free(path);
  char *query = az_url_query_of(url);
  if (query && *query) {
    size_t cap = 1;
    for (const char *q = query; *q; q++)
      cap += *q == '&';
    kvs = xcalloc(cap, sizeof(*kvs));
    n = 0;
    char *p = query;
    while (p) {
      char *amp = strchr(p, '&');
      if (amp)
        *amp = '\0';
      if (*p) {
        char *eq = strchr(p, '=');
        char *rawname = eq ? xstrndup(p, (size_t)(eq - p)) : xstrdup(p);
        char *dname = az_url_decode(rawname, strlen(rawname));
        kvs[n].name = lower(dname, strlen(dname));
        kvs[n].value = eq ? az_url_decode(eq + 1, strlen(eq + 1)) : xstrdup("");
        free(rawname);
        free(dname);
        n++;
      }
      p = amp ? amp + 1 : NULL;
    }
    put_sorted(&sb, kvs, n, true, true);
    free_kvs(kvs, n);
  }
  free(query);
  char *res = strbuf_detach(&sb, NULL);
  strbuf_done(&sb);
  return res;
}

void az_shared_key_sign(const struct az_storage_account *a, const char *method, const char *url,
                        struct az_headers *headers, int64_t content_length)
{
  az_headers_remove(headers, "Authorization");
  char *sts = az_shared_key_string_to_sign(a->name, method, url, headers, content_length);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), a->key, (int)a->key_len, (const unsigned char *)sts, strlen(sts), mac,
       &mac_len);
  free(sts);
  char *sig = b64_encode(mac, mac_len);
  secure_wipe(mac, sizeof(mac));
  char *value = xasprintf("SharedKey %s:%s", a->name, sig);
  az_headers_set(headers, "Authorization", value);
  xfree_secret(value);
  xfree_secret(sig);
}
