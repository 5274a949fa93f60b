/* Replays fuzz inputs without libFuzzer: `fuzz_X FILE|DIR...` runs the target once on each
 * file. Built into the gcc trees (normal and ASan + UBSan), it makes the seed corpora and
 * any crash a fuzzer found regression tests; the clang tree links libFuzzer's main instead. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/fsutil.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  char *data = NULL;
  size_t len = 0;
  if (fs_read_all(path, &data, &len, 64u << 20) != 0) {
    fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
    return 1;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  free(data);
  return 0;
}

int main(int argc, char **argv)
{
  int bad = 0;
  int runs = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "fuzz_replay: no such file: %s\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      bad |= run_file(argv[i]);
      runs++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.')
        continue;
      char *p = xasprintf("%s/%s", argv[i], e->d_name);
      bad |= run_file(p);
      runs++;
      free(p);
    }
    if (d)
      closedir(d);
  }
  printf("fuzz_replay: %d inputs ran\n", runs);
  return bad || runs == 0;
}
