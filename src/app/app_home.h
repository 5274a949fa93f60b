/*
 * app_home: the home screen's data (wizard/wiz_host.h struct wiz_home) from the store and
 * the signed-in identity: connections, exports, models and linked services the identity
 * may see, who is signed in and to which cloud. When the store cannot be read (nobody
 * signed in, a store refused), each section says why instead of listing nothing.
 * Connections (for administrators) and linked services (for administrators and
 * contributors) carry their host's actions on the saved thing; a linked service's entry is
 * bound by "WORKSPACE/NAME" (its name is unique only in its workspace).
 */
#ifndef SYNWIZ_APP_APP_HOME_H
#define SYNWIZ_APP_APP_HOME_H

struct app_ctx;
struct wiz_home;

/** A fresh home (the caller deletes it with wiz_home_delete). */
struct wiz_home *app_home_build(struct app_ctx *ctx);

#endif
