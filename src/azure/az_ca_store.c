/*
 * Two caches, both living until the process ends: the certificates of each file read
 * (held in an X509_STORE of their own, filled by X509_STORE_load_file, which is what
 * libcurl calls for CURLOPT_CAINFO, so a bundle is parsed exactly as before), and the
 * composed stores handed out. Composing copies references to the parsed certificates
 * (X509_STORE_add_cert takes a reference, it does not parse again), so a second store
 * with another extra file costs microseconds, not a second read of the system bundle.
 */
#include "azure/az_ca_store.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509_vfy.h>

struct parsed_file {
  char *path;
  X509_STORE *certs; /* NULL when the file could not be read */
  struct parsed_file *next;
};

struct az_ca_store {
  char *system_file;
  char *system_dir;
  char *extra_file;
  X509_STORE *store;
  struct az_ca_store *next;
};

static struct parsed_file *parsed;
static struct az_ca_store *composed;
static unsigned loads;

unsigned az_ca_store_loads(void)
{
  return loads;
}

static bool same(const char *a, const char *b)
{
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static X509_STORE *parse(const char *path)
{
  for (struct parsed_file *p = parsed; p; p = p->next) {
    if (strcmp(p->path, path) == 0)
      return p->certs;
  }
  struct parsed_file *p = xcalloc(1, sizeof(*p));
  p->path = xstrdup(path);
  p->certs = X509_STORE_new();
  loads++;
  if (p->certs && !X509_STORE_load_file(p->certs, path)) {
    X509_STORE_free(p->certs);
    p->certs = NULL;
  }
  /* A failure is remembered too: retrying it for every connection would read the
   * file again, and an unreadable file stays so for the few seconds synwiz runs. */
  p->next = parsed;
  parsed = p;
  return p->certs;
}

static void copy_objects(X509_STORE *to, X509_STORE *from)
{
  STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(from);
  for (int i = 0; i < sk_X509_OBJECT_num(objs); i++) {
    X509_OBJECT *o = sk_X509_OBJECT_value(objs, i);
    X509 *cert = X509_OBJECT_get0_X509(o);
    X509_CRL *crl = X509_OBJECT_get0_X509_CRL(o);
    /* add_cert fails on a duplicate (a CA in both files): not an error. */
    if (cert)
      X509_STORE_add_cert(to, cert);
    else if (crl)
      X509_STORE_add_crl(to, crl);
  }
}

static enum az_result compose(const char *system_file, const char *system_dir,
                              const char *extra_file, X509_STORE **out)
{
  X509_STORE *extra = NULL;
  if (extra_file && !(extra = parse(extra_file)))
    return AZ_E_CONFIG;
  X509_STORE *system = NULL;
  if (system_file && !(system = parse(system_file)))
    return AZ_E_TLS;
  X509_STORE *store = X509_STORE_new();
  if (!store)
    return AZ_E_TLS;
  if (system)
    copy_objects(store, system);
  if (extra)
    copy_objects(store, extra);
  /* The hashed directory is only a lookup method: it reads a certificate when a chain
   * needs an issuer the store lacks, as it did when libcurl set it up (CURLOPT_CAPATH). */
  if (system_dir && !X509_STORE_load_path(store, system_dir)) {
    X509_STORE_free(store);
    return AZ_E_TLS;
  }
  /* The flags libcurl's populate_x509_store sets on the stores it builds: trust is
   * exactly what it was, neither looser nor stricter. */
  X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
  *out = store;
  return AZ_OK;
}

enum az_result az_ca_store_get(const char *system_file, const char *system_dir,
                               const char *extra_file, X509_STORE **out)
{
  *out = NULL;
  for (struct az_ca_store *c = composed; c; c = c->next) {
    if (same(c->system_file, system_file) && same(c->system_dir, system_dir) &&
        same(c->extra_file, extra_file)) {
      if (!X509_STORE_up_ref(c->store))
        return AZ_E_TLS;
      *out = c->store;
      return AZ_OK;
    }
  }
  X509_STORE *store = NULL;
  enum az_result r = compose(system_file, system_dir, extra_file, &store);
  if (r != AZ_OK)
    return r;
  if (!X509_STORE_up_ref(store)) {
    X509_STORE_free(store);
    return AZ_E_TLS;
  }
  struct az_ca_store *c = xcalloc(1, sizeof(*c));
  c->system_file = system_file ? xstrdup(system_file) : NULL;
  c->system_dir = system_dir ? xstrdup(system_dir) : NULL;
  c->extra_file = extra_file ? xstrdup(extra_file) : NULL;
  c->store = store; /* the cache's reference; the up_ref above is the caller's */
  c->next = composed;
  composed = c;
  *out = store;
  return AZ_OK;
}
