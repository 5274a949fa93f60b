/*
 * app_home: the home screen's data (wizard/wiz_host.h struct wiz_home) from the store and
 * the signed-in identity: one section per kind of saved thing, from one table in
 * app_home.c (title, saved kind, columns, when it shows, its rows function): a new kind is
 * one line there. Each thing is one entry with a cell per column and the actions the
 * registry (app_action.h) offers on its kind when the user's role lets them act on it; a
 * section carries its kind's section-wide actions (APP_ACTION_SECTION, "Run all").
 * Connections and linked services always show; exports and models once the registry acts
 * on them (their wizards exist); tables when the store holds some. A linked service's entry
 * is bound by "WORKSPACE/NAME" (its name is unique only in its workspace).
 *
 * When the store cannot be read (nobody signed in, a store refused), each section says why
 * instead of listing nothing; signed out, the home also offers Sign in (wiz_home.sign_in).
 * The home names the files whose change makes it stale (wiz_home_watch: the store's
 * directories and roles, the token cache), which the home screen checks while idle.
 */
#ifndef SYNWIZ_APP_APP_HOME_H
#define SYNWIZ_APP_APP_HOME_H

struct app_ctx;
struct wiz_home;

/** A fresh home (the caller deletes it with wiz_home_delete). */
struct wiz_home *app_home_build(struct app_ctx *ctx);

#endif
