/* ui_key_sequence(): what follows an Esc that the terminal description did not know. The
 * keys people press (F10 under TERM=vt100 in tmux) work; anything else is dropped whole,
 * never left for a field to take as typing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "ui/ui_keys.h"

/* Feeds `s` one character at a time, as the terminal's reader does; returns the end state
 * and how many characters it took. */
static enum ui_seq feed(const char *s, int *key, size_t *used)
{
  int seq[32];
  size_t n = 0;
  enum ui_seq what = UI_SEQ_MORE;
  for (const char *p = s; *p && what == UI_SEQ_MORE; p++) {
    seq[n++] = (unsigned char)*p;
    what = ui_key_sequence(seq, n, key);
  }
  *used = n;
  return what;
}

static void test_f10_of_tmux_is_f10(void **state)
{
  (void)state;
  int key = 0;
  size_t used = 0;
  assert_int_equal(feed("[21~", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_F(10));
  assert_int_equal(used, 4);
  assert_int_equal(feed("[20~", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_F(9));
  assert_int_equal(feed("OP", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_F(1));
}

static void test_cursor_and_editing_keys(void **state)
{
  (void)state;
  int key = 0;
  size_t used = 0;
  assert_int_equal(feed("[A", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_UP);
  assert_int_equal(feed("OB", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_DOWN);
  assert_int_equal(feed("[3~", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_DC);
  assert_int_equal(feed("[Z", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_BTAB);
  assert_int_equal(feed("[6~", &key, &used), UI_SEQ_KEY);
  assert_int_equal(key, KEY_NPAGE);
}

static void test_unknown_sequences_are_dropped_whole(void **state)
{
  (void)state;
  int key = 0;
  size_t used = 0;
  /* Ctrl-Right, an unassigned number, a private mode report: all consumed to their end. */
  assert_int_equal(feed("[1;5Cabc", &key, &used), UI_SEQ_UNKNOWN);
  assert_int_equal(used, 5);
  assert_int_equal(feed("[99~x", &key, &used), UI_SEQ_UNKNOWN);
  assert_int_equal(used, 4);
  assert_int_equal(feed("[?1;2cz", &key, &used), UI_SEQ_UNKNOWN);
  assert_int_equal(used, 6);
}

static void test_esc_then_another_key_is_two_keys(void **state)
{
  (void)state;
  int key = 0;
  size_t used = 0;
  /* Esc then Ctrl-X (or a letter) typed quickly: no sequence, both keys count. */
  assert_int_equal(feed("\x18", &key, &used), UI_SEQ_NONE);
  assert_int_equal(feed("x", &key, &used), UI_SEQ_NONE);
  assert_int_equal(used, 1);
}

static void test_unfinished_sequence_asks_for_more_but_not_for_ever(void **state)
{
  (void)state;
  int key = 0;
  size_t used = 0;
  assert_int_equal(feed("[21", &key, &used), UI_SEQ_MORE);
  assert_int_equal(feed("O", &key, &used), UI_SEQ_MORE);
  assert_int_equal(feed("[1111111111111111111", &key, &used), UI_SEQ_UNKNOWN);
  assert_true(used <= 16);
  /* A control character inside ends it. */
  assert_int_equal(feed("[2\r", &key, &used), UI_SEQ_UNKNOWN);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_f10_of_tmux_is_f10),
    cmocka_unit_test(test_cursor_and_editing_keys),
    cmocka_unit_test(test_unknown_sequences_are_dropped_whole),
    cmocka_unit_test(test_esc_then_another_key_is_two_keys),
    cmocka_unit_test(test_unfinished_sequence_asks_for_more_but_not_for_ever),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
