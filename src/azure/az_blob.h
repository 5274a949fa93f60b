/*
 * az_blob: block blobs through the Blob REST API (API.md E), which works on every storage
 * account including ADLS Gen2 (HNS) accounts and Azurite.
 *
 * Accounts (az_storage.h) carry the endpoint and, optionally, a key: with a key requests
 * are signed with Shared Key, without one they carry a bearer token for the cloud's storage
 * scope. The account must outlive the calls made with it.
 *
 * az_blob_upload_file   streams a file: files up to one block go up as one Put Blob;
 *                       bigger ones as Put Block requests, `parallel` at a time, each
 *                       reading its range of the file (pread) while it is sent, then one Put
 *                       Block List. Memory does not grow with the file: no block is ever held
 *                       whole in memory. Blocks are retried by the pipeline (PUT is
 *                       idempotent). Progress reports bytes acknowledged.
 *   az_blob_download_file  Get Blob Properties for the size, then ranged Get Blob requests,
 *                       `parallel` at a time, each written straight into its part of
 *                       "<path>.part" (0600), which is renamed to `path` once complete.
 *   az_blob_read        streams a blob to a callback, in order, in ranged GETs of
 *                       `block_size` (default 1 MiB), `parallel` (default 4) in flight: a
 *                       range that arrives early waits for those before it, so memory holds
 *                       at most `parallel` ranges whatever the blob's size. The callback
 *                       returns false to stop (the call then ends AZ_E_CANCELED; the ranges
 *                       in flight are dropped). Result {"size": n}.
 *   az_blob_list        {"value": [{"name","size","lastModified","contentType","etag"}]} over
 *                       every page (NextMarker), optionally under a prefix
 *   az_blob_create_container  201; an existing container is not an error (the result is then
 *                       {"created": false})
 */
#ifndef SYNWIZ_AZURE_AZ_BLOB_H
#define SYNWIZ_AZURE_AZ_BLOB_H

#include <stdint.h>

#include "azure/az_client.h"
#include "azure/az_storage.h"

struct az_blob_transfer_options {
  int64_t block_size;       /* 0 = 8 MiB (grown if the file would need more than 50,000 blocks) */
  int parallel;             /* 0 = 4 */
  const char *content_type; /* of the uploaded blob; NULL = application/octet-stream */
  int block_timeout_ms;     /* per block including retries; 0 = 10 minutes */
};

struct az_call *az_blob_upload_file(struct az_client *c, const struct az_storage_account *account,
                                    const char *container, const char *blob, const char *path,
                                    const struct az_blob_transfer_options *opts);
struct az_call *az_blob_download_file(struct az_client *c, const struct az_storage_account *account,
                                      const char *container, const char *blob, const char *path,
                                      const struct az_blob_transfer_options *opts);
/* Takes the next `len` bytes of the blob; false to stop reading. */
typedef bool (*az_blob_chunk_fn)(void *ud, const void *data, size_t len);
struct az_call *az_blob_read(struct az_client *c, const struct az_storage_account *account,
                             const char *container, const char *blob,
                             const struct az_blob_transfer_options *opts, az_blob_chunk_fn fn,
                             void *ud);
struct az_call *az_blob_list(struct az_client *c, const struct az_storage_account *account,
                             const char *container, const char *prefix);
struct az_call *az_blob_create_container(struct az_client *c,
                                         const struct az_storage_account *account,
                                         const char *container);
/**
 * Split a blob URL into its account name, blob endpoint, container and blob name (decoded).
 * Product style "https://acct.blob.host/c/dir/b" and path style
 * "http://127.0.0.1:10000/acct/c/b" are both understood. Fresh heap strings; false when
 * `url` names no container.
 */
bool az_blob_parse_url(const char *url, char **out_account, char **out_endpoint,
                       char **out_container, char **out_blob);
/** The URL of a blob (fresh heap string; name segments percent-encoded). */
char *az_blob_url(const struct az_storage_account *account, const char *container,
                  const char *blob);

#endif
