/* Shared Key signing (API.md E.2) against the string-to-sign examples of Microsoft's
 * "Authorize with Shared Key" page and a signature Azurite accepted for a path-style
 * request; plus storage accounts from names, endpoints and connection strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "azure/az_blob.h"
#include "azure/az_storage.h"
#include "util/xalloc.h"

/* Azurite's published development key. */
#define DEV_KEY \
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

static struct az_storage_account *account(const char *name, const char *endpoint, const char *key)
{
  struct az_storage_account *a = NULL;
  struct az_error err;
  az_error_init(&err);
  struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
  assert_int_equal(az_storage_account_new(name, endpoint, key, cloud, &a, &err), AZ_OK);
  az_cloud_delete(cloud);
  az_error_done(&err);
  return a;
}

static void docs_example_string_to_sign(void **state)
{
  /* "Get Container Metadata" with timeout=20, the page's full example. */
  struct az_headers h;
  az_headers_init(&h);
  az_headers_add(&h, "x-ms-version", "2015-02-21");
  az_headers_add(&h, "x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT");
  const char *url = "https://myaccount.blob.core.windows.net/"
                    "mycontainer?restype=container&comp=metadata&timeout=20";
  char *sts = az_shared_key_string_to_sign("myaccount", "GET", url, &h, 0);
  assert_string_equal(sts, "GET\n\n\n\n\n\n\n\n\n\n\n\n"
                           "x-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n"
                           "/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  free(sts);
  /* The signature, checked against `openssl dgst -sha256 -mac HMAC` over the same text. */
  struct az_storage_account *a = account("myaccount", NULL, DEV_KEY);
  az_shared_key_sign(a, "GET", url, &h, 0);
  assert_string_equal(az_headers_get(&h, "Authorization"),
                      "SharedKey myaccount:1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=");
  az_storage_account_delete(a);
  az_headers_done(&h);
}

static const char *resource_of(const char *sts)
{
  /* The canonicalized resource starts at the first line that begins with '/'. */
  const char *p = strstr(sts, "\n/");
  return p ? p + 1 : NULL;
}

static void docs_canonicalized_resources(void **state)
{
  struct az_headers h;
  az_headers_init(&h);
  char *sts = az_shared_key_string_to_sign(
      "myaccount", "GET",
      "http://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata", &h, 0);
  assert_string_equal(resource_of(sts), "/myaccount/mycontainer\ncomp:metadata\nrestype:container");
  free(sts);
  sts = az_shared_key_string_to_sign(
      "myaccount", "GET",
      "http://myaccount.blob.core.windows.net/container?restype=container&comp=list&include="
      "snapshots&include=metadata&include=uncommittedblobs",
      &h, 0);
  assert_string_equal(resource_of(sts), "/myaccount/container\ncomp:list\n"
                                        "include:metadata,snapshots,uncommittedblobs\n"
                                        "restype:container");
  free(sts);
  sts = az_shared_key_string_to_sign(
      "myaccount", "GET", "https://myaccount-secondary.blob.core.windows.net/mycontainer/myblob",
      &h, 0);
  assert_string_equal(resource_of(sts), "/myaccount/mycontainer/myblob");
  free(sts);
  az_headers_done(&h);
}

static void path_style_names_the_account_twice(void **state)
{
  /* A Delete Container Azurite accepted (its public test suite records this signature). */
  struct az_storage_account *a = account("devstoreaccount1", "http://127.0.0.1:10000", DEV_KEY);
  assert_string_equal(a->blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  char *url = az_blob_url(a, "test-og-images-d51d37d5-3f15-4aa5-a707-b90a0081010f", NULL);
  char *full = xasprintf("%s?restype=container", url);
  struct az_headers h;
  az_headers_init(&h);
  az_headers_add(&h, "x-ms-version", "2022-11-02");
  az_headers_add(&h, "x-ms-date", "Sat, 27 May 2023 14:48:31 GMT");
  az_headers_add(&h, "x-ms-client-request-id", "8eb16762-0585-4cfb-b19c-2bc14c01ac84");
  char *sts = az_shared_key_string_to_sign(a->name, "DELETE", full, &h, 0);
  assert_non_null(strstr(sts, "\n/devstoreaccount1/devstoreaccount1/test-og-images-"));
  free(sts);
  az_shared_key_sign(a, "DELETE", full, &h, 0);
  assert_string_equal(az_headers_get(&h, "Authorization"),
                      "SharedKey devstoreaccount1:QWGhSZroOflyLOYur8w6uKeUgYs4IhiM98sJSg+Amxg=");
  az_headers_done(&h);
  free(full);
  free(url);
  az_storage_account_delete(a);
  /* Product style (a host name, also *.localhost) keeps the account out of the path. */
  a = account("contosolake", "https://contosolake.blob.sandbox.localhost:44310", DEV_KEY);
  assert_string_equal(a->blob_endpoint, "https://contosolake.blob.sandbox.localhost:44310");
  az_storage_account_delete(a);
  a = account("devstoreaccount1", "http://localhost:10000/", DEV_KEY);
  assert_string_equal(a->blob_endpoint, "http://localhost:10000/devstoreaccount1");
  az_storage_account_delete(a);
  a = account("devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1", DEV_KEY);
  assert_string_equal(a->blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  az_storage_account_delete(a);
}

static void standard_headers_and_length(void **state)
{
  struct az_headers h;
  az_headers_init(&h);
  az_headers_add(&h, "Content-Type", "text/plain");
  az_headers_add(&h, "X-MS-Version", "  2021-12-02  ");
  az_headers_add(&h, "x-ms-blob-type", "BlockBlob");
  az_headers_add(&h, "x-ms-date", "Mon, 06 Jan 2025 10:00:00 GMT");
  az_headers_add(&h, "Range", "bytes=0-9");
  az_headers_add(&h, "Accept", "application/json"); /* not signed */
  char *sts = az_shared_key_string_to_sign(
      "acct", "PUT", "https://acct.blob.core.windows.net/c/dir/a%20b.csv", &h, 11);
  assert_string_equal(sts, "PUT\n\n\n11\n\ntext/plain\n\n\n\n\n\nbytes=0-9\n"
                           "x-ms-blob-type:BlockBlob\nx-ms-date:Mon, 06 Jan 2025 10:00:00 GMT\n"
                           "x-ms-version:2021-12-02\n/acct/c/dir/a%20b.csv");
  free(sts);
  /* A zero length is signed as an empty line (x-ms-version >= 2015-02-21). */
  az_headers_remove(&h, "Range");
  sts = az_shared_key_string_to_sign("acct", "PUT", "https://acct.blob.core.windows.net/c", &h, 0);
  assert_memory_equal(sts, "PUT\n\n\n\n\ntext/plain\n", 19);
  free(sts);
  az_headers_done(&h);
}

static void query_values_are_decoded_and_names_lowered(void **state)
{
  struct az_headers h;
  az_headers_init(&h);
  char *sts = az_shared_key_string_to_sign(
      "acct", "PUT", "https://acct.blob.core.windows.net/c/b?comp=block&BlockId=AAAA%2B%2F%3D%3D",
      &h, 4);
  assert_string_equal(resource_of(sts), "/acct/c/b\nblockid:AAAA+/==\ncomp:block");
  free(sts);
  az_headers_done(&h);
}

static void connection_strings(void **state)
{
  struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
  struct az_storage_account *a = NULL;
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_storage_account_from_connection_string(
                       "DefaultEndpointsProtocol=https;AccountName=contosolake;AccountKey=" DEV_KEY
                       ";BlobEndpoint=https://contosolake.blob.sandbox.localhost:44310/;",
                       cloud, &a, &err),
                   AZ_OK);
  assert_string_equal(a->name, "contosolake");
  assert_string_equal(a->blob_endpoint, "https://contosolake.blob.sandbox.localhost:44310");
  assert_int_equal(a->key_len, 64);
  az_storage_account_delete(a);
  assert_int_equal(az_storage_account_from_connection_string(
                       "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" DEV_KEY
                       ";EndpointSuffix=core.chinacloudapi.cn",
                       cloud, &a, &err),
                   AZ_OK);
  assert_string_equal(a->blob_endpoint, "https://acct.blob.core.chinacloudapi.cn");
  az_storage_account_delete(a);
  assert_int_equal(
      az_storage_account_from_connection_string("UseDevelopmentStorage=true", cloud, &a, &err),
      AZ_OK);
  assert_string_equal(a->blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  az_storage_account_delete(a);
  assert_int_equal(
      az_storage_account_from_connection_string(
          "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1&sig=x", cloud,
          &a, &err),
      AZ_E_INVALID_ARG);
  assert_int_equal(
      az_storage_account_from_connection_string("AccountKey=" DEV_KEY, cloud, &a, &err),
      AZ_E_INVALID_ARG);
  assert_int_equal(az_storage_account_new("Bad_Name", NULL, NULL, cloud, &a, &err),
                   AZ_E_INVALID_ARG);
  az_error_done(&err);
  az_cloud_delete(cloud);
}

static void blob_urls_parse_both_styles(void **state)
{
  char *acct, *endpoint, *container, *blob;
  assert_true(
      az_blob_parse_url("https://contosolake.blob.sandbox.localhost:44310/raw/dir/a%20b.csv", &acct,
                        &endpoint, &container, &blob));
  assert_string_equal(acct, "contosolake");
  assert_string_equal(endpoint, "https://contosolake.blob.sandbox.localhost:44310");
  assert_string_equal(container, "raw");
  assert_string_equal(blob, "dir/a b.csv");
  free(acct);
  free(endpoint);
  free(container);
  free(blob);
  assert_true(az_blob_parse_url("http://127.0.0.1:10000/devstoreaccount1/c/x", &acct, &endpoint,
                                &container, &blob));
  assert_string_equal(acct, "devstoreaccount1");
  assert_string_equal(endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  assert_string_equal(container, "c");
  assert_string_equal(blob, "x");
  free(acct);
  free(endpoint);
  free(container);
  free(blob);
  assert_false(az_blob_parse_url("https://acct.blob.core.windows.net/", &acct, &endpoint,
                                 &container, &blob));
}

static void http_dates_ignore_the_locale(void **state)
{
  char d[64];
  az_http_date(1736157600000LL, d); /* 2025-01-06T10:00:00Z */
  assert_string_equal(d, "Mon, 06 Jan 2025 10:00:00 GMT");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(docs_example_string_to_sign),
    cmocka_unit_test(docs_canonicalized_resources),
    cmocka_unit_test(path_style_names_the_account_twice),
    cmocka_unit_test(standard_headers_and_length),
    cmocka_unit_test(query_values_are_decoded_and_names_lowered),
    cmocka_unit_test(connection_strings),
    cmocka_unit_test(blob_urls_parse_both_styles),
    cmocka_unit_test(http_dates_ignore_the_locale),
  };
  return cmocka_run_group_tests_name("az_sharedkey", tests, NULL, NULL);
}
