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

const char *ui_req_keys(enum ui_req r)
{
  return (size_t)r < UI_REQ_COUNT ? keys_text[r] : "";
}

const char *ui_req_help(enum ui_req r)
{
  return (size_t)r < UI_REQ_COUNT ? help_text[r] : "";
}
