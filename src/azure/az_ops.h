/*
 * az_ops: the few lines every typed operation is made of (internal to src/azure/).
 * Each takes ownership of `url` (NULL = a missing or empty name, which fails the call with
 * AZ_E_INVALID_ARG instead of addressing some other resource).
 *
 * Adding an operation: build the URL with az_url_build() + az_url_with_version(), then
 *     return az_op_get(c, url, "workspace");          one object
 *     return az_op_list(c, url, "workspaces");        {"value": [...]} over every page
 *     return az_op_send(c, "PUT", url, body, &opts, "container");   any method
 *     return az_op_lro(c, "PUT", url, body, read_back_url, "linked service");
 * and add a case to the operation's unit test (tests/unit/test_az_ops.c).
 */
#ifndef SYNWIZ_AZURE_AZ_OPS_H
#define SYNWIZ_AZURE_AZ_OPS_H

#include "azure/az_internal.h"

struct az_call *az_op_get(struct az_client *c, char *url, const char *what);
struct az_call *az_op_list(struct az_client *c, char *url, const char *what);
struct az_call *az_op_send(struct az_client *c, const char *method, char *url, json_t *body,
                           const struct az_request_options *opts, const char *what);
/** A long-running write, followed to its end; `read_back_url` (owned, may be NULL). */
struct az_call *az_op_lro(struct az_client *c, const char *method, char *url, json_t *body,
                          char *read_back_url, bool final_get, const char *what);

#endif
