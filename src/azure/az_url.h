/*
 * az_url: building request URLs safely, and the few parts of a URL the client reads.
 *
 * Builder (embeddable, az_url_init/az_url_done):
 *   az_url_init(&u, "https://management.azure.com");
 *   az_url_path(&u, "subscriptions");          literal path text, appended after one '/'
 *   az_url_segment(&u, sub);                   one path segment, percent-encoded
 *   az_url_query(&u, "api-version", "2021-06-01");  name=value, value percent-encoded
 *   char *url = az_url_finish(&u);             fresh heap string; the builder is reset
 * Readers return fresh heap strings or NULL when the URL has no such part.
 */
#ifndef SYNWIZ_AZURE_AZ_URL_H
#define SYNWIZ_AZURE_AZ_URL_H

#include <stdbool.h>

#include "util/strbuf.h"

struct az_url {
  struct strbuf sb;
  bool has_query;
};

void az_url_init(struct az_url *u, const char *base);
void az_url_done(struct az_url *u);
void az_url_path(struct az_url *u, const char *literal);
void az_url_segment(struct az_url *u, const char *segment);
/** A segment that may itself hold '/', each part encoded (blob names, resource ids). */
void az_url_segments(struct az_url *u, const char *path);
void az_url_query(struct az_url *u, const char *name, const char *value);
char *az_url_finish(struct az_url *u);

/**
 * base + pattern, where each "{}" in the pattern takes the next argument percent-encoded as
 * one path segment, and each "{/}" takes the next argument as a path whose '/' are kept
 * (a scope or resource id) and whose segments are encoded. Returns NULL when an argument
 * is NULL or empty (a missing name must not become a different URL).
 *   az_url_build(arm, "/subscriptions/{}/resourceGroups/{}", sub, rg)
 */
char *az_url_build(const char *base, const char *pattern, ...);
/** Append "?api-version=V" (or "&..."); frees `url`, returns the new string. */
char *az_url_with_version(char *url, const char *api_version);

/** "https://host:port/path?q" -> "host" (lower-case, no port, no brackets). */
char *az_url_host(const char *url);
/** "https://host:port" (scheme and authority, no trailing slash). */
char *az_url_origin(const char *url);
/** The path as sent ("/a/b%20c"), "/" when empty; no query. */
char *az_url_path_of(const char *url);
/** The raw query (no '?'), or NULL. */
char *az_url_query_of(const char *url);
/** The decoded value of the first query parameter `name`, or NULL. */
char *az_url_query_get(const char *url, const char *name);
/** Percent-decoding ('+' is kept as '+'). */
char *az_url_decode(const char *s, size_t len);
/** True for an IPv4/IPv6 literal or "localhost" (where storage uses path-style URLs). */
bool az_url_host_is_path_style(const char *host);
bool az_url_is_https(const char *url);

#endif
