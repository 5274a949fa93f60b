/*
 * fsutil: the only way synwiz writes files it cares about.
 *
 * fs_write_atomic() writes to a temporary file in the same directory, fsyncs it, renames it
 * over the target and fsyncs the directory, so a reader (or a crash, or kill -9 at any
 * moment) sees either the old content or the new one, never a mix. The file gets `mode`
 * (use 0600 for anything holding a secret or an identity) regardless of the umask.
 *
 * fs_lock_acquire() takes an exclusive advisory lock (flock) on DIR/NAME.lock, waiting at
 * most timeout_ms; it is how concurrent synwiz processes serialise read-modify-write cycles
 * on a shared store. All functions return 0 on success or -1 with errno set.
 */
#ifndef SYNWIZ_UTIL_FSUTIL_H
#define SYNWIZ_UTIL_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/** Read a whole file into a fresh NUL-terminated buffer (at most `limit` bytes, 0 = 64 MiB). */
int fs_read_all(const char *path, char **out_data, size_t *out_len, size_t limit);
/** mkdir -p with `mode` for the directories it creates. */
int fs_mkdir_p(const char *path, mode_t mode);
bool fs_exists(const char *path);

struct fs_lock {
  int fd;
};
int fs_lock_acquire(struct fs_lock *out_lock, const char *lock_path, int timeout_ms);
void fs_lock_release(struct fs_lock *lock);

#endif
