/* Fuzz target: the Azure client's request pipeline answered by arbitrary responses (the
 * fake transport of the unit tests, with simulated time): a paged list (nextLink), a
 * long-running write (Azure-AsyncOperation, Location, provisioningState, Retry-After) and
 * a plain GET, as retries, paging and operation following parse status lines, headers and
 * bodies. Input: replies separated by "\n===\n"; in each, the first byte picks the status,
 * the text up to the first blank line is the headers, the rest the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "azure/az_client.h"
#include "support/az_fake.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int statuses[] = { 200, 201, 202, 204, 301, 400, 401, 403,
                                404, 409, 412, 429, 500, 502, 503, 504 };

static void push_reply(struct azfake *f, const char *p, size_t n)
{
  if (n == 0)
    return;
  int status = statuses[(unsigned char)p[0] % (sizeof(statuses) / sizeof(statuses[0]))];
  char *rest = xstrndup(p + 1, n - 1);
  char *blank = strstr(rest, "\n\n");
  if (blank) {
    *blank = '\0';
    azfake_push(f, status, rest, blank + 2);
  } else {
    azfake_push(f, status, NULL, rest);
  }
  free(rest);
}

/* memmem is a GNU extension; the build sees POSIX only. */
static const char *find_sep(const char *p, const char *end)
{
  for (; end - p >= 5; p++)
    if (memcmp(p, "\n===\n", 5) == 0)
      return p;
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct azfake *f = NULL;
  struct az_client *c = azfake_signed_in_client(&f);
  const char *p = (const char *)data;
  const char *end = p + size;
  int replies = 0;
  while (p < end && replies < 32) {
    const char *sep = find_sep(p, end);
    size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
    push_reply(f, p, n);
    replies++;
    p = sep ? sep + 5 : end;
  }
  const char *base = "https://management.azure.com/subscriptions/s1";
  char *list_url = xasprintf("%s/resourceGroups?api-version=2021-04-01", base);
  char *put_url = xasprintf("%s/resourceGroups/rg?api-version=2021-04-01", base);
  struct az_call *calls[3] = {
    az_call_list(c, list_url, NULL),
    az_call_long_running(c, "PUT", put_url, "{}", NULL, put_url),
    az_call_request(c, "GET", put_url, NULL, NULL),
  };
  for (size_t i = 0; i < 3; i++) {
    az_call_wait(calls[i]);
    char *summary = az_error_summary(az_call_error(calls[i]));
    free(summary);
    az_call_delete(calls[i]);
  }
  free(list_url);
  free(put_url);
  az_client_delete(c);
  azfake_delete(f);
  return 0;
}
