#include "azure/az_clock.h"

#include <time.h>

#include <openssl/rand.h>

static int64_t clock_ms(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t system_monotonic_ms(void *ud)
{
  (void)ud;
  return clock_ms(CLOCK_MONOTONIC);
}

static int64_t system_wall_ms(void *ud)
{
  (void)ud;
  return clock_ms(CLOCK_REALTIME);
}

static uint32_t system_random_u32(void *ud)
{
  (void)ud;
  uint32_t v = 0;
  if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1) {
    /* Jitter only spreads retries out; a fixed value is safe if the generator fails. */
    v = 0x80000000u;
  }
  return v;
}

const struct az_clock *az_clock_system(void)
{
  static const struct az_clock sys = { system_monotonic_ms, system_wall_ms, system_random_u32,
                                       NULL };
  return &sys;
}
