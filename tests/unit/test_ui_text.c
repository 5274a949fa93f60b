/* ui_wrap() and ui_width(): the text rules every screen relies on (a report's Azure resource
 * id wraps between its segments, never off the screen; UTF-8 counts in columns). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_term.h"

static int wrap(const char *s, int width, char **out, int max)
{
  int n = ui_wrap(s, width, out, max);
  for (int i = 0; i < n && i < max; i++)
    assert_true(ui_width(out[i]) <= width);
  return n;
}

static void free_lines(char **l, int n)
{
  for (int i = 0; i < n; i++)
    free(l[i]);
}

static void test_words_wrap_at_spaces(void **state)
{
  (void)state;
  char *l[4];
  int n = wrap("the quick brown fox jumps", 10, l, 4);
  assert_int_equal(n, 3);
  assert_string_equal(l[0], "the quick");
  assert_string_equal(l[1], "brown fox");
  assert_string_equal(l[2], "jumps");
  free_lines(l, n);
}

static void test_long_id_breaks_after_a_slash(void **state)
{
  (void)state;
  char *l[8];
  const char *id = "scope: /subscriptions/6512a654/resourceGroups/rg-ml/providers/"
                   "Microsoft.MachineLearningServices/workspaces/contoso-ml";
  int n = wrap(id, 30, l, 8);
  assert_true(n >= 4);
  assert_string_equal(l[0], "scope:");
  assert_string_equal(l[1], "/subscriptions/6512a654/");
  /* Nothing is lost: the lines joined give the id back. */
  char joined[256] = "";
  size_t at = 0;
  for (int i = 1; i < n; i++) {
    size_t k = strlen(l[i]);
    memcpy(joined + at, l[i], k);
    at += k;
  }
  joined[at] = '\0';
  assert_string_equal(joined, id + strlen("scope: "));
  free_lines(l, n);
}

static void test_word_without_slash_is_cut_at_the_width(void **state)
{
  (void)state;
  char *l[4];
  int n = wrap("abcdefghijklmnopqrstuvwxyz", 10, l, 4);
  assert_int_equal(n, 3);
  assert_string_equal(l[0], "abcdefghij");
  assert_string_equal(l[2], "uvwxyz");
  free_lines(l, n);
}

static void test_utf8_counts_columns(void **state)
{
  (void)state;
  assert_int_equal(ui_width("Zürich"), 6);
  assert_int_equal(ui_width("東京"), 4);
  char *l[4];
  int n = wrap("東京東京東京", 8, l, 4); /* 12 columns, cut at whole characters */
  assert_int_equal(n, 2);
  assert_string_equal(l[0], "東京東京");
  assert_string_equal(l[1], "東京");
  free_lines(l, n);
}

static void test_no_lone_symbol_on_the_last_line(void **state)
{
  (void)state;
  char *l[4];
  /* At 71 columns (a rule message at 100 columns) the "/" alone would end the text. */
  const char *msg = "! Must start with a letter and must not contain - < > * # . % & : \\ + ? /";
  int n = wrap(msg, 71, l, 4);
  assert_int_equal(n, 2);
  assert_string_equal(l[1], "? /");
  free_lines(l, n);
  /* A last word with a letter stays where it falls. */
  n = wrap("the quick brown fox jumps x", 25, l, 4);
  assert_int_equal(n, 2);
  assert_string_equal(l[1], "x");
  free_lines(l, n);
}

static void test_wrap_fit_keeps_the_rest_on_the_last_line(void **state)
{
  (void)state;
  char *l[2];
  int n = ui_wrap_fit("the quick brown fox jumps over", 10, l, 2);
  assert_int_equal(n, 2);
  assert_string_equal(l[0], "the quick");
  /* Wider than the line on purpose: ui_put ends it with an ellipsis. */
  assert_string_equal(l[1], "brown fox jumps over");
  free_lines(l, n);
  n = ui_wrap_fit("short", 10, l, 2);
  assert_int_equal(n, 1);
  assert_string_equal(l[0], "short");
  free_lines(l, n);
}

int main(void)
{
  if (!setlocale(LC_ALL, "C.UTF-8"))
    return 77;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_words_wrap_at_spaces),
    cmocka_unit_test(test_long_id_breaks_after_a_slash),
    cmocka_unit_test(test_word_without_slash_is_cut_at_the_width),
    cmocka_unit_test(test_utf8_counts_columns),
    cmocka_unit_test(test_no_lone_symbol_on_the_last_line),
    cmocka_unit_test(test_wrap_fit_keeps_the_rest_on_the_last_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
