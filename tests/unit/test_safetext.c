/* Unit tests for src/util/safetext: what outside text becomes before it reaches a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/safetext.h"

static void expect_safe(const char *in, size_t max, unsigned flags, const char *want)
{
  char *got = safetext_dup(in, max, flags);
  assert_string_equal(got, want);
  free(got);
}

static void plain_text_is_unchanged(void **state)
{
  expect_safe("rg-ml_01 Contoso (West Europe)", 0, 0, "rg-ml_01 Contoso (West Europe)");
  expect_safe("Ünïcödé 名前", 0, 0, "Ünïcödé 名前");
  expect_safe(NULL, 0, 0, "");
  assert_true(safetext_is_plain("ws-contoso", SAFETEXT_NAME_MAX, 0));
}

static void escape_sequences_are_shown_not_sent(void **state)
{
  /* A title change (OSC 0 ... BEL) and a clear screen (CSI 2 J). */
  expect_safe("a\x1b]0;pwned\x07z", 0, 0, "a\\x1b]0;pwned\\x07z");
  expect_safe("\x1b[2J", 0, 0, "\\x1b[2J");
  expect_safe("tab\there", 0, 0, "tab\\x09here");
  expect_safe("del\x7f", 0, 0, "del\\x7f");
  assert_false(safetext_is_plain("\x1b[2J", 0, 0));
}

static void c1_controls_and_bidi_overrides_are_shown(void **state)
{
  /* U+009B is CSI on terminals that honour 8-bit controls. */
  expect_safe("x\xc2\x9b"
              "2J",
              0, 0, "x\\u{009b}2J");
  /* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200B ZERO WIDTH SPACE. */
  expect_safe("abc\xe2\x80\xae"
              "fdp.exe",
              0, 0, "abc\\u{202e}fdp.exe");
  expect_safe("\xe2\x81\xa6x\xe2\x80\x8by", 0, 0, "\\u{2066}x\\u{200b}y");
}

static void invalid_utf8_is_shown_byte_by_byte(void **state)
{
  expect_safe("a\xff"
              "b",
              0, 0, "a\\xffb");
  /* An overlong '/' and a lone surrogate are not valid UTF-8. */
  expect_safe("\xc0\xaf", 0, 0, "\\xc0\\xaf");
  expect_safe("\xed\xa0\x80", 0, 0, "\\xed\\xa0\\x80");
  /* A sequence cut short at the end. */
  expect_safe("ok\xe2\x80", 0, 0, "ok\\xe2\\x80");
}

static void newlines_kept_only_when_asked(void **state)
{
  expect_safe("line 1\nline 2", 0, 0, "line 1\\x0aline 2");
  expect_safe("line 1\nline 2", 0, SAFETEXT_NEWLINES, "line 1\nline 2");
  expect_safe("a\r\nb", 0, SAFETEXT_NEWLINES, "a\\x0d\nb");
}

static void long_text_is_cut_with_an_ellipsis(void **state)
{
  expect_safe("abcdef", 3, 0, "abc\xe2\x80\xa6");
  expect_safe("abc", 3, 0, "abc");
  /* Characters, not bytes: three two-byte letters fit in three. */
  expect_safe("äöüß", 3, 0, "äöü\xe2\x80\xa6");
  assert_false(safetext_is_plain("abcdef", 3, 0));
  char *big = malloc(1u << 20);
  memset(big, 'x', (1u << 20) - 1);
  big[(1u << 20) - 1] = '\0';
  char *cut = safetext_dup(big, SAFETEXT_NAME_MAX, 0);
  assert_int_equal(strlen(cut), SAFETEXT_NAME_MAX + 3);
  free(cut);
  free(big);
}

/* A name in a command synwiz suggests is pasted into a shell as one word. */
static void shell_words_paste_as_one_word(void **state)
{
  (void)state;
  const char *cases[][2] = {
    { "sales_lake", "sales_lake" },   { "Sales lake 2", "'Sales lake 2'" },
    { "it's", "'it'\\''s'" },         { "", "''" },
    { "a;rm -rf ~", "'a;rm -rf ~'" }, { "$HOME", "'$HOME'" },
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *w = safetext_shell_word(cases[i][0]);
    assert_string_equal(w, cases[i][1]);
    free(w);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(plain_text_is_unchanged),
    cmocka_unit_test(escape_sequences_are_shown_not_sent),
    cmocka_unit_test(c1_controls_and_bidi_overrides_are_shown),
    cmocka_unit_test(invalid_utf8_is_shown_byte_by_byte),
    cmocka_unit_test(newlines_kept_only_when_asked),
    cmocka_unit_test(long_text_is_cut_with_an_ellipsis),
    cmocka_unit_test(shell_words_paste_as_one_word),
  };
  return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
