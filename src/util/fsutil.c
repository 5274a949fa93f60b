#include "util/fsutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int write_full(int fd, const char *p, size_t len)
{
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int fsync_dir_of(const char *path)
{
  char *copy = xstrdup(path);
  int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  free(copy);
  if (fd < 0)
    return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
  char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    free(tmp);
    return -1;
  }
  int saved;
  /* The umask may have narrowed or (with an odd umask) the file may pre-exist: set it. */
  if (fchmod(fd, mode) != 0 || write_full(fd, data, len) != 0 || fsync(fd) != 0)
    goto fail;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  if (rename(tmp, path) != 0)
    goto fail;
  free(tmp);
  return fsync_dir_of(path);
fail:
  saved = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  free(tmp);
  errno = saved;
  return -1;
}

int fs_read_all(const char *path, char **out_data, size_t *out_len, size_t limit)
{
  if (!limit)
    limit = 64u << 20;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t cap = 4096, len = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (len + 1 >= cap)
      buf = xgrow(buf, &cap, len + 4096, 1);
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int saved = errno;
      close(fd);
      free(buf);
      errno = saved;
      return -1;
    }
    if (n == 0)
      break;
    len += (size_t)n;
    if (len > limit) {
      close(fd);
      free(buf);
      errno = EFBIG;
      return -1;
    }
  }
  close(fd);
  buf[len] = '\0';
  *out_data = buf;
  if (out_len)
    *out_len = len;
  return 0;
}

int fs_mkdir_p(const char *path, mode_t mode)
{
  char *copy = xstrdup(path);
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(copy, mode) != 0 && errno != EEXIST) {
      free(copy);
      return -1;
    }
    *p = '/';
  }
  int rc = mkdir(copy, mode);
  free(copy);
  if (rc != 0 && errno != EEXIST)
    return -1;
  return 0;
}

bool fs_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

int fs_lock_acquire(struct fs_lock *out_lock, const char *lock_path, int timeout_ms)
{
  out_lock->fd = -1;
  int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      out_lock->fd = fd;
      return 0;
    }
    if (errno != EWOULDBLOCK && errno != EINTR)
      break;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
    if (waited >= timeout_ms) {
      errno = ETIMEDOUT;
      break;
    }
    struct timespec nap = { 0, 10 * 1000 * 1000 };
    nanosleep(&nap, NULL);
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

void fs_lock_release(struct fs_lock *lock)
{
  if (lock->fd >= 0) {
    flock(lock->fd, LOCK_UN);
    close(lock->fd);
  }
  lock->fd = -1;
}
