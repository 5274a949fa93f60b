/*
 * az_certificate: a service principal's certificate and private key, read from one PEM file
 * (the format `az ad sp create-for-rbac --create-cert` writes: the private key and the
 * certificate, in either order). Used to sign JWT client assertions (az_jwt.h).
 *
 * The file's bytes are wiped from memory after parsing; the key lives in an OpenSSL
 * EVP_PKEY (whose private parts OpenSSL clears on free). Thumbprints are computed over the
 * certificate's DER encoding and kept base64url-encoded, as JWT headers carry them.
 *
 * Heap object: az_certificate_load() / az_certificate_delete().
 */
#ifndef SYNWIZ_AZURE_AZ_CERTIFICATE_H
#define SYNWIZ_AZURE_AZ_CERTIFICATE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "azure/az_error.h"

struct az_certificate {
  EVP_PKEY *key;
  X509 *cert;
  char *x5t;      /* base64url(SHA-1(DER)) */
  char *x5t_s256; /* base64url(SHA-256(DER)) */
  char *path;
};

AZ_NODISCARD enum az_result az_certificate_load(const char *path, struct az_certificate **out,
                                                struct az_error *err);
void az_certificate_delete(struct az_certificate *c);

#endif
