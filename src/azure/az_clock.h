/*
 * az_clock: time and randomness as the Azure client sees them, behind a function table so
 * that unit tests run retry back-offs, token expiry and device-code polling in simulated
 * time (tests/unit/support/fake_clock.c).
 *
 *   monotonic_ms  milliseconds from an arbitrary origin, never going back: deadlines, timers
 *   wall_ms       milliseconds since the Unix epoch: token expiry, Retry-After dates,
 *                 x-ms-date, JWT nbf/exp
 *   random_u32    uniformly random 32 bits: back-off jitter (not for secrets or GUIDs)
 */
#ifndef SYNWIZ_AZURE_AZ_CLOCK_H
#define SYNWIZ_AZURE_AZ_CLOCK_H

#include <stdint.h>

struct az_clock {
  int64_t (*monotonic_ms)(void *ud);
  int64_t (*wall_ms)(void *ud);
  uint32_t (*random_u32)(void *ud);
  void *ud;
};

/** The system's clocks (CLOCK_MONOTONIC, CLOCK_REALTIME) and OpenSSL's generator. */
const struct az_clock *az_clock_system(void);

#endif
