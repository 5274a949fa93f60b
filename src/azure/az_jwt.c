#include "azure/az_jwt.h"
#include "util/encode.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

json_t *az_jwt_claims(const char *token)
{
  if (!token)
    return NULL;
  const char *dot1 = strchr(token, '.');
  const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
  if (!dot2)
    return NULL;
  char *part = xstrndup(dot1 + 1, (size_t)(dot2 - dot1 - 1));
  size_t len = 0;
  unsigned char *raw = b64url_decode(part, &len);
  free(part);
  if (!raw)
    return NULL;
  json_t *claims = json_loadb((const char *)raw, len, 0, NULL);
  free(raw);
  if (claims && !json_is_object(claims)) {
    json_decref(claims);
    return NULL;
  }
  return claims;
}

static char *b64url_json(json_t *obj)
{
  char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (!text)
    return NULL;
  char *enc = b64url_encode(text, strlen(text));
  free(text);
  return enc;
}

char *az_jwt_client_assertion(const struct az_certificate *cert, const char *client_id,
                              const char *audience, int64_t now_s, const char *jti)
{
  json_t *header = json_pack("{s:s, s:s, s:s, s:s}", "alg", "RS256", "typ", "JWT", "x5t", cert->x5t,
                             "x5t#S256", cert->x5t_s256);
  json_t *claims =
      json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "aud", audience, "iss", client_id, "sub",
                client_id, "jti", jti, "nbf", (json_int_t)now_s, "iat", (json_int_t)now_s, "exp",
                (json_int_t)(now_s + AZ_JWT_ASSERTION_LIFETIME_S));
  char *h = header ? b64url_json(header) : NULL;
  char *c = claims ? b64url_json(claims) : NULL;
  json_decref(header);
  json_decref(claims);
  char *res = NULL;
  if (h && c) {
    char *signing_input = xasprintf("%s.%s", h, c);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t sig_len = 0;
    unsigned char *sig = NULL;
    if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, cert->key) == 1 &&
        EVP_DigestSign(ctx, NULL, &sig_len, (const unsigned char *)signing_input,
                       strlen(signing_input)) == 1) {
      sig = xmalloc(sig_len);
      if (EVP_DigestSign(ctx, sig, &sig_len, (const unsigned char *)signing_input,
                         strlen(signing_input)) == 1) {
        char *s = b64url_encode(sig, sig_len);
        res = xasprintf("%s.%s", signing_input, s);
        free(s);
      }
    }
    free(sig);
    EVP_MD_CTX_free(ctx);
    free(signing_input);
  }
  free(h);
  free(c);
  return res;
}
