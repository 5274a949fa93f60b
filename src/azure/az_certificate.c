#include "azure/az_certificate.h"
#include "util/encode.h"
#include "util/fsutil.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

void az_certificate_delete(struct az_certificate *c)
{
  if (!c)
    return;
  EVP_PKEY_free(c->key);
  X509_free(c->cert);
  free(c->x5t);
  free(c->x5t_s256);
  free(c->path);
  free(c);
}

static char *thumbprint(X509 *cert, const EVP_MD *md)
{
  unsigned char *der = NULL;
  int len = i2d_X509(cert, &der);
  if (len <= 0)
    return NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  char *res = NULL;
  if (EVP_Digest(der, (size_t)len, digest, &dlen, md, NULL) == 1)
    res = b64url_encode(digest, dlen);
  OPENSSL_free(der);
  return res;
}

enum az_result az_certificate_load(const char *path, struct az_certificate **out,
                                   struct az_error *err)
{
  char *pem = NULL;
  size_t len = 0;
  if (fs_read_all(path, &pem, &len, 1 << 20) != 0) {
    az_error_set(err, AZ_E_IO, "cannot read the certificate file %s: %s", path, strerror(errno));
    return AZ_E_IO;
  }
  struct az_certificate *c = xcalloc(1, sizeof(*c));
  BIO *bio = BIO_new_mem_buf(pem, (int)len);
  c->key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
  BIO_free(bio);
  bio = BIO_new_mem_buf(pem, (int)len);
  c->cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
  BIO_free(bio);
  secure_wipe(pem, len);
  free(pem);
  if (!c->key || !c->cert) {
    az_error_set(err, AZ_E_CONFIG,
                 "%s must hold a PEM private key (unencrypted) and a PEM certificate%s", path,
                 !c->key ? "; no usable private key was found" : "; no certificate was found");
    az_certificate_delete(c);
    return AZ_E_CONFIG;
  }
  if (EVP_PKEY_base_id(c->key) != EVP_PKEY_RSA) {
    az_error_set(err, AZ_E_CONFIG, "%s: the key must be RSA (Entra ID signs RS256 assertions)",
                 path);
    az_certificate_delete(c);
    return AZ_E_CONFIG;
  }
  if (X509_check_private_key(c->cert, c->key) != 1) {
    az_error_set(err, AZ_E_CONFIG, "%s: the private key does not belong to the certificate", path);
    az_certificate_delete(c);
    return AZ_E_CONFIG;
  }
  c->x5t = thumbprint(c->cert, EVP_sha1());
  c->x5t_s256 = thumbprint(c->cert, EVP_sha256());
  c->path = xstrdup(path);
  if (!c->x5t || !c->x5t_s256) {
    az_error_set(err, AZ_E_CONFIG, "%s: cannot encode the certificate", path);
    az_certificate_delete(c);
    return AZ_E_CONFIG;
  }
  *out = c;
  return AZ_OK;
}
