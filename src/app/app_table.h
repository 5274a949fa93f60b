/*
 * app_table: filling the table catalog (store_table.h) from the data itself.
 *
 * app_table_read_file() reads a local CSV once, streaming (util/csv_reader.h: bounded memory
 * whatever its size), and fills a record's attributes with their CDM data types, its rows,
 * bytes, parts and read_at; the caller names it, may set customer_id, and saves it with
 * store_table_create(). A malformed file is APP_INVALID with the message naming the file, the
 * line and the column.
 *
 * app_table_seed_demo() is what makes a new store on the sandbox cloud list the sandbox's
 * demo tables (Customer, Orders, WebActivity): the sandbox uploads them to
 * contosolake/customerinsights/source/<T>/<T>.csv and keeps byte-identical copies in
 * <sandbox dir>/data/, which are read here (no network, and no storage role needed to list
 * them). The records' location is the blob, at the Azurite port of the running sandbox.
 * Customer is the customer profile table (customer id CustomerId).
 *
 * Return conventions: enum app_result; on failure *out_message is a fresh heap sentence.
 */
#ifndef SYNWIZ_APP_APP_TABLE_H
#define SYNWIZ_APP_APP_TABLE_H

#include "app/app_result.h"
#include "app/store_table.h"

struct store;
struct az_client;
struct az_cloud;
struct az_error;

enum app_result app_table_read_file(const char *path, struct store_table *t, char **out_message);

/**
 * Read a table already in a storage account, with the client's (signed-in) identity: `url` is
 * a blob URL (https://ACCOUNT.blob.SUFFIX/CONTAINER/PATH; the .dfs. form and
 * abfss://CONTAINER@ACCOUNT.dfs.SUFFIX/PATH are read as the same blob) naming one .csv
 * blob, or a folder (any other path, or the container): then every .csv blob under it, in
 * name order, is one part of the table, each starting with the same header. Streamed
 * (az_blob_read): memory holds one 4 MiB range whatever the size. An Azure failure is
 * APP_AZURE with *out_az filled (e.g. 403 AuthorizationPermissionMismatch without a
 * Storage Blob Data role); a malformed part is APP_INVALID naming the blob, line and column.
 * Fills the record as app_table_read_file() does (source storage, location `url`).
 */
enum app_result app_table_read_url(struct az_client *c, const char *url, struct store_table *t,
                                   char **out_message, struct az_error *out_az);

/** On the sandbox cloud only (else APP_OK, nothing done): add the demo tables that are
 * missing from the store. */
enum app_result app_table_seed_demo(struct store *s, const struct az_cloud *cloud,
                                    char **out_message);

/** "1.2 MiB", "532 B": sizes as the catalog prints them (fresh heap string). */
char *app_table_format_bytes(int64_t bytes);

#endif
