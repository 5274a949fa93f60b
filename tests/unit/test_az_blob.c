/* Block blob transfers through the fake: uploads in equal-id blocks, several at a time, then
 * one block list; single Put Blob for small and empty files; a failed block fails the
 * upload without committing; ranged parallel downloads into a file renamed when complete;
 * container creation that tolerates an existing container. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/az_fake.h"
#include "azure/az_blob.h"
#include "azure/az_client.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define KEY \
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  struct az_storage_account *acct;
  char *dir;
  char *file;
  int64_t progress_done, progress_total;
  int progress_calls;
};

static const char content[] = "0123456789";

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  fx->client = azfake_client(fx->fake, "AzureCloud", NULL);
  struct az_error err;
  az_error_init(&err);
  assert_int_equal(az_storage_account_new("devstoreaccount1", "http://127.0.0.1:10000", KEY,
                                          az_client_cloud(fx->client), &fx->acct, &err),
                   AZ_OK);
  az_error_done(&err);
  fx->dir = azfake_tempdir();
  fx->file = paths_join(fx->dir, "data.bin");
  fs_write_atomic(fx->file, content, 10, 0600);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  az_storage_account_delete(fx->acct);
  unlink(fx->file);
  char *back = paths_join(fx->dir, "back.bin");
  unlink(back);
  free(back);
  rmdir(fx->dir);
  free(fx->file);
  free(fx->dir);
  free(fx);
  return 0;
}

static void progress(struct az_call *call, int64_t done, int64_t total, void *ud)
{
  struct fixture *fx = ud;
  fx->progress_done = done;
  fx->progress_total = total;
  fx->progress_calls++;
}

static char *query_value(const char *url, const char *name)
{
  const char *p = strstr(url, name);
  assert_non_null(p);
  p += strlen(name) + 1;
  return xstrndup(p, strcspn(p, "&"));
}

static void upload_in_parallel_blocks(void **state)
{
  struct fixture *fx = *state;
  for (int i = 0; i < 3; i++)
    azfake_push_delayed(fx->fake, 100, 201, NULL, "");
  azfake_push(fx->fake, 201, "ETag: \"0x1\"", "");
  struct az_blob_transfer_options o = { 0 };
  o.block_size = 4;
  o.parallel = 2;
  struct az_call *call =
      az_blob_upload_file(fx->client, fx->acct, "c1", "dir/data 1.bin", fx->file, &o);
  az_call_on_progress(call, progress, fx);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 4);
  const char *bodies[] = { "0123", "4567", "89" };
  char *ids[3];
  for (int i = 0; i < 3; i++) {
    const struct azfake_record *r = azfake_request(fx->fake, (size_t)i);
    assert_string_equal(r->method, "PUT");
    assert_non_null(strstr(r->url, "http://127.0.0.1:10000/devstoreaccount1/c1/dir/data%201.bin"
                                   "?comp=block&blockid="));
    assert_string_equal(r->body, bodies[i]);
    assert_string_equal(az_headers_get(&r->headers, "x-ms-version"), "2021-12-02");
    assert_non_null(
        strstr(az_headers_get(&r->headers, "Authorization"), "SharedKey devstoreaccount1:"));
    ids[i] = query_value(r->url, "blockid");
  }
  /* Two at a time: blocks 0 and 1 together, block 2 when one of them finished. */
  assert_int_equal(azfake_request(fx->fake, 0)->at_ms, azfake_request(fx->fake, 1)->at_ms);
  assert_int_equal(azfake_request(fx->fake, 2)->at_ms - azfake_request(fx->fake, 0)->at_ms, 100);
  assert_int_equal(strlen(ids[0]), strlen(ids[2]));
  const struct azfake_record *commit = azfake_request(fx->fake, 3);
  assert_non_null(strstr(commit->url, "?comp=blocklist"));
  assert_string_equal(az_headers_get(&commit->headers, "Content-Type"), "application/xml");
  assert_string_equal(az_headers_get(&commit->headers, "x-ms-blob-content-type"),
                      "application/octet-stream");
  /* The block list names every block, in file order (ids are base64; %3D is '='). */
  for (int i = 0; i < 3; i++) {
    char *id = xstrdup(ids[i]);
    char *pct = strstr(id, "%3D");
    if (pct)
      *pct = '\0';
    assert_non_null(strstr(commit->body, id));
    free(id);
  }
  assert_true(strstr(commit->body, "<Latest>") < strstr(commit->body, "</BlockList>"));
  assert_int_equal(fx->progress_done, 10);
  assert_int_equal(fx->progress_total, 10);
  assert_true(fx->progress_calls >= 2);
  for (int i = 0; i < 3; i++)
    free(ids[i]);
  az_call_delete(call);
}

static void small_and_empty_files_are_one_put(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 201, NULL, "");
  struct az_call *call = az_blob_upload_file(fx->client, fx->acct, "c1", "small", fx->file, NULL);
  assert_int_equal(az_call_wait(call), AZ_OK);
  const struct azfake_record *r = azfake_request(fx->fake, 0);
  assert_string_equal(r->url, "http://127.0.0.1:10000/devstoreaccount1/c1/small");
  assert_string_equal(az_headers_get(&r->headers, "x-ms-blob-type"), "BlockBlob");
  assert_string_equal(r->body, content);
  az_call_delete(call);
  fs_write_atomic(fx->file, "", 0, 0600);
  azfake_push(fx->fake, 201, NULL, "");
  call = az_blob_upload_file(fx->client, fx->acct, "c1", "empty", fx->file, NULL);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_null(azfake_request(fx->fake, 1)->body);
  az_call_delete(call);
}

static void a_failed_block_fails_the_upload(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 201, NULL, "");
  azfake_push(fx->fake, 403, "x-ms-error-code: AuthorizationPermissionMismatch",
              "<?xml version=\"1.0\"?><Error><Code>AuthorizationPermissionMismatch</Code>"
              "<Message>no</Message></Error>");
  azfake_push(fx->fake, 201, NULL, "");
  azfake_push(fx->fake, 201, NULL, "");
  struct az_blob_transfer_options o = { 0 };
  o.block_size = 4;
  o.parallel = 1;
  struct az_call *call = az_blob_upload_file(fx->client, fx->acct, "c1", "b", fx->file, &o);
  assert_int_equal(az_call_wait(call), AZ_E_FORBIDDEN);
  assert_string_equal(az_call_error(call)->code, "AuthorizationPermissionMismatch");
  assert_non_null(az_call_error(call)->hint);
  assert_int_equal(azfake_count(fx->fake), 2); /* no further block, no block list */
  az_call_delete(call);
  call = az_blob_upload_file(fx->client, fx->acct, "c1", "b", "/nonexistent/file", &o);
  assert_int_equal(az_call_wait(call), AZ_E_IO);
  az_call_delete(call);
}

static void download_in_ranges(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  azfake_push(fx->fake, 206, "Content-Range: bytes 0-3/10", "0123");
  azfake_push(fx->fake, 206, "Content-Range: bytes 4-7/10", "4567");
  azfake_push(fx->fake, 206, "Content-Range: bytes 8-9/10", "89");
  char *back = paths_join(fx->dir, "back.bin");
  struct az_blob_transfer_options o = { 0 };
  o.block_size = 4;
  o.parallel = 3;
  struct az_call *call = az_blob_download_file(fx->client, fx->acct, "c1", "b", back, &o);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_string_equal(azfake_request(fx->fake, 0)->method, "HEAD");
  assert_string_equal(az_headers_get(&azfake_request(fx->fake, 1)->headers, "x-ms-range"),
                      "bytes=0-3");
  assert_string_equal(az_headers_get(&azfake_request(fx->fake, 3)->headers, "x-ms-range"),
                      "bytes=8-9");
  char *got = azfake_read_file(back);
  assert_string_equal(got, content);
  free(got);
  struct stat st;
  assert_int_equal(stat(back, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  char *part = xasprintf("%s.part", back);
  assert_int_not_equal(access(part, F_OK), 0);
  az_call_delete(call);

  /* A short range is an error, and the partial file goes away. */
  unlink(back);
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  azfake_push(fx->fake, 206, NULL, "01");
  azfake_push(fx->fake, 206, NULL, "4567");
  azfake_push(fx->fake, 206, NULL, "89");
  call = az_blob_download_file(fx->client, fx->acct, "c1", "b", back, &o);
  assert_int_equal(az_call_wait(call), AZ_E_BAD_RESPONSE);
  assert_int_not_equal(access(part, F_OK), 0);
  assert_int_not_equal(access(back, F_OK), 0);
  az_call_delete(call);
  free(part);
  free(back);
}

static void download_error_keeps_the_message(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 404, "x-ms-error-code: BlobNotFound", "");
  char *back = paths_join(fx->dir, "back.bin");
  struct az_call *call = az_blob_download_file(fx->client, fx->acct, "c1", "nope", back, NULL);
  assert_int_equal(az_call_wait(call), AZ_E_NOT_FOUND);
  assert_string_equal(az_call_error(call)->code, "BlobNotFound");
  assert_int_not_equal(access(back, F_OK), 0);
  az_call_delete(call);
  free(back);
}

static bool collect_chunk(void *ud, const void *data, size_t len)
{
  struct strbuf *sb = ud;
  strbuf_append(sb, data, len);
  return sb->len < 8; /* the reader may stop: stop after the second range */
}

/* az_blob_read: ranges in flight together reach the callback in the blob's order. */
static bool collect_ordered(void *ud, const void *data, size_t len)
{
  return strbuf_append(ud, data, len);
}

static void read_streams_ranges_in_order(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  /* Answers go to requests in order; the later ranges arrive first. */
  azfake_push_delayed(fx->fake, 300, 206, NULL, "0123");
  azfake_push_delayed(fx->fake, 100, 206, NULL, "4567");
  azfake_push_delayed(fx->fake, 0, 206, NULL, "89");
  struct az_blob_transfer_options o = { 0 };
  o.block_size = 4;
  o.parallel = 3;
  struct strbuf got;
  strbuf_init(&got, 0);
  struct az_call *call = az_blob_read(fx->client, fx->acct, "c1", "b", &o, collect_ordered, &got);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_string_equal(got.buf, content);
  assert_int_equal(azfake_request(fx->fake, 1)->at_ms, azfake_request(fx->fake, 3)->at_ms);
  az_call_delete(call);

  /* One at a time, the callback stops after 8 bytes: cancelled, no third range asked. */
  strbuf_reset(&got);
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  azfake_push(fx->fake, 206, NULL, "0123");
  azfake_push(fx->fake, 206, NULL, "4567");
  o.parallel = 1;
  call = az_blob_read(fx->client, fx->acct, "c1", "b", &o, collect_chunk, &got);
  assert_int_equal(az_call_wait(call), AZ_E_CANCELED);
  assert_string_equal(got.buf, "01234567");
  assert_int_equal(azfake_count(fx->fake), 7);
  assert_string_equal(az_headers_get(&azfake_request(fx->fake, 6)->headers, "x-ms-range"),
                      "bytes=4-7");
  az_call_delete(call);
  strbuf_done(&got);
}

static bool collect_all(void *ud, const void *data, size_t len)
{
  return strbuf_append(ud, data, len);
}

static void read_whole_and_errors(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  azfake_push(fx->fake, 206, NULL, "0123");
  azfake_push(fx->fake, 206, NULL, "4567");
  azfake_push(fx->fake, 206, NULL, "89");
  struct az_blob_transfer_options o = { 0 };
  o.block_size = 4;
  struct strbuf got;
  strbuf_init(&got, 0);
  struct az_call *call = az_blob_read(fx->client, fx->acct, "c1", "b", &o, collect_all, &got);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_string_equal(got.buf, content);
  assert_int_equal(json_integer_value(json_object_get(az_call_json(call), "size")), 10);
  az_call_delete(call);

  /* A short range is an error; a refused read keeps Azure's code. */
  strbuf_reset(&got);
  azfake_push(fx->fake, 200, "Content-Length: 10", "");
  azfake_push(fx->fake, 206, NULL, "01");
  call = az_blob_read(fx->client, fx->acct, "c1", "b", &o, collect_all, &got);
  assert_int_equal(az_call_wait(call), AZ_E_BAD_RESPONSE);
  az_call_delete(call);
  azfake_push(fx->fake, 403, "x-ms-error-code: AuthorizationPermissionMismatch", "");
  call = az_blob_read(fx->client, fx->acct, "c1", "b", &o, collect_all, &got);
  assert_int_equal(az_call_wait(call), AZ_E_FORBIDDEN);
  assert_string_equal(az_call_error(call)->code, "AuthorizationPermissionMismatch");
  az_call_delete(call);
  strbuf_done(&got);
}

static void container_create(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 201, NULL, "");
  azfake_push(fx->fake, 409, "x-ms-error-code: ContainerAlreadyExists",
              "<Error><Code>ContainerAlreadyExists</Code><Message>exists</Message></Error>");
  struct az_call *call = az_blob_create_container(fx->client, fx->acct, "newc");
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_true(json_is_true(json_object_get(az_call_json(call), "created")));
  assert_string_equal(azfake_request(fx->fake, 0)->url,
                      "http://127.0.0.1:10000/devstoreaccount1/newc?restype=container");
  assert_null(azfake_request(fx->fake, 0)->body);
  az_call_delete(call);
  call = az_blob_create_container(fx->client, fx->acct, "newc");
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_true(json_is_false(json_object_get(az_call_json(call), "created")));
  az_call_delete(call);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(upload_in_parallel_blocks, setup, teardown),
    cmocka_unit_test_setup_teardown(small_and_empty_files_are_one_put, setup, teardown),
    cmocka_unit_test_setup_teardown(a_failed_block_fails_the_upload, setup, teardown),
    cmocka_unit_test_setup_teardown(download_in_ranges, setup, teardown),
    cmocka_unit_test_setup_teardown(download_error_keeps_the_message, setup, teardown),
    cmocka_unit_test_setup_teardown(read_streams_ranges_in_order, setup, teardown),
    cmocka_unit_test_setup_teardown(read_whole_and_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(container_create, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_blob", tests, NULL, NULL);
}
