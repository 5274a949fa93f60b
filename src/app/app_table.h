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
struct az_cloud;

enum app_result app_table_read_file(const char *path, struct store_table *t, char **out_message);

/** On the sandbox cloud only (else APP_OK, nothing done): add the demo tables that are
 * missing from the store. */
enum app_result app_table_seed_demo(struct store *s, const struct az_cloud *cloud,
                                    char **out_message);

/** "1.2 MiB", "532 B": sizes as the catalog prints them (fresh heap string). */
char *app_table_format_bytes(int64_t bytes);

#endif
