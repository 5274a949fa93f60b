/* The retry stage of the Azure pipeline, in simulated time: which answers are retried,
 * how long each wait is (Retry-After in both forms, retry-after-ms, x-ms-retry-after-ms,
 * exponential back-off with jitter and a cap), the per-call deadline, cancellation, and
 * that a POST that was sent is never sent twice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/az_fake.h"
#include "azure/az_client.h"
#include "azure/az_internal.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define ARM_URL "https://management.azure.com/subscriptions?api-version=2022-12-01"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  char *dir;
  char *log;
};

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->fake = azfake_new();
  fx->dir = azfake_tempdir();
  fx->log = paths_join(fx->dir, "synwiz.log");
  fx->client = azfake_client_opts(fx->fake, "AzureCloud", NULL, fx->log, 0, NULL);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  unlink(fx->log);
  rmdir(fx->dir);
  free(fx->log);
  free(fx->dir);
  free(fx);
  return 0;
}

/* A call without authentication, so that only the retry behaviour shows. */
static enum az_result send_call(struct fixture *fx, const char *method)
{
  struct az_request_options o = { 0 };
  o.no_auth = true;
  struct az_call *call =
      az_call_request(fx->client, method, ARM_URL, strcmp(method, "GET") ? "{}" : NULL, &o);
  enum az_result r = az_call_wait(call);
  az_call_delete(call);
  return r;
}

static int64_t gap(struct fixture *fx, size_t i)
{
  return azfake_request(fx->fake, i)->at_ms - azfake_request(fx->fake, i - 1)->at_ms;
}

static void retry_after_seconds(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 429, "Retry-After: 2", "{\"error\":{\"code\":\"TooManyRequests\"}}");
  azfake_push(fx->fake, 200, "Content-Type: application/json", "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 2);
  assert_int_equal(gap(fx, 1), 2000);
}

static void retry_after_http_date(void **state)
{
  struct fixture *fx = *state;
  /* The fake wall clock starts at 2026-01-01T00:00:00Z plus the monotonic origin (1000 s). */
  azfake_push(fx->fake, 503, "Retry-After: Thu, 01 Jan 2026 00:16:47 GMT", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  assert_int_equal(gap(fx, 1), 7000);
}

static void retry_after_date_in_the_past_means_now(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 503, "Retry-After: Wed, 31 Dec 2025 23:00:00 GMT", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  assert_int_equal(gap(fx, 1), 0);
}

static void retry_after_ms_headers(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 429, "retry-after-ms: 1500\nRetry-After: 9", "");
  azfake_push(fx->fake, 429, "x-ms-retry-after-ms: 250", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  assert_int_equal(gap(fx, 1), 1500); /* the millisecond header wins over Retry-After */
  assert_int_equal(gap(fx, 2), 250);
}

static void exponential_backoff_doubles(void **state)
{
  struct fixture *fx = *state;
  azfake_set_random(fx->fake, 200); /* jitter factor exactly 1.0 */
  azfake_push(fx->fake, 500, NULL, "");
  azfake_push(fx->fake, 502, NULL, "");
  azfake_push(fx->fake, 504, NULL, "");
  azfake_push(fx->fake, 408, NULL, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  assert_int_equal(gap(fx, 1), 800);
  assert_int_equal(gap(fx, 2), 1600);
  assert_int_equal(gap(fx, 3), 3200);
  assert_int_equal(gap(fx, 4), 6400);
}

static void jitter_stays_within_bounds(void **state)
{
  struct az_retry_options o = { 4, 800, 60000 };
  for (uint32_t r = 0; r < 1000; r += 7) {
    int64_t d = az_retry_delay_ms(&o, 1, NULL, 0, r);
    assert_true(d >= 640 && d < 960);
    int64_t d3 = az_retry_delay_ms(&o, 3, NULL, 0, r);
    assert_true(d3 >= 2560 && d3 < 3840);
  }
  assert_int_equal(az_retry_delay_ms(&o, 1, NULL, 0, 0), 640);
  assert_int_equal(az_retry_delay_ms(&o, 1, NULL, 0, 399), 959);
}

static void backoff_is_capped(void **state)
{
  struct az_retry_options o = { 20, 800, 5000 };
  for (uint32_t r = 0; r < 400; r += 13)
    assert_true(az_retry_delay_ms(&o, 12, NULL, 0, r) <= 5000);
  assert_int_equal(az_retry_delay_ms(&o, 30, NULL, 0, 399), 5000);
}

static void gives_up_after_max_retries(void **state)
{
  struct fixture *fx = *state;
  for (int i = 0; i < 7; i++)
    azfake_push(fx->fake, 503, NULL, "{\"error\":{\"code\":\"ServerBusy\",\"message\":\"busy\"}}");
  assert_int_equal(send_call(fx, "GET"), AZ_E_SERVICE);
  assert_int_equal(azfake_count(fx->fake), 5); /* one attempt and four retries */
  char *log = azfake_read_file(fx->log);
  assert_non_null(strstr(log, "giving up on GET"));
  free(log);
}

static void client_errors_are_not_retried(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 400, NULL, "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"x\"}}");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_E_BAD_REQUEST);
  assert_int_equal(azfake_count(fx->fake), 1);
}

static void deadline_stops_waiting(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.no_auth = true;
  o.timeout_ms = 5000;
  azfake_push(fx->fake, 429, "Retry-After: 10", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call = az_call_request(fx->client, "GET", ARM_URL, NULL, &o);
  assert_int_equal(az_call_wait(call), AZ_E_THROTTLED);
  assert_int_equal(az_call_status(call), 429);
  assert_int_equal(azfake_count(fx->fake), 1);
  assert_true(azfake_now(fx->fake) - azfake_request(fx->fake, 0)->at_ms < 5000);
  az_call_delete(call);
  char *log = azfake_read_file(fx->log);
  assert_non_null(strstr(log, "would pass the call's deadline"));
  free(log);
}

static void deadline_covers_slow_answers(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.no_auth = true;
  o.timeout_ms = 3000;
  azfake_push_delayed(fx->fake, 2500, 503, NULL, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call = az_call_request(fx->client, "GET", ARM_URL, NULL, &o);
  /* 2.5 s for the answer + 0.8 s of back-off would pass 3 s: no second attempt. */
  assert_int_equal(az_call_wait(call), AZ_E_SERVICE);
  assert_int_equal(azfake_count(fx->fake), 1);
  az_call_delete(call);
}

static void cancel_during_wait(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.no_auth = true;
  azfake_push(fx->fake, 429, "Retry-After: 30", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call = az_call_request(fx->client, "GET", ARM_URL, NULL, &o);
  /* Run until the first answer is in and the retry timer armed. */
  while (azfake_count(fx->fake) < 1 || fx->client->timers == NULL)
    az_client_poll(fx->client, NULL, 0, 10);
  az_call_cancel(call);
  assert_int_equal(az_call_wait(call), AZ_E_CANCELED);
  for (int i = 0; i < 5; i++)
    az_client_poll(fx->client, NULL, 0, 60000);
  assert_int_equal(azfake_count(fx->fake), 1);
  assert_true(az_client_idle(fx->client));
  az_call_delete(call);
}

static void post_is_not_retried_once_sent(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 503, NULL, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "POST"), AZ_E_SERVICE);
  assert_int_equal(azfake_count(fx->fake), 1);
  assert_int_equal(azfake_pending(fx->fake), 1); /* the success was never asked for */
  assert_int_equal(send_call(fx, "GET"), AZ_OK);

  azfake_push_failure(fx->fake, AZ_E_NETWORK, true); /* the connection broke after sending */
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "POST"), AZ_E_NETWORK);
  assert_int_equal(azfake_count(fx->fake), 3);
  assert_int_equal(azfake_pending(fx->fake), 1);
  char *log = azfake_read_file(fx->log);
  assert_non_null(strstr(log, "not retrying POST"));
  free(log);
}

static void post_is_retried_when_never_sent(void **state)
{
  struct fixture *fx = *state;
  azfake_push_failure(fx->fake, AZ_E_CONNECT, false);
  azfake_push(fx->fake, 201, NULL, "{}");
  assert_int_equal(send_call(fx, "POST"), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 2);
}

static void idempotent_post_is_retried(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.no_auth = true;
  o.idempotent = true;
  azfake_push(fx->fake, 503, NULL, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call = az_call_request(fx->client, "POST", ARM_URL, "{}", &o);
  assert_int_equal(az_call_wait(call), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 2);
  az_call_delete(call);
}

static void put_and_delete_are_retried_after_network_errors(void **state)
{
  struct fixture *fx = *state;
  azfake_push_failure(fx->fake, AZ_E_NETWORK, true);
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "PUT"), AZ_OK);
  azfake_push_failure(fx->fake, AZ_E_TIMEOUT, true);
  azfake_push(fx->fake, 204, NULL, "");
  assert_int_equal(send_call(fx, "DELETE"), AZ_OK);
  assert_int_equal(azfake_count(fx->fake), 4);
}

static void tls_failures_are_final(void **state)
{
  struct fixture *fx = *state;
  azfake_push_failure(fx->fake, AZ_E_TLS, false);
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_request_options o = { 0 };
  o.no_auth = true;
  struct az_call *call = az_call_request(fx->client, "GET", ARM_URL, NULL, &o);
  assert_int_equal(az_call_wait(call), AZ_E_TLS);
  assert_non_null(az_call_error(call)->hint);
  assert_non_null(strstr(az_call_error(call)->hint, "management.azure.com"));
  assert_int_equal(azfake_count(fx->fake), 1);
  az_call_delete(call);
}

static void every_wait_is_logged_with_reason_and_delay(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 429, "Retry-After: 1", "");
  azfake_push(fx->fake, 429, "Retry-After: 1", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  char *log = azfake_read_file(fx->log);
  assert_non_null(strstr(log,
                         "retry 1/4 of GET https://management.azure.com/subscriptions"
                         "?api-version=2022-12-01 in 1000 ms (Retry-After: 1) after HTTP 429"));
  assert_non_null(strstr(log, "retry 2/4 of GET"));
  free(log);
}

static void client_request_id_is_kept_across_retries(void **state)
{
  struct fixture *fx = *state;
  az_client_set_correlation_id(fx->client, "corr-1");
  azfake_push(fx->fake, 503, NULL, "");
  azfake_push(fx->fake, 200, NULL, "{}");
  assert_int_equal(send_call(fx, "GET"), AZ_OK);
  const char *a = az_headers_get(&azfake_request(fx->fake, 0)->headers, "x-ms-client-request-id");
  const char *b = az_headers_get(&azfake_request(fx->fake, 1)->headers, "x-ms-client-request-id");
  assert_non_null(a);
  assert_string_equal(a, b);
  assert_true(uuid_is_valid(a));
  assert_string_equal(
      az_headers_get(&azfake_request(fx->fake, 0)->headers, "x-ms-correlation-request-id"),
      "corr-1");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(retry_after_seconds, setup, teardown),
    cmocka_unit_test_setup_teardown(retry_after_http_date, setup, teardown),
    cmocka_unit_test_setup_teardown(retry_after_date_in_the_past_means_now, setup, teardown),
    cmocka_unit_test_setup_teardown(retry_after_ms_headers, setup, teardown),
    cmocka_unit_test_setup_teardown(exponential_backoff_doubles, setup, teardown),
    cmocka_unit_test(jitter_stays_within_bounds),
    cmocka_unit_test(backoff_is_capped),
    cmocka_unit_test_setup_teardown(gives_up_after_max_retries, setup, teardown),
    cmocka_unit_test_setup_teardown(client_errors_are_not_retried, setup, teardown),
    cmocka_unit_test_setup_teardown(deadline_stops_waiting, setup, teardown),
    cmocka_unit_test_setup_teardown(deadline_covers_slow_answers, setup, teardown),
    cmocka_unit_test_setup_teardown(cancel_during_wait, setup, teardown),
    cmocka_unit_test_setup_teardown(post_is_not_retried_once_sent, setup, teardown),
    cmocka_unit_test_setup_teardown(post_is_retried_when_never_sent, setup, teardown),
    cmocka_unit_test_setup_teardown(idempotent_post_is_retried, setup, teardown),
    cmocka_unit_test_setup_teardown(put_and_delete_are_retried_after_network_errors, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(tls_failures_are_final, setup, teardown),
    cmocka_unit_test_setup_teardown(every_wait_is_logged_with_reason_and_delay, setup, teardown),
    cmocka_unit_test_setup_teardown(client_request_id_is_kept_across_retries, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_retry", tests, NULL, NULL);
}
