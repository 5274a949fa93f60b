/* The client's event loop (docs/ARCHITECTURE.md section 4): independent calls in parallel,
 * callbacks only from az_client_poll, extra fds, an idle client that waits instead of
 * spinning, cancellation and deletion at any point. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/az_fake.h"
#include "azure/az_arm.h"
#include "azure/az_client.h"
#include "util/xalloc.h"

struct fixture {
  struct azfake *fake;
  struct az_client *client;
  int callbacks;
  enum az_result last;
};

static int setup(void **state)
{
  struct fixture *fx = xcalloc(1, sizeof(*fx));
  fx->client = azfake_signed_in_client(&fx->fake);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  az_client_delete(fx->client);
  azfake_delete(fx->fake);
  free(fx);
  return 0;
}

static void count(struct az_call *call, void *ud)
{
  struct fixture *fx = ud;
  fx->callbacks++;
  fx->last = az_call_result(call);
}

static void delete_self(struct az_call *call, void *ud)
{
  count(call, ud);
  az_call_delete(call);
}

static void independent_calls_run_in_parallel(void **state)
{
  struct fixture *fx = *state;
  azfake_push_delayed(fx->fake, 1000, 200, NULL, "{\"value\":[{\"name\":\"ws\"}]}");
  azfake_push_delayed(fx->fake, 1000, 200, NULL, "{\"value\":[{\"name\":\"sa\"}]}");
  struct az_call *ws = az_arm_list_workspaces(fx->client, "s1");
  struct az_call *sa = az_arm_list_storage_accounts(fx->client, "s1");
  az_call_on_done(ws, count, fx);
  az_call_on_done(sa, count, fx);
  int64_t start = azfake_now(fx->fake);
  while (fx->callbacks < 2)
    az_client_poll(fx->client, NULL, 0, -1);
  /* Both lists went out together and both answered after one second, not two. */
  assert_int_equal(azfake_request(fx->fake, 1)->at_ms, azfake_request(fx->fake, 2)->at_ms);
  assert_int_equal(azfake_now(fx->fake) - start, 1000);
  assert_int_equal(az_call_result(ws), AZ_OK);
  assert_int_equal(az_call_result(sa), AZ_OK);
  az_call_delete(ws);
  az_call_delete(sa);
}

static void callbacks_run_only_from_poll(void **state)
{
  struct fixture *fx = *state;
  /* Even a call that fails before anything is sent reports from the loop. */
  struct az_call *bad = az_arm_get_workspace(fx->client, "s1", "", "ws");
  az_call_on_done(bad, count, fx);
  assert_int_equal(fx->callbacks, 0);
  az_client_poll(fx->client, NULL, 0, 0);
  assert_int_equal(fx->callbacks, 1);
  assert_int_equal(fx->last, AZ_E_INVALID_ARG);
  az_call_delete(bad);
}

static void a_callback_may_delete_its_call(void **state)
{
  struct fixture *fx = *state;
  azfake_push(fx->fake, 200, NULL, "{\"value\":[]}");
  struct az_call *call = az_arm_list_subscriptions(fx->client);
  az_call_on_done(call, delete_self, fx);
  while (fx->callbacks == 0)
    az_client_poll(fx->client, NULL, 0, -1);
  assert_true(az_client_idle(fx->client));
}

static void extra_fds_wake_the_loop(void **state)
{
  struct fixture *fx = *state;
  int p[2];
  assert_int_equal(pipe(p), 0);
  assert_int_equal(az_client_poll(fx->client, p, 1, 0), 0);
  assert_int_equal(write(p[1], "x", 1), 1);
  int64_t before = azfake_now(fx->fake);
  assert_int_equal(az_client_poll(fx->client, p, 1, 10000), 1);
  assert_int_equal(azfake_now(fx->fake), before); /* returned at once */
  close(p[0]);
  close(p[1]);
}

static void idle_client_waits_the_whole_timeout(void **state)
{
  struct fixture *fx = *state;
  size_t waits = azfake_waits(fx->fake);
  int64_t before = azfake_now(fx->fake);
  assert_int_equal(az_client_poll(fx->client, NULL, 0, 500), 0);
  assert_int_equal(azfake_now(fx->fake) - before, 500);
  assert_int_equal(azfake_waits(fx->fake) - waits, 1); /* one wait, not a busy loop */
}

static void timers_shorten_the_wait(void **state)
{
  struct fixture *fx = *state;
  struct az_request_options o = { 0 };
  o.no_auth = true;
  azfake_push(fx->fake, 503, "Retry-After: 3", "");
  azfake_push(fx->fake, 200, NULL, "{}");
  struct az_call *call =
      az_call_request(fx->client, "GET", "https://management.azure.com/x", NULL, &o);
  while (azfake_count(fx->fake) < 1)
    az_client_poll(fx->client, NULL, 0, 0);
  az_client_poll(fx->client, NULL, 0, 0); /* handle the 503: arms the 3 s timer */
  int64_t before = azfake_now(fx->fake);
  az_client_poll(fx->client, NULL, 0, -1); /* "no limit" becomes "until the retry is due" */
  assert_int_equal(azfake_now(fx->fake) - before, 3000);
  assert_int_equal(az_call_wait(call), AZ_OK);
  az_call_delete(call);
}

static void cancel_reports_through_the_callback(void **state)
{
  struct fixture *fx = *state;
  azfake_push_delayed(fx->fake, 60000, 200, NULL, "{\"value\":[]}");
  struct az_call *call = az_arm_list_subscriptions(fx->client);
  az_call_on_done(call, count, fx);
  while (azfake_inflight(fx->fake) == 0 || azfake_count(fx->fake) < 2)
    az_client_poll(fx->client, NULL, 0, 0);
  az_call_cancel(call);
  assert_int_equal(azfake_inflight(fx->fake), 0); /* the transfer was aborted */
  az_client_poll(fx->client, NULL, 0, 0);
  assert_int_equal(fx->callbacks, 1);
  assert_int_equal(fx->last, AZ_E_CANCELED);
  az_call_delete(call);
  assert_true(az_client_idle(fx->client));
}

static void delete_while_running_is_silent(void **state)
{
  struct fixture *fx = *state;
  azfake_push_delayed(fx->fake, 60000, 200, NULL, "{\"value\":[]}");
  struct az_call *call = az_arm_list_subscriptions(fx->client);
  az_call_on_done(call, count, fx);
  while (azfake_count(fx->fake) < 2)
    az_client_poll(fx->client, NULL, 0, 0);
  az_call_delete(call);
  for (int i = 0; i < 3; i++)
    az_client_poll(fx->client, NULL, 0, 100);
  assert_int_equal(fx->callbacks, 0);
  assert_int_equal(azfake_inflight(fx->fake), 0);
}

static void delete_while_waiting_for_a_token(void **state)
{
  struct fixture *fx = *state;
  azfake_set_handler(fx->fake, NULL, NULL);
  azfake_push_delayed(fx->fake, 5000, 200, NULL, "{\"access_token\":\"t\",\"expires_in\":3600}");
  azfake_push(fx->fake, 200, NULL, "{\"value\":[]}");
  struct az_call *a = az_arm_list_subscriptions(fx->client);
  struct az_call *b = az_arm_list_subscriptions(fx->client);
  az_client_poll(fx->client, NULL, 0, 0);
  az_call_delete(a); /* a was waiting in the token slot's list */
  assert_int_equal(az_call_wait(b), AZ_OK);
  az_call_delete(b);
  assert_int_equal(azfake_count(fx->fake), 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(independent_calls_run_in_parallel, setup, teardown),
    cmocka_unit_test_setup_teardown(callbacks_run_only_from_poll, setup, teardown),
    cmocka_unit_test_setup_teardown(a_callback_may_delete_its_call, setup, teardown),
    cmocka_unit_test_setup_teardown(extra_fds_wake_the_loop, setup, teardown),
    cmocka_unit_test_setup_teardown(idle_client_waits_the_whole_timeout, setup, teardown),
    cmocka_unit_test_setup_teardown(timers_shorten_the_wait, setup, teardown),
    cmocka_unit_test_setup_teardown(cancel_reports_through_the_callback, setup, teardown),
    cmocka_unit_test_setup_teardown(delete_while_running_is_silent, setup, teardown),
    cmocka_unit_test_setup_teardown(delete_while_waiting_for_a_token, setup, teardown),
  };
  return cmocka_run_group_tests_name("az_client", tests, NULL, NULL);
}
