/*
 * The libcurl transport: the multi interface (transfers run side by side and the client's
 * loop waits on them and on its extra fds at once with curl_multi_poll), connection reuse
 * through the multi handle's pool, TLS session reuse through a share handle, HTTP/2 when
 * the server offers it (CURL_HTTP_VERSION_2TLS, multiplexed), and TLS verification always
 * on: the system's CA store plus the cloud profile's ca_bundle.
 *
 * Trust: one X509_STORE per process (az_ca_store), given to every connection by
 * CURLOPT_SSL_CTX_FUNCTION with SSL_CTX_set1_cert_store; libcurl is told to load no CA
 * file itself (CURLOPT_CAINFO and CURLOPT_CAPATH NULL). libcurl's own CA cache
 * (CURLOPT_CA_CACHE_TIMEOUT, 7.87+) cannot do this job here, for two reasons found in
 * libcurl 7.88.1 (Debian 12): (1) lib/vtls/openssl.c caches a store only when no CApath
 * is set ("cache_criteria_met ... !conn_config->CApath"), and Debian builds libcurl with
 * --with-ca-path=/etc/ssl/certs, so every handle has a CApath by default
 * (CURLINFO_CAPATH says /etc/ssl/certs) and every new connection parsed
 * /etc/ssl/certs/ca-certificates.crt again (strace: one openat per connection); (2) the
 * cache lives in the multi handle, so even where it works it is per client, not per
 * process. Unsetting CApath alone would turn the cache on, but would drop the hashed
 * directory from the trust sources; az_ca_store keeps both, loaded from the paths libcurl
 * would have used, with the verification flags libcurl sets.
 *
 * Headers go out exactly as the pipeline built them: "Expect:" is always suppressed and a
 * request without Content-Type gets an empty one, so libcurl adds nothing that Shared Key
 * did not sign. Bodies are read through az_body (pread for file ranges) and answers written
 * through az_sink, so memory use does not grow with the size of what is moved.
 *
 * This is the only file of synwiz that includes curl.
 */
#include "azure/az_ca_store.h"
#include "azure/az_transport.h"
#include "azure/az_url.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#define CONNECT_TIMEOUT_MS 30000
#define STALL_SECONDS      120

struct curl_transport {
  struct az_transport base;
  CURLM *multi;
  CURLSH *share;        /* TLS sessions, so a new connection to a known host resumes; used from
                         * the client's one thread only, so it needs no lock functions */
  X509_STORE *ca_store; /* NULL when the system CA file is unreadable: connections fail */
  char *user_agent;
};

struct xfer {
  CURL *easy;
  struct curl_slist *headers;
  char errbuf[CURL_ERROR_SIZE];
  struct az_exchange *x;
  bool status_known;
};

static CURLcode use_ca_store(CURL *curl, void *ssl_ctx, void *userptr)
{
  (void)curl;
  struct curl_transport *ct = userptr;
  /* libcurl loaded no CA (CAINFO and CAPATH are NULL): without a store nothing verifies,
   * so the connection fails, as libcurl fails one whose CA file cannot be read. */
  if (!ct->ca_store)
    return CURLE_SSL_CACERT_BADFILE;
  SSL_CTX_set1_cert_store((SSL_CTX *)ssl_ctx, ct->ca_store);
  return CURLE_OK;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
  struct xfer *xf = ud;
  size_t len = size * n;
  if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
    /* A new answer (after 100 Continue, say): forget the previous one's headers. */
    az_headers_clear(&xf->x->response_headers);
    xf->status_known = false;
    return len;
  }
  az_headers_add_line(&xf->x->response_headers, data, len);
  return len;
}

static size_t on_write(char *data, size_t size, size_t n, void *ud)
{
  struct xfer *xf = ud;
  size_t len = size * n;
  if (!xf->status_known) {
    long code = 0;
    curl_easy_getinfo(xf->easy, CURLINFO_RESPONSE_CODE, &code);
    xf->x->sink->error_answer = code >= 300 && xf->x->sink->kind == AZ_SINK_FILE;
    xf->status_known = true;
  }
  return az_sink_write(xf->x->sink, data, len) ? len : 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
  struct xfer *xf = ud;
  ssize_t got = az_body_read(xf->x->body, buf, size * n);
  return got < 0 ? CURL_READFUNC_ABORT : (size_t)got;
}

static int on_seek(void *ud, curl_off_t offset, int origin)
{
  struct xfer *xf = ud;
  if (origin != SEEK_SET || offset < 0 || offset > az_body_size(xf->x->body))
    return CURL_SEEKFUNC_CANTSEEK;
  xf->x->body->pos = offset;
  return CURL_SEEKFUNC_OK;
}

static bool host_is_local(const char *url)
{
  char *host = az_url_host(url);
  if (!host)
    return false;
  size_t n = strlen(host);
  bool local = strcmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 ||
               strcmp(host, "::1") == 0 || strcmp(host, "169.254.169.254") == 0 ||
               (n > 10 && strcmp(host + n - 10, ".localhost") == 0);
  free(host);
  return local;
}

static struct curl_slist *build_headers(const struct az_headers *h)
{
  struct curl_slist *list = NULL;
  bool content_type = false;
  for (size_t i = 0; i < h->count; i++) {
    const char *name = h->items[i].name;
    const char *value = h->items[i].value;
    if (strcasecmp(name, "Content-Type") == 0)
      content_type = true;
    /* "Name;" is libcurl's spelling of a header with an empty value. */
    char *line = *value ? xasprintf("%s: %s", name, value) : xasprintf("%s;", name);
    list = curl_slist_append(list, line);
    xfree_secret(line);
  }
  list = curl_slist_append(list, "Expect:");
  if (!content_type)
    list = curl_slist_append(list, "Content-Type:");
  return list;
}

#define SET(opt, val)                              \
  do {                                             \
    if (curl_easy_setopt(e, opt, val) != CURLE_OK) \
      goto fail;                                   \
  } while (0)

static enum az_result ct_start(struct az_transport *t, struct az_exchange *x)
{
  struct curl_transport *ct = (struct curl_transport *)t;
  struct xfer *xf = xcalloc(1, sizeof(*xf));
  xf->x = x;
  CURL *e = curl_easy_init();
  xf->easy = e;
  if (!e)
    goto fail;
  xf->headers = build_headers(x->headers);
  SET(CURLOPT_URL, x->url);
  SET(CURLOPT_PRIVATE, xf);
  SET(CURLOPT_ERRORBUFFER, xf->errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  SET(CURLOPT_SSL_VERIFYPEER, 1L);
  SET(CURLOPT_SSL_VERIFYHOST, 2L);
  SET(CURLOPT_CAINFO, NULL);
  SET(CURLOPT_CAPATH, NULL);
#if LIBCURL_VERSION_NUM >= 0x075700  /* 7.87.0 */
  SET(CURLOPT_CA_CACHE_TIMEOUT, 0L); /* nothing for libcurl to cache: it loads no CA */
#endif
  SET(CURLOPT_SSL_CTX_FUNCTION, use_ca_store);
  SET(CURLOPT_SSL_CTX_DATA, ct);
  SET(CURLOPT_SHARE, ct->share);
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_TCP_KEEPALIVE, 1L);
  SET(CURLOPT_CONNECTTIMEOUT_MS,
      (long)(x->timeout_ms < CONNECT_TIMEOUT_MS ? x->timeout_ms : CONNECT_TIMEOUT_MS));
  SET(CURLOPT_TIMEOUT_MS, (long)x->timeout_ms);
  SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
  SET(CURLOPT_LOW_SPEED_TIME, (long)STALL_SECONDS);
  SET(CURLOPT_USERAGENT, ct->user_agent);
  SET(CURLOPT_HTTPHEADER, xf->headers);
  SET(CURLOPT_HEADERFUNCTION, on_header);
  SET(CURLOPT_HEADERDATA, xf);
  SET(CURLOPT_WRITEFUNCTION, on_write);
  SET(CURLOPT_WRITEDATA, xf);
  if (x->accept_encoding)
    SET(CURLOPT_ACCEPT_ENCODING, "");
  if (host_is_local(x->url))
    SET(CURLOPT_NOPROXY, "*"); /* loopback and IMDS never go through a proxy */

  int64_t size = x->body ? az_body_size(x->body) : 0;
  bool has_body = x->body && x->body->kind != AZ_BODY_NONE;
  if (strcasecmp(x->method, "GET") == 0 && !has_body) {
    SET(CURLOPT_HTTPGET, 1L);
  } else if (strcasecmp(x->method, "HEAD") == 0) {
    SET(CURLOPT_NOBODY, 1L);
  } else if (strcasecmp(x->method, "POST") == 0) {
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
    SET(CURLOPT_READFUNCTION, on_read);
    SET(CURLOPT_READDATA, xf);
    SET(CURLOPT_SEEKFUNCTION, on_seek);
    SET(CURLOPT_SEEKDATA, xf);
  } else if (has_body || strcasecmp(x->method, "PUT") == 0 || strcasecmp(x->method, "PATCH") == 0) {
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
    SET(CURLOPT_READFUNCTION, on_read);
    SET(CURLOPT_READDATA, xf);
    SET(CURLOPT_SEEKFUNCTION, on_seek);
    SET(CURLOPT_SEEKDATA, xf);
    SET(CURLOPT_CUSTOMREQUEST, x->method);
  } else {
    SET(CURLOPT_CUSTOMREQUEST, x->method);
  }
  if (curl_multi_add_handle(ct->multi, e) != CURLM_OK)
    goto fail;
  x->transport_data = xf;
  return AZ_OK;
fail:
  if (e)
    curl_easy_cleanup(e);
  curl_slist_free_all(xf->headers);
  free(xf);
  return AZ_E_INVALID_ARG;
}

#undef SET

static void free_xfer(struct curl_transport *ct, struct xfer *xf)
{
  curl_multi_remove_handle(ct->multi, xf->easy);
  curl_easy_cleanup(xf->easy);
  curl_slist_free_all(xf->headers);
  free(xf);
}

static void ct_abort(struct az_transport *t, struct az_exchange *x)
{
  struct xfer *xf = x->transport_data;
  if (xf)
    free_xfer((struct curl_transport *)t, xf);
  x->transport_data = NULL;
}

static enum az_result map_code(CURLcode code, const struct az_sink *sink)
{
  switch (code) {
  case CURLE_OK:
    return AZ_OK;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
  case CURLE_SSL_CONNECT_ERROR:
    return AZ_E_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return AZ_E_TIMEOUT;
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_INVALIDCERTSTATUS:
    return AZ_E_TLS;
  case CURLE_WRITE_ERROR:
    return sink && sink->io_error ? AZ_E_IO : AZ_E_BAD_RESPONSE;
  case CURLE_READ_ERROR:
  case CURLE_ABORTED_BY_CALLBACK:
    return AZ_E_IO;
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return AZ_E_INVALID_ARG;
  default:
    return AZ_E_NETWORK;
  }
}

static void ct_perform(struct az_transport *t)
{
  struct curl_transport *ct = (struct curl_transport *)t;
  int running = 0;
  curl_multi_perform(ct->multi, &running);
  CURLMsg *msg;
  int left = 0;
  while ((msg = curl_multi_info_read(ct->multi, &left))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    struct xfer *xf = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&xf);
    struct az_exchange *x = xf->x;
    CURLcode code = msg->data.result;
    long status = 0, request_size = 0;
    curl_easy_getinfo(xf->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(xf->easy, CURLINFO_REQUEST_SIZE, &request_size);
    x->request_sent = request_size > 0;
    x->transport_result = map_code(code, x->sink);
    if (code == CURLE_OK) {
      x->status = (int)status;
    } else {
      x->status = 0;
      const char *why = xf->errbuf[0] ? xf->errbuf : curl_easy_strerror(code);
      if (x->sink && x->sink->overflow)
        why = "the answer was larger than synwiz accepts";
      snprintf(x->transport_message, sizeof(x->transport_message), "%s", why);
      size_t n = strlen(x->transport_message);
      while (n && x->transport_message[n - 1] == '\n')
        x->transport_message[--n] = '\0';
    }
    free_xfer(ct, xf);
    x->transport_data = NULL;
    x->on_complete(x);
  }
}

static int ct_wait(struct az_transport *t, const int *fds, size_t n, int timeout_ms,
                   int *out_readable)
{
  struct curl_transport *ct = (struct curl_transport *)t;
  struct curl_waitfd stack_fds[8];
  struct curl_waitfd *w = n <= 8 ? stack_fds : xcalloc(n, sizeof(*w));
  for (size_t i = 0; i < n; i++) {
    w[i].fd = fds[i];
    w[i].events = CURL_WAIT_POLLIN;
    w[i].revents = 0;
  }
  int numfds = 0;
  CURLMcode mc = curl_multi_poll(ct->multi, w, (unsigned int)n,
                                 timeout_ms < 0 ? INT_MAX : timeout_ms, &numfds);
  int readable = 0;
  for (size_t i = 0; i < n; i++) {
    if (w[i].revents & (CURL_WAIT_POLLIN | POLLHUP | POLLERR))
      readable++;
  }
  if (w != stack_fds)
    free(w);
  *out_readable = readable;
  return mc == CURLM_OK ? 0 : -1;
}

static void transport_free(struct curl_transport *ct);

static void ct_destroy(struct az_transport *t)
{
  transport_free((struct curl_transport *)t);
}

static const struct az_transport_ops curl_ops = { ct_start, ct_abort, ct_perform, ct_wait,
                                                  ct_destroy };

/* Where libcurl itself would read the system's CAs: its built-in defaults (Debian:
 * /etc/ssl/certs/ca-certificates.crt and /etc/ssl/certs), or, when it was built without
 * any (or is older than 7.84 and cannot say), OpenSSL's default locations, which are what
 * libcurl's CA fallback loads. */
static void system_ca_paths(char **file, char **dir)
{
  *file = NULL;
  *dir = NULL;
#if LIBCURL_VERSION_NUM >= 0x075400 /* 7.84.0: CURLINFO_CAINFO, CURLINFO_CAPATH */
  CURL *e = curl_easy_init();
  if (e) {
    char *v = NULL;
    if (curl_easy_getinfo(e, CURLINFO_CAINFO, &v) == CURLE_OK && v)
      *file = xstrdup(v);
    v = NULL;
    if (curl_easy_getinfo(e, CURLINFO_CAPATH, &v) == CURLE_OK && v)
      *dir = xstrdup(v);
    curl_easy_cleanup(e);
  }
#endif
  if (!*file && !*dir) {
    const char *f = getenv(X509_get_default_cert_file_env());
    const char *d = getenv(X509_get_default_cert_dir_env());
    *file = xstrdup(f && *f ? f : X509_get_default_cert_file());
    *dir = xstrdup(d && *d ? d : X509_get_default_cert_dir());
  }
}

static void transport_free(struct curl_transport *ct)
{
  if (ct->multi)
    curl_multi_cleanup(ct->multi);
  if (ct->share)
    curl_share_cleanup(ct->share);
  X509_STORE_free(ct->ca_store);
  free(ct->user_agent);
  free(ct);
}

enum az_result az_curl_transport_new(const struct az_curl_options *opts, struct az_transport **out)
{
  static bool global_done;
  if (!global_done) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return AZ_E_CONFIG;
    global_done = true;
  }
  struct curl_transport *ct = xcalloc(1, sizeof(*ct));
  ct->base.ops = &curl_ops;
  ct->multi = curl_multi_init();
  ct->share = curl_share_init();
  if (!ct->multi || !ct->share ||
      curl_share_setopt(ct->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
    transport_free(ct);
    return AZ_E_CONFIG;
  }
  char *sys_file, *sys_dir;
  system_ca_paths(&sys_file, &sys_dir);
  enum az_result r =
      az_ca_store_get(sys_file, sys_dir, opts ? opts->ca_bundle : NULL, &ct->ca_store);
  free(sys_file);
  free(sys_dir);
  /* An unreadable extra CA file is the profile's mistake, told now; an unreadable system
   * bundle fails each connection later, as it did when libcurl read it. */
  if (r == AZ_E_CONFIG) {
    transport_free(ct);
    return AZ_E_CONFIG;
  }
  ct->user_agent = xstrdup(opts && opts->user_agent ? opts->user_agent : "synwiz");
  curl_multi_setopt(ct->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    (long)(opts && opts->max_host_connections ? opts->max_host_connections : 8));
  curl_multi_setopt(ct->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  *out = &ct->base;
  return AZ_OK;
}
