/*
 * greeting_host: the worked example of docs/ARCHITECTURE.md "Adding a wizard": the app
 * host of the test-only form tests/fixtures/forms/greeting.json, its one action
 * greeting_send as a step table (app_job.h), put in the registry (app_action.h) at run
 * time. A product wizard adds its line to app_action.c instead.
 */
#ifndef SYNWIZ_TESTS_GREETING_HOST_H
#define SYNWIZ_TESTS_GREETING_HOST_H

#include <stdbool.h>

/** Add the greeting wizard to the registry (true once; false when it is there already). */
bool greeting_host_register(void);

#endif
