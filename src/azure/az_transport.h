/*
 * az_transport: how the pipeline's last stage moves bytes. One implementation uses the
 * libcurl multi interface (az_curl.c, the only file of synwiz that includes curl); unit
 * tests plug in a scripted fake (tests/unit/support/fake_transport.c).
 *
 * Contract:
 *   start(x)    begin the exchange described by x's request fields. Returns AZ_OK, or an
 *               error when it could not even be started (then on_complete is not called).
 *               Must not call x->on_complete from inside start.
 *   abort(x)    stop a started exchange; on_complete is then never called for it.
 *   perform()   move transfers forward and call on_complete for every exchange that
 *               finished (with its answer, or transport_result set).
 *   wait(fds, n, timeout_ms, out_readable)  block until a transfer needs perform(), one of
 *               the extra fds is readable, or timeout_ms (>= 0) passes. Sets
 *               *out_readable to the number of readable extra fds. Returns 0, or -1 on error.
 *   destroy()   abort everything and free the transport.
 * The client owns the transport it is given.
 */
#ifndef SYNWIZ_AZURE_AZ_TRANSPORT_H
#define SYNWIZ_AZURE_AZ_TRANSPORT_H

#include <stddef.h>

#include "azure/az_http.h"

struct az_transport;

struct az_transport_ops {
  enum az_result (*start)(struct az_transport *t, struct az_exchange *x);
  void (*abort)(struct az_transport *t, struct az_exchange *x);
  void (*perform)(struct az_transport *t);
  int (*wait)(struct az_transport *t, const int *fds, size_t n, int timeout_ms, int *out_readable);
  void (*destroy)(struct az_transport *t);
};

/* Implementations embed this as their first member. */
struct az_transport {
  const struct az_transport_ops *ops;
};

struct az_curl_options {
  const char *ca_bundle;  /* extra CA file trusted besides the system's, or NULL */
  const char *user_agent; /* e.g. "synwiz/0.1.0" */
  int max_host_connections;
};

/** The libcurl transport (HTTP/2 when offered, TLS verification always on). */
AZ_NODISCARD enum az_result az_curl_transport_new(const struct az_curl_options *opts,
                                                  struct az_transport **out);

#endif
