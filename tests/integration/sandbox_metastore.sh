#!/bin/sh
# The sandbox's metastore reads a CDM folder as Synapse does (issue 11): model.json is
# checked against the CDM model.json schema, every partition must exist and hold the
# entity's columns, and the database's tables are registered with their row counts; anything
# wrong is a Failed operation with a precise error. An update keeps the tables model.json no
# longer lists.
# $1 = synwiz binary, $2 = source dir, $3 = build dir.
BIN=$1 SRC=$2 BLD=$3
. "$SRC/tests/lib/common.sh"
test_init sandbox_metastore
for t in curl node; do command -v $t >/dev/null 2>&1 || { echo "$t is missing"; exit 77; }; done
sandbox_load
sandbox_reset
T=$OUT/tmp
mkdir -p "$T"
CA=$SYNWIZ_SANDBOX_CA
AUTH=$SYNWIZ_SANDBOX_AUTHORITY
TEN=$SYNWIZ_SANDBOX_TENANT
PORT=${AUTH##*:}
DEV="https://contoso-synapse.dev.sandbox.localhost:$PORT"
BLOBPORT=$(jget "$SYNWIZ_SANDBOX_DIR/runtime.json" 'String(j.ports.azurite)')
BLOB="https://contosolake.blob.sandbox.localhost:$BLOBPORT/customerinsights"
LAKE="https://contosolake.dfs.sandbox.localhost:$BLOBPORT/customerinsights"
MS="$DEV/metastore"
AV="api-version=2021-07-01-preview"
token() { # token SCOPE: synwiz-automation's (Synapse Administrator, Storage Blob Data Contributor)
  curl -sS --cacert "$CA" --data "grant_type=client_credentials&client_id=$SYNWIZ_SANDBOX_CLIENT_ID&client_secret=$SYNWIZ_SANDBOX_CLIENT_SECRET&scope=$1" \
    "$AUTH/$TEN/oauth2/v2.0/token" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))'
}
SYNTOK=$(token https://dev.azuresynapse.net/.default)
STOTOK=$(token https://storage.azure.com/.default)
put() { # put BLOB FILE
  curl -sS --cacert "$CA" -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $STOTOK" \
    -H 'x-ms-version: 2021-12-02' -H 'x-ms-blob-type: BlockBlob' --data-binary "@$2" "$BLOB/$1"
}
req() { curl -sS --cacert "$CA" -X "$1" -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SYNTOK" \
  ${3:+-H 'Content-Type: application/json' --data "$3"} "$2"; }
# run KIND DB FOLDER: the operation, followed to its end; prints the final status body.
run() {
  req PUT "$MS/$1-database-operations/$2?$AV" "{\"inputFolder\":\"$LAKE/$3/\"}" >/dev/null
  for _ in $(seq 100); do
    req GET "$MS/create-database-operations/$2?$AV" >/dev/null
    [ "$(jget "$T/body" j.status)" = Creating ] || break
    sleep 0.1
  done
  cat "$T/body"
}
sandbox_control POST config '{"operationMs":200}' >/dev/null

# The demo tables as a CDM folder: model.json names their partitions in source/.
model() { # model FILE ENTITY[=FILE]... (each with its header's columns as attributes)
  _out=$1
  shift
  node -e '
const fs = require("fs"); const [out, dir, lake, ...ents] = process.argv.slice(1);
const entities = ents.map((e) => {
  const [name, file] = e.split("=");
  const cols = fs.readFileSync(`${dir}/data/${file || name}.csv`, "utf8").split("\r\n")[0].split(",");
  return { $type: "LocalEntity", name, attributes: cols.map((c) => ({ name: c, dataType: "string" })),
    partitions: [{ name: `${name}_1`, location: `${lake}/source/${file || name}/${file || name}.csv`,
      fileFormatSettings: { $type: "CsvFormatSettings", columnHeaders: true } }] };
});
fs.writeFileSync(out, JSON.stringify({ name: "demo", version: "1.0", entities }));
' "$_out" "$SYNWIZ_SANDBOX_DIR" "$LAKE" "$@"
}
rows() { echo $(($(tr -cd '\n' <"$SYNWIZ_SANDBOX_DIR/data/$1.csv" | wc -c) - 1)); }

model "$T/good.json" Customer Orders WebActivity
expect_eq "model.json uploaded" 201 "$(put ms/good/model.json "$T/good.json")"
run create msgood ms/good >"$T/good.out"
expect_eq "a valid CDM folder: Created" Created "$(jget "$T/good.out" j.status)"
sandbox_control GET state >"$T/state.json"
DB='j.workspaces.find(w => w.name === "contoso-synapse").databases.find(d => d.name === "msgood")'
expect_eq "... its tables registered" "Customer Orders WebActivity" "$(jget "$T/state.json" "$DB.tables.map(t => t.name).join(' ')")"
expect_eq "... with the files' row counts" "$(rows Customer) $(rows Orders) $(rows WebActivity)" \
  "$(jget "$T/state.json" "$DB.tables.map(t => t.rows).join(' ')")"

model "$T/two.json" Customer Orders
put ms/two/model.json "$T/two.json" >/dev/null
run update msgood ms/two >"$T/update.out"
expect_eq "an update from a folder without WebActivity: Created" Created "$(jget "$T/update.out" j.status)"
sandbox_control GET state >"$T/state2.json"
expect_eq "... WebActivity stays in the database" "Customer Orders WebActivity" "$(jget "$T/state2.json" "$DB.tables.map(t => t.name).join(' ')")"

run create msnone ms/none >"$T/none.out"
expect_eq "no model.json: Failed ModelJsonNotFound" "Failed ModelJsonNotFound" "$(jget "$T/none.out" 'j.status + " " + j.error.code')"

printf '{"name":"demo","version":"2.0","entities":[{"$type":"LocalEntity","name":"X"}]}' >"$T/badschema.json"
put ms/badschema/model.json "$T/badschema.json" >/dev/null
run create msbadschema ms/badschema >"$T/badschema.out"
expect_eq "a model.json against the schema: Failed InvalidModelJson" "Failed InvalidModelJson" "$(jget "$T/badschema.out" 'j.status + " " + j.error.code')"
check "... naming the version" grep -q "'version' must be equal to one of the allowed values" "$T/badschema.out"
check "... and the missing attributes" grep -q "'entities.0.attributes' is required" "$T/badschema.out"

printf 'not json' >"$T/notjson.json"
put ms/notjson/model.json "$T/notjson.json" >/dev/null
run create msnotjson ms/notjson >"$T/notjson.out"
check "model.json that is no JSON: Failed, said so" grep -q '"InvalidModelJson".*is not valid JSON' "$T/notjson.out"

node -e 'const fs=require("fs");const m=JSON.parse(fs.readFileSync(process.argv[1]));m.entities[0].partitions[0].location+=".missing";fs.writeFileSync(process.argv[2],JSON.stringify(m))' "$T/good.json" "$T/nopart.json"
put ms/nopart/model.json "$T/nopart.json" >/dev/null
run create msnopart ms/nopart >"$T/nopart.out"
expect_eq "a partition that does not exist: Failed PartitionNotFound" "Failed PartitionNotFound" "$(jget "$T/nopart.out" 'j.status + " " + j.error.code')"
check "... naming the partition and its entity" grep -q "Partition 'Customer_1' of the entity 'Customer' does not exist" "$T/nopart.out"

# Orders' file under the name Customer: the columns do not match the attributes.
model "$T/swap.json" Customer=Orders
node -e 'const fs=require("fs");const m=JSON.parse(fs.readFileSync(process.argv[1]));const c=fs.readFileSync(process.argv[3]+"/data/Customer.csv","utf8").split("\r\n")[0].split(",");m.entities[0].attributes=c.map(n=>({name:n,dataType:"string"}));fs.writeFileSync(process.argv[2],JSON.stringify(m))' "$T/swap.json" "$T/swap2.json" "$SYNWIZ_SANDBOX_DIR"
put ms/swap/model.json "$T/swap2.json" >/dev/null
run create msswap ms/swap >"$T/swap.out"
expect_eq "a partition whose columns differ: Failed PartitionSchemaMismatch" "Failed PartitionSchemaMismatch" "$(jget "$T/swap.out" 'j.status + " " + j.error.code')"
check "... naming both column lists" grep -q "has the columns (OrderId, CustomerId.*) where the entity's attributes are (CustomerId, FirstName" "$T/swap.out"

printf 'a,b\r\n1,2\r\n3,4,5\r\n' >"$T/ragged.csv"
put ms/ragged/part.csv "$T/ragged.csv" >/dev/null
printf '{"name":"r","version":"1.0","entities":[{"$type":"LocalEntity","name":"R","attributes":[{"name":"a","dataType":"int64"},{"name":"b","dataType":"int64"}],"partitions":[{"name":"p","location":"%s/ms/ragged/part.csv","fileFormatSettings":{"$type":"CsvFormatSettings","columnHeaders":true}}]}]}' "$LAKE" >"$T/ragged.json"
put ms/ragged/model.json "$T/ragged.json" >/dev/null
run create msragged ms/ragged >"$T/ragged.out"
check "a ragged row: Failed, with its line" grep -q "line 3 has 3 fields where the entity has 2 attributes" "$T/ragged.out"

sandbox_control POST config '{"operationMs":1000}' >/dev/null
test_done
