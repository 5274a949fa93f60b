/* Client assertions (API.md A.4) built from a PEM certificate and verified with OpenSSL:
 * signature, header thumbprints (x5t#S256 and x5t), claims; plus the token requests every
 * credential kind describes, and reading a token's claims. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "support/az_fake.h"
#include "azure/az_certificate.h"
#include "azure/az_credential.h"
#include "azure/az_jwt.h"
#include "util/encode.h"
#include "util/paths.h"
#include "util/xalloc.h"

struct fixture {
  char *dir;
  char *pem;
  EVP_PKEY *key;
  X509 *cert;
};

/* A fresh RSA key and self-signed certificate, written as one PEM file (key + cert). */
static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->dir = azfake_tempdir();
  fx->pem = paths_join(fx->dir, "sp.pem");
  fx->key = EVP_RSA_gen(2048);
  fx->cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(fx->cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(fx->cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(fx->cert), 3600);
  X509_set_pubkey(fx->cert, fx->key);
  X509_NAME *name = X509_get_subject_name(fx->cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"synwiz-test", -1, -1,
                             0);
  X509_set_issuer_name(fx->cert, name);
  X509_sign(fx->cert, fx->key, EVP_sha256());
  FILE *f = fopen(fx->pem, "w");
  PEM_write_PrivateKey(f, fx->key, NULL, NULL, 0, NULL, NULL);
  PEM_write_X509(f, fx->cert);
  fclose(f);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  unlink(fx->pem);
  rmdir(fx->dir);
  free(fx->pem);
  free(fx->dir);
  EVP_PKEY_free(fx->key);
  X509_free(fx->cert);
  free(fx);
  return 0;
}

static json_t *decode_part(const char *start, size_t len)
{
  char *part = xstrndup(start, len);
  size_t n = 0;
  unsigned char *raw = b64url_decode(part, &n);
  free(part);
  assert_non_null(raw);
  json_t *j = json_loadb((const char *)raw, n, 0, NULL);
  free(raw);
  assert_non_null(j);
  return j;
}

static char *thumb(X509 *cert, const EVP_MD *md)
{
  unsigned char *der = NULL;
  int len = i2d_X509(cert, &der);
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int dl = 0;
  EVP_Digest(der, (size_t)len, d, &dl, md, NULL);
  OPENSSL_free(der);
  return b64url_encode(d, dl);
}

static void assertion_verifies_with_openssl(void **state)
{
  struct fixture *fx = *state;
  struct az_certificate *cert = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_certificate_load(fx->pem, &cert, &err), AZ_OK);
  const char *aud = "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token";
  char *jwt = az_jwt_client_assertion(cert, "app-1", aud, 1767225600, "jti-1");
  assert_non_null(jwt);
  const char *dot1 = strchr(jwt, '.');
  const char *dot2 = strchr(dot1 + 1, '.');
  assert_non_null(dot2);
  assert_null(strchr(dot2 + 1, '.'));
  assert_null(strchr(jwt, '=')); /* base64url without padding */

  json_t *header = decode_part(jwt, (size_t)(dot1 - jwt));
  assert_string_equal(json_string_value(json_object_get(header, "alg")), "RS256");
  assert_string_equal(json_string_value(json_object_get(header, "typ")), "JWT");
  char *s256 = thumb(fx->cert, EVP_sha256());
  char *s1 = thumb(fx->cert, EVP_sha1());
  assert_string_equal(json_string_value(json_object_get(header, "x5t#S256")), s256);
  assert_string_equal(json_string_value(json_object_get(header, "x5t")), s1);
  free(s256);
  free(s1);
  json_decref(header);

  json_t *claims = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
  assert_string_equal(json_string_value(json_object_get(claims, "aud")), aud);
  assert_string_equal(json_string_value(json_object_get(claims, "iss")), "app-1");
  assert_string_equal(json_string_value(json_object_get(claims, "sub")), "app-1");
  assert_string_equal(json_string_value(json_object_get(claims, "jti")), "jti-1");
  assert_int_equal(json_integer_value(json_object_get(claims, "nbf")), 1767225600);
  assert_int_equal(json_integer_value(json_object_get(claims, "iat")), 1767225600);
  assert_int_equal(json_integer_value(json_object_get(claims, "exp")), 1767225600 + 600);
  json_decref(claims);

  /* The signature: RSASSA-PKCS1-v1_5 with SHA-256 over "header.claims", by the cert's key. */
  size_t sig_len = 0;
  unsigned char *sig = b64url_decode(dot2 + 1, &sig_len);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_PKEY *pub = X509_get_pubkey(fx->cert);
  assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub), 1);
  assert_int_equal(
      EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)jwt, (size_t)(dot2 - jwt)), 1);
  /* ... and a changed claim no longer verifies. */
  char *tampered = xstrdup(jwt);
  tampered[dot1 - jwt + 5] ^= 1;
  EVP_MD_CTX_reset(ctx);
  EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub);
  assert_int_not_equal(
      EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)tampered, (size_t)(dot2 - jwt)),
      1);
  free(tampered);
  EVP_PKEY_free(pub);
  EVP_MD_CTX_free(ctx);
  free(sig);
  xfree_secret(jwt);
  az_certificate_delete(cert);
  az_error_done(&err);
}

static void certificate_credential_posts_an_assertion(void **state)
{
  struct fixture *fx = *state;
  struct az_certificate *cert = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_certificate_load(fx->pem, &cert, &err), AZ_OK);
  struct az_credential *cred = az_credential_certificate("tenant-1", "app-1", cert);
  struct az_cloud *cloud = az_cloud_builtin("AzureUSGovernment");
  struct az_token_request tr;
  assert_int_equal(
      az_credential_prepare(cred, cloud, cloud->arm_scope, NULL, 1767225600, &tr, &err), AZ_OK);
  assert_string_equal(tr.method, "POST");
  assert_string_equal(tr.url, "https://login.microsoftonline.us/tenant-1/oauth2/v2.0/token");
  assert_non_null(strstr(tr.body, "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-"
                                  "assertion-type%3Ajwt-bearer"));
  assert_non_null(strstr(tr.body, "client_assertion=eyJ"));
  assert_null(strstr(tr.body, "client_secret"));
  /* The assertion's audience is this cloud's token endpoint. */
  const char *a = strstr(tr.body, "client_assertion=") + strlen("client_assertion=");
  char *jwt = xstrndup(a, strcspn(a, "&"));
  json_t *claims = az_jwt_claims(jwt);
  assert_string_equal(json_string_value(json_object_get(claims, "aud")),
                      "https://login.microsoftonline.us/tenant-1/oauth2/v2.0/token");
  json_decref(claims);
  free(jwt);
  az_token_request_done(&tr);
  az_credential_delete(cred);
  az_cloud_delete(cloud);
  az_error_done(&err);
}

static void bad_certificate_files_are_refused(void **state)
{
  struct fixture *fx = *state;
  struct az_certificate *cert = NULL;
  struct az_error err;
  az_error_init(&err);
  char *only_cert = paths_join(fx->dir, "cert-only.pem");
  FILE *f = fopen(only_cert, "w");
  PEM_write_X509(f, fx->cert);
  fclose(f);
  assert_int_equal(az_certificate_load(only_cert, &cert, &err), AZ_E_CONFIG);
  assert_non_null(strstr(err.message, "private key"));
  assert_int_equal(az_certificate_load("/nonexistent/x.pem", &cert, &err), AZ_E_IO);
  unlink(only_cert);
  free(only_cert);
  az_error_done(&err);
}

static void managed_identity_requests(void **state)
{
  struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
  struct az_error err;
  az_error_init(&err);
  struct az_token_request tr;
  struct az_credential *imds = az_credential_managed_identity("mi-client", NULL, NULL);
  assert_int_equal(
      az_credential_prepare(imds, cloud, "https://storage.azure.com/.default", NULL, 0, &tr, &err),
      AZ_OK);
  assert_string_equal(tr.method, "GET");
  assert_string_equal(tr.url, "http://169.254.169.254/metadata/identity/oauth2/token?api-version="
                              "2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F&client_id="
                              "mi-client");
  assert_string_equal(az_headers_get(&tr.headers, "Metadata"), "true");
  az_token_request_done(&tr);
  az_credential_delete(imds);

  struct az_credential *app = az_credential_managed_identity(
      NULL, "http://127.0.0.1:41234/msi/token", "identity-header-secret");
  assert_int_equal(az_credential_prepare(app, cloud, cloud->arm_scope, NULL, 0, &tr, &err), AZ_OK);
  assert_string_equal(tr.url, "http://127.0.0.1:41234/msi/token?api-version=2019-08-01&resource="
                              "https%3A%2F%2Fmanagement.azure.com%2F");
  assert_string_equal(az_headers_get(&tr.headers, "X-IDENTITY-HEADER"), "identity-header-secret");
  az_token_request_done(&tr);

  /* IMDS answers its numbers as strings. */
  struct az_token tok;
  const char *body =
      "{\"access_token\":\"at\",\"expires_in\":\"3599\",\"expires_on\":\"1767229199\","
      "\"resource\":\"https://management.azure.com/\",\"token_type\":\"Bearer\"}";
  assert_int_equal(az_credential_parse(app, 200, NULL, body, strlen(body), 1767225600, &tok, &err),
                   AZ_OK);
  assert_string_equal(tok.access_token, "at");
  assert_int_equal(tok.expires_on, 1767229199);
  az_token_done(&tok);
  az_credential_delete(app);
  az_cloud_delete(cloud);
  az_error_done(&err);
}

static void secret_and_refresh_requests(void **state)
{
  struct az_cloud *cloud = az_cloud_builtin("AzureChinaCloud");
  struct az_error err;
  az_error_init(&err);
  struct az_token_request tr;
  struct az_credential *sp = az_credential_client_secret("t", "c", "a&b=c+d");
  assert_int_equal(az_credential_prepare(sp, cloud, cloud->arm_scope, NULL, 0, &tr, &err), AZ_OK);
  assert_string_equal(tr.url, "https://login.chinacloudapi.cn/t/oauth2/v2.0/token");
  assert_non_null(strstr(tr.body, "client_secret=a%26b%3Dc%2Bd"));
  assert_string_equal(az_headers_get(&tr.headers, "Content-Type"),
                      "application/x-www-form-urlencoded");
  az_token_request_done(&tr);
  az_credential_delete(sp);

  struct az_credential *user = az_credential_refresh_token("t", "pub", "rt-1");
  assert_int_equal(az_credential_prepare(user, cloud, cloud->synapse_scope, NULL, 0, &tr, &err),
                   AZ_OK);
  assert_non_null(strstr(tr.body, "grant_type=refresh_token"));
  assert_non_null(strstr(tr.body, "scope=https%3A%2F%2Fdev.azuresynapse.azure.cn%2F.default%20"
                                  "offline_access"));
  assert_non_null(strstr(tr.body, "refresh_token=rt-1"));
  az_token_request_done(&tr);
  /* Refresh tokens rotate: the newest replaces the old one. */
  struct az_token tok;
  const char *body = "{\"access_token\":\"at\",\"expires_in\":3600,\"refresh_token\":\"rt-2\"}";
  assert_int_equal(az_credential_parse(user, 200, NULL, body, strlen(body), 100, &tok, &err),
                   AZ_OK);
  assert_int_equal(tok.expires_on, 3700);
  assert_string_equal(user->refresh_token, "rt-2");
  az_token_done(&tok);
  az_credential_delete(user);
  az_cloud_delete(cloud);
  az_error_done(&err);
}

static void missing_secret_is_not_signed_in(void **state)
{
  unsetenv("AZURE_CLIENT_SECRET");
  struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
  struct az_error err;
  az_error_init(&err);
  struct az_token_request tr;
  struct az_credential *sp = az_credential_client_secret("t", "c", NULL);
  assert_int_equal(az_credential_prepare(sp, cloud, cloud->arm_scope, NULL, 0, &tr, &err),
                   AZ_E_NOT_SIGNED_IN);
  setenv("AZURE_CLIENT_SECRET", "from-env", 1);
  assert_int_equal(az_credential_prepare(sp, cloud, cloud->arm_scope, NULL, 0, &tr, &err), AZ_OK);
  assert_non_null(strstr(tr.body, "client_secret=from-env"));
  az_token_request_done(&tr);
  unsetenv("AZURE_CLIENT_SECRET");
  az_credential_delete(sp);
  az_cloud_delete(cloud);
  az_error_done(&err);
}

static void claims_of_a_token(void **state)
{
  char *t =
      azfake_jwt("{\"oid\":\"o-1\",\"tid\":\"t-1\",\"upn\":\"dana@contoso\",\"name\":\"Dana\"}");
  json_t *c = az_jwt_claims(t);
  assert_string_equal(json_string_value(json_object_get(c, "oid")), "o-1");
  json_decref(c);
  struct az_identity id;
  az_identity_init(&id);
  id.kind = AZ_IDENTITY_USER;
  assert_true(az_identity_learn(&id, t));
  assert_string_equal(id.object_id, "o-1");
  assert_string_equal(id.tenant_id, "t-1");
  assert_string_equal(id.username, "dana@contoso");
  assert_string_equal(id.display_name, "Dana");
  assert_false(az_identity_learn(&id, t));
  az_identity_done(&id);
  free(t);
  assert_null(az_jwt_claims("not-a-jwt"));
  assert_null(az_jwt_claims("a.!!!.c"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(assertion_verifies_with_openssl, setup, teardown),
    cmocka_unit_test_setup_teardown(certificate_credential_posts_an_assertion, setup, teardown),
    cmocka_unit_test_setup_teardown(bad_certificate_files_are_refused, setup, teardown),
    cmocka_unit_test(managed_identity_requests),
    cmocka_unit_test(secret_and_refresh_requests),
    cmocka_unit_test(missing_secret_is_not_signed_in),
    cmocka_unit_test(claims_of_a_token),
  };
  return cmocka_run_group_tests_name("az_jwt", tests, NULL, NULL);
}
