/*
 * az_ca_store: the trust anchors of every TLS connection, read from disk once per process.
 *
 * Loading the system CA bundle (about 150 certificates) costs about 20 ms of CPU; done for
 * each connection it was most of synwiz's CPU time (issue 14). This module parses the
 * system bundle once, each extra CA file (a cloud profile's ca_bundle) once, and hands out
 * ready X509_STOREs that every connection of the process shares (SSL_CTX_set1_cert_store).
 *
 * Contract:
 *   az_ca_store_get(system_file, system_dir, extra_file, &store)
 *       Sets *store to a new reference to an X509_STORE that trusts the certificates of
 *       system_file (a PEM bundle, as X509_STORE_load_file reads it), those found in
 *       system_dir on demand (OpenSSL's hashed directory lookup: a file is read only when
 *       an issuer is missing from the store), and those of extra_file. Any of the three
 *       may be NULL. The store has the verification flags libcurl gives the stores it
 *       builds (X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN), so trust is what
 *       it was when libcurl loaded the same files itself. Calls with the same arguments
 *       return the same store; each file is parsed at most once per process.
 *       Returns AZ_OK; AZ_E_CONFIG when extra_file cannot be read or holds no certificate;
 *       AZ_E_TLS when system_file is given but cannot be read (*store is then NULL: a
 *       connection must fail, as libcurl fails one whose CA file is unreadable).
 *       The caller releases its reference with X509_STORE_free.
 *   az_ca_store_loads()  how many files this process has parsed so far (tests).
 *
 * Not thread-safe: call it from the thread that runs the client (synwiz has one). The
 * stores themselves may be used by any number of connections at once (OpenSSL locks
 * them). What is cached lives until the process ends.
 */
#ifndef SYNWIZ_AZURE_AZ_CA_STORE_H
#define SYNWIZ_AZURE_AZ_CA_STORE_H

#include "azure/az_result.h"

#include <openssl/x509.h>

AZ_NODISCARD enum az_result az_ca_store_get(const char *system_file, const char *system_dir,
                                            const char *extra_file, X509_STORE **out);

unsigned az_ca_store_loads(void);

#endif
