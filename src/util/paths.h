/*
 * paths: where synwiz keeps and finds things. Every function returns a fresh heap string.
 *
 *  config  $XDG_CONFIG_HOME/synwiz   (default ~/.config/synwiz): the store, cloud profiles
 *  state   $XDG_STATE_HOME/synwiz    (default ~/.local/state/synwiz): token cache, drafts, logs
 *  data    read-only program data (forms/, sandbox/), looked up in this order:
 *          $SYNWIZ_DATA_DIR; <dir of the executable>/../share/synwiz when it exists (an
 *          installed tree); the source tree the binary was built from (a developer build);
 *          the configured install prefix.
 */
#ifndef SYNWIZ_UTIL_PATHS_H
#define SYNWIZ_UTIL_PATHS_H

char *paths_config_dir(void);
char *paths_state_dir(void);
/** The directory holding forms/ and sandbox/. */
char *paths_data_dir(void);
/** paths_data_dir()/<sub>, e.g. "forms". */
char *paths_data_sub(const char *sub);
/** a/b joined with exactly one slash. */
char *paths_join(const char *a, const char *b);

#endif
