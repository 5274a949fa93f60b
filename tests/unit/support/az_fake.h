/*
 * az_fake: the Azure client's test double. One object is both a transport (scripted
 * answers, every request recorded) and a clock (simulated time that only moves when the
 * client waits), so retry back-offs, token expiry and polling run instantly and exactly.
 *
 *   struct azfake *f = azfake_new();
 *   azfake_push(f, 429, "Retry-After: 2", "");        answers are taken in request order
 *   azfake_push(f, 200, "Content-Type: application/json", "{\"value\":[]}");
 *   struct az_client *c = azfake_client(f, "AzureCloud", azfake_secret_credential());
 *   ... az_call_wait(...) ...
 *   azfake_request(f, 1)->at_ms - azfake_request(f, 0)->at_ms == 2000
 *   az_client_delete(c); azfake_delete(f);
 * A handler (azfake_set_handler) may answer instead of the queue, e.g. by URL.
 */
#ifndef SYNWIZ_TESTS_AZ_FAKE_H
#define SYNWIZ_TESTS_AZ_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "azure/az_client.h"
#include "azure/az_credential.h"
#include "azure/az_transport.h"

struct azfake_reply {
  int status;
  char *headers; /* "Name: value\n..." */
  char *body;
  enum az_result fail; /* != AZ_OK: a transport failure instead of an answer */
  bool sent;           /* with `fail`: whether the request had left */
  int delay_ms;        /* simulated time until the answer arrives */
};

struct azfake_record {
  char *method;
  char *url;
  struct az_headers headers;
  char *body;
  size_t body_len;
  int64_t at_ms; /* simulated time the request went out */
};

struct azfake;
typedef bool (*azfake_handler)(struct azfake *f, const struct azfake_record *req,
                               struct azfake_reply *out, void *ud);

struct azfake *azfake_new(void);
void azfake_delete(struct azfake *f);
/** Queue an answer. `headers` is "Name: value" lines separated by '\n' (or NULL). */
void azfake_push(struct azfake *f, int status, const char *headers, const char *body);
void azfake_push_delayed(struct azfake *f, int delay_ms, int status, const char *headers,
                         const char *body);
void azfake_push_failure(struct azfake *f, enum az_result fail, bool sent);
void azfake_set_handler(struct azfake *f, azfake_handler fn, void *ud);
size_t azfake_count(const struct azfake *f);
const struct azfake_record *azfake_request(const struct azfake *f, size_t i);
size_t azfake_pending(const struct azfake *f); /* queued answers not used yet */
/** Count recorded requests whose URL contains `part`. */
size_t azfake_count_url(const struct azfake *f, const char *part);
int64_t azfake_now(const struct azfake *f);
void azfake_advance(struct azfake *f, int64_t ms);
/** How many times the client blocked in wait() (an idle loop must not spin). */
size_t azfake_waits(const struct azfake *f);
/** Transfers started and not answered. */
size_t azfake_inflight(const struct azfake *f);
/** Fix what random_u32 returns (jitter). */
void azfake_set_random(struct azfake *f, uint32_t v);
const struct az_clock *azfake_clock(struct azfake *f);
struct az_transport *azfake_transport(struct azfake *f);

/** A client on this fake for a built-in cloud; `log_path` NULL = no log. Takes `cred`. */
struct az_client *azfake_client_opts(struct azfake *f, const char *cloud,
                                     struct az_credential *cred, const char *log_path,
                                     int verbosity, FILE *dry_run);
struct az_client *azfake_client(struct azfake *f, const char *cloud, struct az_credential *cred);
/** A handler answering every token request ("tok", valid an hour), and nothing else. */
bool azfake_answer_tokens(struct azfake *f, const struct azfake_record *req,
                          struct azfake_reply *out, void *ud);
/** A new fake that answers every token request itself ("tok", valid an hour: its handler,
 * which a test may replace) and a client on it for AzureCloud with the secret credential:
 * where the tests of ARM and Synapse calls start. */
struct az_client *azfake_signed_in_client(struct azfake **out_fake);
/** A client-secret credential (tenant "t1", client "c1", secret "s3cr3t-value-123"). */
struct az_credential *azfake_secret_credential(void);
/** A token endpoint answer with `token` valid for `expires_in` seconds. */
char *azfake_token_body(const char *token, int expires_in);
/** A JWT-shaped (unsigned) token with the given claims JSON. */
char *azfake_jwt(const char *claims_json);
/** A fresh temporary directory under $TMPDIR (or /tmp). */
char *azfake_tempdir(void);
/** Remove a directory tree made by azfake_tempdir(). */
void azfake_rmtree(const char *path);
/** Read a whole file (NULL if missing). */
char *azfake_read_file(const char *path);

#endif
