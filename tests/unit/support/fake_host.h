/*
 * fake_host: a wiz_host for tests and the test driver. Static items shaped like the
 * sandbox's seeded tenant (Contoso Analytics, contoso-synapse, contosolake...), scripted
 * delays and failures, "hold" mode (nothing arrives until the test releases it), recorded
 * calls, and actions that end with reports. Not part of the product.
 *
 * Environment (read by fake_host_new, for the driver): FAKE_DELAY_MS (delay of each load
 * and each action phase), FAKE_FAIL=source[,source...] (those loads fail once),
 * FAKE_HOLD=1 (hold mode), FAKE_OUTCOME=refused|failed (how actions end).
 */
#ifndef SYNWIZ_TESTS_FAKE_HOST_H
#define SYNWIZ_TESTS_FAKE_HOST_H

#include <stdbool.h>

#include "wizard/wiz_host.h"

struct fake_host;

struct fake_host *fake_host_new(const char *form_id);
/** The names the fake host implements (every name the forms of forms/ use). */
const struct wiz_decl *fake_host_decl(void);
void fake_host_delete(struct fake_host *h);
struct wiz_host *fake_host_host(struct fake_host *h);
void fake_host_set_delay(struct fake_host *h, int ms);
/** The next `count` loads of `source` fail with message/hint. */
void fake_host_fail(struct fake_host *h, const char *source, int count);
void fake_host_hold(struct fake_host *h, bool on);
/** Hold mode: deliver (or fail) every held load of `source` ("job" = advance the action one
 * phase; "check" = end the check of the connection name "slow_name", which is pending until
 * then). Returns how many were released. */
int fake_host_release(struct fake_host *h, const char *source, bool fail);
/** Everything the host was asked, one line each ("load subscriptions", "action ..."). */
const char *fake_host_calls(const struct fake_host *h);
/** How many loads or job phases are waiting (held or delayed). */
int fake_host_waiting(const struct fake_host *h);
int fake_host_held(const struct fake_host *h);

#endif
