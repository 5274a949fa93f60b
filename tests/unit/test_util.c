/* Unit tests for src/util: strbuf limits, encodings, GUIDs, atomic writes and locks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/encode.h"
#include "util/fsutil.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static void strbuf_respects_limit(void **state)
{
  struct strbuf sb;
  strbuf_init(&sb, 8);
  assert_true(strbuf_puts(&sb, "abcd"));
  assert_true(strbuf_printf(&sb, "%d", 1234));
  assert_false(strbuf_putc(&sb, 'x'));
  assert_string_equal(sb.buf, "abcd1234");
  assert_int_equal(sb.len, 8);
  strbuf_done(&sb);
}

static void strbuf_urlencodes_reserved(void **state)
{
  struct strbuf sb;
  strbuf_init(&sb, 0);
  assert_true(strbuf_put_urlencoded(&sb, "roleName eq 'A b'/+="));
  assert_string_equal(sb.buf, "roleName%20eq%20%27A%20b%27%2F%2B%3D");
  char *s = strbuf_detach(&sb, NULL);
  assert_string_equal(sb.buf, "");
  free(s);
  strbuf_done(&sb);
}

static void base64_round_trips(void **state)
{
  /* RFC 4648 section 10 test vectors. */
  const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
  const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
  for (size_t i = 0; i < 7; i++) {
    char *e = b64_encode(in[i], strlen(in[i]));
    assert_string_equal(e, out[i]);
    size_t n = 0;
    unsigned char *d = b64_decode(e, &n);
    assert_non_null(d);
    assert_int_equal(n, strlen(in[i]));
    assert_memory_equal(d, in[i], n);
    free(d);
    free(e);
  }
  assert_null(b64_decode("Zm9v!", NULL));
  assert_null(b64_decode("Zm9vY", NULL));
}

static void base64url_has_no_padding(void **state)
{
  unsigned char raw[] = { 0xfb, 0xff, 0xfe };
  char *e = b64url_encode(raw, 2);
  assert_string_equal(e, "-_8");
  size_t n;
  unsigned char *d = b64url_decode(e, &n);
  assert_int_equal(n, 2);
  assert_memory_equal(d, raw, 2);
  free(d);
  free(e);
  char *h = hex_encode(raw, 3);
  assert_string_equal(h, "fbfffe");
  free(h);
}

static void uuids_are_v4_and_checked(void **state)
{
  char a[UUID_STR_LEN], b[UUID_STR_LEN];
  uuid_v4(a);
  uuid_v4(b);
  assert_true(uuid_is_valid(a));
  assert_string_not_equal(a, b);
  assert_int_equal(a[14], '4');
  assert_true(strchr("89ab", a[19]) != NULL);
  assert_true(uuid_is_valid("6E4BF58A-B8E1-4CC3-BBF9-D73143322B78"));
  /* The Synapse quickstart's sample id has a 'u': never accepted. */
  assert_false(uuid_is_valid("81707eac-ab38-406u-8f6c-10ce76a568d5"));
  assert_false(uuid_is_valid("81707eac-ab38-4066-8f6c-10ce76a568d"));
  assert_false(uuid_is_valid("81707eacab38-4066-8f6c-10ce76a568d55"));
  assert_false(uuid_is_valid(NULL));
}

static void atomic_write_sets_mode_and_replaces(void **state)
{
  char dir[] = "/tmp/synwiz-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char *sub = paths_join(dir, "a/b");
  assert_int_equal(fs_mkdir_p(sub, 0700), 0);
  char *file = paths_join(sub, "f.json");
  umask(0);
  assert_int_equal(fs_write_atomic(file, "one", 3, 0600), 0);
  assert_int_equal(fs_write_atomic(file, "second", 6, 0600), 0);
  struct stat st;
  assert_int_equal(stat(file, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  char *data = NULL;
  size_t len = 0;
  assert_int_equal(fs_read_all(file, &data, &len, 0), 0);
  assert_string_equal(data, "second");
  free(data);

  char *lockp = paths_join(dir, "store.lock");
  struct fs_lock l1, l2;
  assert_int_equal(fs_lock_acquire(&l1, lockp, 100), 0);
  /* flock locks belong to the open file description: a second open waits, then fails. */
  assert_int_equal(fs_lock_acquire(&l2, lockp, 50), -1);
  fs_lock_release(&l1);
  assert_int_equal(fs_lock_acquire(&l2, lockp, 50), 0);
  fs_lock_release(&l2);

  unlink(file);
  unlink(lockp);
  rmdir(sub);
  char *a = paths_join(dir, "a");
  rmdir(a);
  rmdir(dir);
  free(a);
  free(lockp);
  free(file);
  free(sub);
}

static void paths_join_normalises_slashes(void **state)
{
  char *p = paths_join("/x/", "/y");
  assert_string_equal(p, "/x/y");
  free(p);
  setenv("XDG_STATE_HOME", "/tmp/st", 1);
  p = paths_state_dir();
  assert_string_equal(p, "/tmp/st/synwiz");
  free(p);
  setenv("XDG_STATE_HOME", "relative", 1); /* the spec says: ignore relative paths */
  setenv("HOME", "/home/u", 1);
  p = paths_state_dir();
  assert_string_equal(p, "/home/u/.local/state/synwiz");
  free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(strbuf_respects_limit),
    cmocka_unit_test(strbuf_urlencodes_reserved),
    cmocka_unit_test(base64_round_trips),
    cmocka_unit_test(base64url_has_no_padding),
    cmocka_unit_test(uuids_are_v4_and_checked),
    cmocka_unit_test(atomic_write_sets_mode_and_replaces),
    cmocka_unit_test(paths_join_normalises_slashes),
  };
  return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
