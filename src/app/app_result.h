/*
 * app_result: the result codes of the app layer (src/app), with their messages, from one
 * X-macro table.
 *
 * Every app function that can fail returns an `enum app_result`; APP_OK is 0 so `if (rc)`
 * reads as "if it failed". The message of a code is a short, fixed sentence fit for a
 * status line; modules that know more (the store names the record, the conflict, who may
 * do what) keep a detailed message of their own next to the code (see store_message()).
 *
 * To add a code, add one X(...) line to APP_RESULT_TABLE: the enum, the name and the
 * message all come from it, so they cannot drift apart. Keep APP_OK first. The `class`
 * column groups codes for callers that map them to something coarser (the CLI's exit
 * status): USAGE = the request was wrong (a store synwiz cannot use counts: it is the
 * user's input, and no retry fixes it), REFUSED = not allowed or in conflict with the
 * state, FAILURE = the system failed (I/O, a lock held too long).
 */
#ifndef SYNWIZ_APP_APP_RESULT_H
#define SYNWIZ_APP_APP_RESULT_H

/* X(code, class, message) */
#include "azure/az_result.h"

#define APP_RESULT_TABLE(X)                                                     \
  X(APP_OK, OK, "done")                                                         \
  X(APP_INVALID, USAGE, "invalid input")                                        \
  X(APP_NOT_FOUND, USAGE, "not found")                                          \
  X(APP_NAME_TAKEN, REFUSED, "the name is already taken")                       \
  X(APP_CONFLICT_CHANGED, REFUSED, "someone else changed it since it was read") \
  X(APP_CONFLICT_REMOVED, REFUSED, "someone else removed it since it was read") \
  X(APP_DENIED, REFUSED, "your role in this store does not allow it")           \
  X(APP_NO_ROLE, REFUSED, "you have no role in this store")                     \
  X(APP_LAST_ADMIN, REFUSED, "a store needs at least one administrator")        \
  X(APP_HAS_DEPENDENTS, REFUSED, "exports or models still use it")              \
  X(APP_STORE_TOO_NEW, USAGE, "the store was written by a newer synwiz")        \
  X(APP_STORE_CORRUPT, USAGE, "a file of the store cannot be read")             \
  X(APP_STORE_UNSAFE, USAGE, "the store's permissions let others write to it")  \
  X(APP_STORE_NOT_STORE, USAGE, "the directory is not a synwiz store")          \
  X(APP_STORE_BUSY, FAILURE, "the store is locked by another synwiz")           \
  X(APP_IO, FAILURE, "the store could not be read or written")                  \
  X(APP_NOT_SIGNED_IN, REFUSED, "nobody is signed in")                          \
  X(APP_AZURE, FAILURE, "an Azure call failed (its error says why)")

enum app_result_class {
  APP_CLASS_OK,
  APP_CLASS_USAGE,
  APP_CLASS_REFUSED,
  APP_CLASS_FAILURE,
};

#define APP_RESULT_ENUM_(code, class, message) code,
enum app_result { APP_RESULT_TABLE(APP_RESULT_ENUM_) APP_RESULT_COUNT_ };
#undef APP_RESULT_ENUM_

/** The fixed message of `rc` ("unknown result" for a value outside the table). */
const char *app_result_message(enum app_result rc);
/** The code's name as written in the table, e.g. "APP_NAME_TAKEN" (for logs and tests). */
const char *app_result_name(enum app_result rc);
enum app_result_class app_result_class(enum app_result rc);
/** Azure's refusal or failure in the app's classes (a cancelled call is a failure here:
 * app_job_az_outcome() tells it apart). */
enum app_result app_result_of_az(enum az_result r);

#endif
