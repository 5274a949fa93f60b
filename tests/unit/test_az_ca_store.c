/* The process's CA store (issue 14): each file parsed once however many stores are asked
 * for, the same store for the same files, an extra CA trusted beside the system's, a
 * certificate from anyone else refused, and the failures that must stay failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "azure/az_ca_store.h"

struct pki {
  EVP_PKEY *key;
  X509 *ca;
  X509 *leaf;     /* signed by ca */
  X509 *stranger; /* self-signed, trusted by nobody */
  char dir[64];
  char ca_path[96];
  char two_path[96]; /* ca and stranger: a "system bundle" */
};

static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, bool ca)
{
  X509 *x = X509_new();
  assert_non_null(x);
  ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(strlen(cn) + (ca ? 100 : 0)));
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME *name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
  if (ca) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext =
        X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    assert_non_null(ext);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  assert_true(X509_sign(x, key, EVP_sha256()) > 0);
  return x;
}

static void write_pem(const char *path, X509 *a, X509 *b)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  PEM_write_X509(f, a);
  if (b)
    PEM_write_X509(f, b);
  fclose(f);
}

static int setup(void **state)
{
  struct pki *p = calloc(1, sizeof(*p));
  p->key = EVP_RSA_gen(2048);
  assert_non_null(p->key);
  p->ca = make_cert(p->key, "test ca", NULL, true);
  p->leaf = make_cert(p->key, "leaf.sandbox.localhost", p->ca, false);
  p->stranger = make_cert(p->key, "stranger", NULL, true);
  snprintf(p->dir, sizeof(p->dir), "/tmp/az_ca_store.XXXXXX");
  assert_non_null(mkdtemp(p->dir));
  snprintf(p->ca_path, sizeof(p->ca_path), "%s/ca.pem", p->dir);
  snprintf(p->two_path, sizeof(p->two_path), "%s/system.pem", p->dir);
  write_pem(p->ca_path, p->ca, NULL);
  write_pem(p->two_path, p->stranger, p->ca);
  *state = p;
  return 0;
}

static int teardown(void **state)
{
  struct pki *p = *state;
  unlink(p->ca_path);
  unlink(p->two_path);
  rmdir(p->dir);
  X509_free(p->ca);
  X509_free(p->leaf);
  X509_free(p->stranger);
  EVP_PKEY_free(p->key);
  free(p);
  return 0;
}

static bool verifies(X509_STORE *store, X509 *cert)
{
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  assert_non_null(ctx);
  assert_true(X509_STORE_CTX_init(ctx, store, cert, NULL));
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  return ok;
}

static void parsed_once_and_shared(void **state)
{
  struct pki *p = *state;
  unsigned before = az_ca_store_loads();
  X509_STORE *a = NULL, *b = NULL, *c = NULL;
  assert_int_equal(az_ca_store_get(NULL, NULL, p->ca_path, &a), AZ_OK);
  assert_int_equal(az_ca_store_loads(), before + 1);
  for (int i = 0; i < 20; i++) {
    assert_int_equal(az_ca_store_get(NULL, NULL, p->ca_path, &b), AZ_OK);
    assert_ptr_equal(a, b); /* one store, one more reference */
    X509_STORE_free(b);
  }
  /* Another combination reuses the parsed file: a new store, no new read. */
  assert_int_equal(az_ca_store_get(p->ca_path, NULL, p->ca_path, &c), AZ_OK);
  assert_ptr_not_equal(a, c);
  assert_int_equal(az_ca_store_loads(), before + 1);
  assert_true(verifies(a, p->leaf));
  assert_true(verifies(c, p->leaf));
  X509_STORE_free(a);
  X509_STORE_free(c);
}

static void extra_beside_system(void **state)
{
  struct pki *p = *state;
  X509_STORE *sys_only = NULL, *with_extra = NULL, *none = NULL;
  /* The "system" bundle holds the stranger; the extra file the CA that signed the leaf. */
  assert_int_equal(az_ca_store_get(p->two_path, NULL, NULL, &sys_only), AZ_OK);
  assert_true(verifies(sys_only, p->stranger));
  assert_true(verifies(sys_only, p->leaf)); /* the test bundle has the CA too */
  assert_int_equal(az_ca_store_get(NULL, NULL, NULL, &none), AZ_OK);
  assert_false(verifies(none, p->leaf)); /* nothing trusted: nothing verifies */
  assert_false(verifies(none, p->stranger));
  assert_int_equal(az_ca_store_get(p->two_path, NULL, p->ca_path, &with_extra), AZ_OK);
  assert_true(verifies(with_extra, p->leaf));
  assert_true(verifies(with_extra, p->stranger));
  X509_STORE_free(sys_only);
  X509_STORE_free(with_extra);
  X509_STORE_free(none);
}

static void strangers_refused(void **state)
{
  struct pki *p = *state;
  X509_STORE *s = NULL;
  assert_int_equal(az_ca_store_get(NULL, NULL, p->ca_path, &s), AZ_OK);
  assert_false(verifies(s, p->stranger));
  X509_STORE_free(s);
}

static void failures_stay_failures(void **state)
{
  struct pki *p = *state;
  char missing[128];
  snprintf(missing, sizeof(missing), "%s/missing.pem", p->dir);
  X509_STORE *s = (X509_STORE *)1;
  unsigned loads = az_ca_store_loads();
  assert_int_equal(az_ca_store_get(NULL, NULL, missing, &s), AZ_E_CONFIG);
  assert_null(s);
  assert_int_equal(az_ca_store_get(missing, NULL, p->ca_path, &s), AZ_E_TLS);
  assert_null(s);
  /* Asked again (every connection would), as an extra or a system file: the failure is
   * remembered, the file tried once. */
  assert_int_equal(az_ca_store_get(missing, NULL, p->ca_path, &s), AZ_E_TLS);
  assert_int_equal(az_ca_store_loads(), loads + 1);
}

static void the_real_system_bundle(void **state)
{
  (void)state;
  const char *bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (access(bundle, R_OK) != 0)
    skip();
  X509_STORE *s = NULL;
  assert_int_equal(az_ca_store_get(bundle, "/etc/ssl/certs", NULL, &s), AZ_OK);
  assert_true(sk_X509_OBJECT_num(X509_STORE_get0_objects(s)) > 50);
  X509_STORE_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parsed_once_and_shared), cmocka_unit_test(extra_beside_system),
    cmocka_unit_test(strangers_refused),      cmocka_unit_test(failures_stay_failures),
    cmocka_unit_test(the_real_system_bundle),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
