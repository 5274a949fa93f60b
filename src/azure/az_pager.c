/*
 * The pager: a call that fetches page after page and merges the items into one
 * {"value": [...]}. Three ways of asking for the next page exist in the APIs synwiz uses
 * (see enum az_paging); a pager refuses to loop forever (the same next page twice, or more
 * than MAX_PAGES pages, is an error).
 */
#include "azure/az_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 1000

struct pager {
  char *method;
  char *first_url;
  json_t *body;
  enum az_paging paging;
  struct az_request_options opts;
  struct az_headers extra;
  char *scope;
  char *content_type;
  json_t *items;
  char *last_token;
  int pages;
  struct az_request *req;
};

static void start_page(struct az_call *call, const char *url, const char *continuation);

static void pager_fail(struct az_call *call, enum az_result r, const char *msg)
{
  az_error_set(&call->error, r, "%s", msg);
  az_call_finish(call, r);
}

static json_t *page_items(json_t *page)
{
  if (json_is_array(page))
    return page;
  json_t *v = json_object_get(page, "value");
  return json_is_array(v) ? v : NULL;
}

static void page_done(struct az_request *r)
{
  struct az_call *call = r->ud;
  struct pager *p = call->state;
  p->req = NULL;
  if (r->result != AZ_OK) {
    az_call_finish_from_request(call, r);
    az_request_delete(r);
    return;
  }
  az_call_take_answer(call, r);
  json_t *page = call->json;
  json_t *items = page_items(page);
  if (!items) {
    az_request_delete(r);
    pager_fail(call, AZ_E_BAD_RESPONSE, "a list answer had no \"value\" array");
    return;
  }
  json_array_extend(p->items, items);
  p->pages++;
  char *next = NULL;
  char *continuation = NULL;
  switch (p->paging) {
  case AZ_PAGING_NEXT_LINK: {
    const char *nl = json_string_value(json_object_get(page, "nextLink"));
    if (!nl)
      nl = json_string_value(json_object_get(page, "@odata.nextLink"));
    if (nl && *nl)
      next = xstrdup(nl);
    break;
  }
  case AZ_PAGING_CONTINUATION_HEADER: {
    const char *ct = az_headers_get(&r->x.response_headers, "x-ms-continuation");
    if (ct && *ct)
      continuation = xstrdup(ct);
    break;
  }
  case AZ_PAGING_BODY_TOKEN: {
    const char *ct = json_string_value(json_object_get(page, "continuationToken"));
    if (ct && *ct)
      continuation = xstrdup(ct);
    break;
  }
  case AZ_PAGING_NONE:
    break;
  }
  az_request_delete(r);
  const char *token = next ? next : continuation;
  if (!token) {
    json_decref(call->json);
    call->json = json_pack("{s:O}", "value", p->items);
    az_call_finish(call, AZ_OK);
    return;
  }
  if (p->pages >= MAX_PAGES || (p->last_token && strcmp(p->last_token, token) == 0)) {
    free(next);
    free(continuation);
    pager_fail(call, AZ_E_BAD_RESPONSE,
               "the service kept answering the same next page; stopped following it");
    return;
  }
  free(p->last_token);
  p->last_token = xstrdup(token);
  start_page(call, next ? next : p->first_url, continuation);
  free(next);
  free(continuation);
}

static void start_page(struct az_call *call, const char *url, const char *continuation)
{
  struct pager *p = call->state;
  struct az_request *r = az_request_new(call->client, p->method, url, page_done, call);
  az_request_apply_options(r, &p->opts);
  if (p->paging == AZ_PAGING_CONTINUATION_HEADER && continuation)
    az_headers_set(&r->headers, "x-ms-continuation", continuation);
  if (p->body) {
    json_t *body = json_deep_copy(p->body);
    if (p->paging == AZ_PAGING_BODY_TOKEN && continuation)
      json_object_set_new(body, "continuationToken", json_string(continuation));
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    az_request_set_body(r, text, strlen(text), p->content_type);
    free(text);
  }
  p->req = r;
  az_request_start(r);
}

static void pager_cancel(struct az_call *call)
{
  struct pager *p = call->state;
  if (p && p->req) {
    az_request_delete(p->req);
    p->req = NULL;
  }
}

static void pager_destroy(struct az_call *call)
{
  struct pager *p = call->state;
  if (!p)
    return;
  pager_cancel(call);
  free(p->method);
  free(p->first_url);
  json_decref(p->body);
  az_headers_done(&p->extra);
  free(p->scope);
  free(p->content_type);
  json_decref(p->items);
  free(p->last_token);
  free(p);
  call->state = NULL;
}

static const struct az_call_driver pager_driver = { "pager", pager_cancel, pager_destroy };

struct az_call *az_list_start(struct az_client *c, const struct az_list_spec *spec)
{
  struct pager *p = xcalloc(1, sizeof(*p));
  p->method = xstrdup(spec->method ? spec->method : "GET");
  p->first_url = xstrdup(spec->url);
  p->body = spec->body ? json_deep_copy(spec->body) : NULL;
  p->paging = spec->paging;
  p->items = json_array();
  az_headers_init(&p->extra);
  if (spec->opts) {
    /* Keep private copies: the caller's options may not outlive this call. */
    p->opts = *spec->opts;
    if (spec->opts->headers)
      az_headers_copy(&p->extra, spec->opts->headers);
    p->opts.headers = &p->extra;
    p->scope = spec->opts->scope ? xstrdup(spec->opts->scope) : NULL;
    p->opts.scope = p->scope;
    p->opts.timeout_ms = spec->opts->timeout_ms;
  }
  p->content_type = xstrdup(p->opts.content_type ? p->opts.content_type : "application/json");
  p->opts.content_type = NULL;
  struct az_call *call = az_call_new(c, &pager_driver, p);
  start_page(call, p->first_url, NULL);
  return call;
}

struct az_call *az_call_list(struct az_client *c, const char *url,
                             const struct az_request_options *opts)
{
  struct az_list_spec spec = { "GET", url, NULL, AZ_PAGING_NEXT_LINK, opts };
  return az_list_start(c, &spec);
}
