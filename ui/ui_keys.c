#include "ui/ui_keys.h"

#include <curses.h>
#include <stddef.h>
#include <wctype.h>

#define CTRL(c) ((c)&0x1f)

struct binding {
  int key;
  bool code;
  enum ui_req req;
};

/* The one table from keys to requests. */
static const struct binding bindings[] = {
  { '\t', false, REQ_NEXT_FIELD },    { KEY_DOWN, true, REQ_NEXT_FIELD },
  { KEY_BTAB, true, REQ_PREV_FIELD }, { KEY_UP, true, REQ_PREV_FIELD },
  { '\r', false, REQ_ENTER },         { '\n', false, REQ_ENTER },
  { KEY_ENTER, true, REQ_ENTER },     { ' ', false, REQ_CHAR },
  { KEY_LEFT, true, REQ_LEFT },       { KEY_RIGHT, true, REQ_RIGHT },
  { KEY_HOME, true, REQ_HOME },       { KEY_END, true, REQ_END },
  { CTRL('a'), false, REQ_HOME },     { KEY_BACKSPACE, true, REQ_BACKSPACE },
  { 127, false, REQ_BACKSPACE },      { CTRL('h'), false, REQ_BACKSPACE },
  { KEY_DC, true, REQ_DELETE },       { CTRL('u'), false, REQ_KILL },
  { KEY_PPAGE, true, REQ_PAGE_UP },   { KEY_NPAGE, true, REQ_PAGE_DOWN },
  { KEY_F(10), true, REQ_NEXT_STEP }, { CTRL('n'), false, REQ_NEXT_STEP },
  { KEY_F(8), true, REQ_PREV_STEP },  { CTRL('b'), false, REQ_PREV_STEP },
  { KEY_F(2), true, REQ_SAVE_DRAFT }, { CTRL('s'), false, REQ_SAVE_DRAFT },
  { KEY_F(9), true, REQ_CANCEL },     { CTRL('x'), false, REQ_CANCEL },
  { CTRL('c'), false, REQ_CANCEL },   { KEY_F(1), true, REQ_HELP },
  { CTRL('g'), false, REQ_HELP },     { KEY_F(3), true, REQ_REVEAL },
  { CTRL('v'), false, REQ_REVEAL },   { KEY_F(5), true, REQ_RETRY },
  { CTRL('r'), false, REQ_RETRY },    { KEY_F(6), true, REQ_ACTION },
  { CTRL('t'), false, REQ_ACTION },   { KEY_F(7), true, REQ_ALL },
  { CTRL('e'), false, REQ_ALL },      { 27, false, REQ_CLOSE },
};

static const char *const keys_text[] = {
#define UI_REQ_KEYS(name, keys, help) keys,
  UI_REQUESTS(UI_REQ_KEYS)
#undef UI_REQ_KEYS
};
static const char *const help_text[] = {
#define UI_REQ_HELP(name, keys, help) help,
  UI_REQUESTS(UI_REQ_HELP)
#undef UI_REQ_HELP
};

enum ui_req ui_key_request(int key, bool is_code)
{
  for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
    if (bindings[i].key == key && bindings[i].code == is_code)
      return bindings[i].req;
  }
  if (!is_code && key >= 32 && iswprint((wint_t)key))
    return REQ_CHAR;
  return REQ_NONE;
}

/* CSI sequences ESC [ <number> ~ (vt220 and xterm editing and function keys). */
static const struct {
  int number;
  int key;
} tilde_keys[] = {
  { 1, KEY_HOME },  { 2, KEY_IC },    { 3, KEY_DC },     { 4, KEY_END },    { 5, KEY_PPAGE },
  { 6, KEY_NPAGE }, { 7, KEY_HOME },  { 8, KEY_END },    { 11, KEY_F(1) },  { 12, KEY_F(2) },
  { 13, KEY_F(3) }, { 14, KEY_F(4) }, { 15, KEY_F(5) },  { 17, KEY_F(6) },  { 18, KEY_F(7) },
  { 19, KEY_F(8) }, { 20, KEY_F(9) }, { 21, KEY_F(10) }, { 23, KEY_F(11) }, { 24, KEY_F(12) },
};

/* The final letter of ESC [ X or ESC O X (cursor keys, Home and End, SS3's F1 to F4). */
static int letter_key(int c, bool ss3)
{
  switch (c) {
  case 'A':
    return KEY_UP;
  case 'B':
    return KEY_DOWN;
  case 'C':
    return KEY_RIGHT;
  case 'D':
    return KEY_LEFT;
  case 'H':
    return KEY_HOME;
  case 'F':
    return KEY_END;
  case 'Z':
    return ss3 ? 0 : KEY_BTAB;
  case 'P':
  case 'Q':
  case 'R':
  case 'S':
    return ss3 ? KEY_F(1 + c - 'P') : 0;
  case 'M':
    return ss3 ? KEY_ENTER : 0;
  default:
    return 0;
  }
}

enum ui_seq ui_key_sequence(const int *seq, size_t n, int *key)
{
  *key = 0;
  if (n == 0)
    return UI_SEQ_MORE;
  if (seq[0] == 'O') { /* SS3: one character follows */
    if (n < 2)
      return UI_SEQ_MORE;
    *key = letter_key(seq[1], true);
    return *key ? UI_SEQ_KEY : UI_SEQ_UNKNOWN;
  }
  if (seq[0] != '[')
    return UI_SEQ_NONE;
  /* CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, then one final 0x40-0x7e. A length
   * limit, so that a stray ESC [ followed by typing cannot swallow it for long. */
  for (size_t i = 1; i < n; i++) {
    int c = seq[i];
    if (c >= 0x40 && c <= 0x7e) {
      if (i + 1 != n)
        return UI_SEQ_UNKNOWN;
      if (i == 1) {
        *key = letter_key(c, false);
      } else if (c == '~') {
        int number = 0;
        for (size_t k = 1; k < i; k++) {
          if (seq[k] < '0' || seq[k] > '9' || number > 99)
            return UI_SEQ_UNKNOWN; /* a modifier (ESC [ 2 1 ; 5 ~) or a private mark */
          number = number * 10 + (seq[k] - '0');
        }
        for (size_t k = 0; k < sizeof(tilde_keys) / sizeof(tilde_keys[0]); k++) {
          if (tilde_keys[k].number == number)
            *key = tilde_keys[k].key;
        }
      }
      return *key ? UI_SEQ_KEY : UI_SEQ_UNKNOWN;
    }
    if (c < 0x20 || c > 0x3f)
      return UI_SEQ_UNKNOWN;
  }
  return n < 16 ? UI_SEQ_MORE : UI_SEQ_UNKNOWN;
}

const char *ui_req_keys(enum ui_req r)
{
  return (size_t)r < UI_REQ_COUNT ? keys_text[r] : "";
}

const char *ui_req_help(enum ui_req r)
{
  return (size_t)r < UI_REQ_COUNT ? help_text[r] : "";
}
