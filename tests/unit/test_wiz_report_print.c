/* Unit tests for wiz_report_print (src/wizard/headless.c): a report's text holds names and
 * messages from outside, and it is printed safe and cut whatever stream it goes to (issue
 * 13 item 7): the test driver and any future caller have no filter of the CLI's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wizard/headless.h"
#include "wizard/wiz_host.h"

static char *printed(const struct wiz_report *r)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  wiz_report_print(r, f);
  fclose(f);
  return buf;
}

static void escapes_in_a_report_are_shown_not_sent(void **state)
{
  (void)state;
  struct wiz_report *r =
      wiz_report_new("Linked service Evil\033]0;pwned\007 created", WIZ_OUTCOME_DONE);
  wiz_report_add(r, WIZ_FINDING_FAIL,
                 "Name \033[2J\xe2\x80\xae"
                 "cba",
                 "detail\033[31m", "ws\007", "why\x9b");
  char *out = printed(r);
  assert_null(strchr(out, '\033'));
  assert_null(strchr(out, '\007'));
  assert_null(strstr(out, "\xe2\x80\xae"));
  assert_non_null(strstr(out, "Evil\\x1b]0;pwned\\x07 created"));
  assert_non_null(strstr(out, "\\u{202e}cba"));
  free(out);
  wiz_report_delete(r);
}

static void a_huge_detail_is_cut(void **state)
{
  (void)state;
  size_t n = 1u << 20;
  char *big = malloc(n + 1);
  assert_non_null(big);
  memset(big, 'x', n);
  big[n] = '\0';
  struct wiz_report *r = wiz_report_new("Report", WIZ_OUTCOME_FAILED);
  wiz_report_add(r, WIZ_FINDING_FAIL, "Azure said", big, NULL, NULL);
  char *out = printed(r);
  assert_true(strlen(out) < 8192);
  free(out);
  free(big);
  wiz_report_delete(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(escapes_in_a_report_are_shown_not_sent),
    cmocka_unit_test(a_huge_detail_is_cut),
  };
  return cmocka_run_group_tests_name("wiz_report_print", tests, NULL, NULL);
}
