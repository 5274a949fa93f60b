#include "util/paths.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *paths_join(const char *a, const char *b)
{
  size_t la = strlen(a);
  while (la > 1 && a[la - 1] == '/')
    la--;
  while (*b == '/')
    b++;
  return xasprintf("%.*s/%s", (int)la, a, b);
}

static const char *home_dir(void)
{
  const char *h = getenv("HOME");
  if (h && *h)
    return h;
  struct passwd *pw = getpwuid(getuid());
  return pw && pw->pw_dir ? pw->pw_dir : "/";
}

static char *xdg_dir(const char *var, const char *fallback)
{
  const char *v = getenv(var);
  if (v && v[0] == '/')
    return paths_join(v, "synwiz");
  char *base = paths_join(home_dir(), fallback);
  char *dir = paths_join(base, "synwiz");
  free(base);
  return dir;
}

char *paths_config_dir(void)
{
  return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *paths_state_dir(void)
{
  return xdg_dir("XDG_STATE_HOME", ".local/state");
}

/* A data dir holds forms/ or sandbox/ (a tree may have one before the other). */
static bool is_data_dir(const char *dir)
{
  char *forms = paths_join(dir, "forms");
  char *sandbox = paths_join(dir, "sandbox");
  bool ok = fs_exists(forms) || fs_exists(sandbox);
  free(forms);
  free(sandbox);
  return ok;
}

static char *exe_share_dir(void)
{
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0'; /* PREFIX/bin */
  slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0'; /* PREFIX: the paths synwiz prints name no "bin/.." */
  char *dir = xasprintf("%s/share/synwiz", exe);
  if (is_data_dir(dir))
    return dir;
  free(dir);
  return NULL;
}

char *paths_data_dir(void)
{
  const char *env = getenv("SYNWIZ_DATA_DIR");
  if (env && *env)
    return xstrdup(env);
  char *dir = exe_share_dir();
  if (dir)
    return dir;
#ifdef SYNWIZ_SOURCE_DIR
  if (is_data_dir(SYNWIZ_SOURCE_DIR))
    return xstrdup(SYNWIZ_SOURCE_DIR);
#endif
#ifdef SYNWIZ_DATADIR
  return xstrdup(SYNWIZ_DATADIR);
#else
  return xstrdup("/usr/local/share/synwiz");
#endif
}

char *paths_data_sub(const char *sub)
{
  char *dir = paths_data_dir();
  char *p = paths_join(dir, sub);
  free(dir);
  return p;
}
