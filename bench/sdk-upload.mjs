// The peer of `synwiz rest --upload`: @azure/storage-blob (pinned in tests/contract) uploading
// the same file with the same block size and parallelism, signed with the same account key.
// usage: node --import ../tests/contract/dns-localhost.mjs sdk-upload.mjs FILE BLOB_URL
// AZURE_STORAGE_CONNECTION_STRING names the account and key; NODE_EXTRA_CA_CERTS the CA.
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/contract/package.json", import.meta.url));
const { BlobServiceClient } = require("@azure/storage-blob");

const [file, url] = process.argv.slice(2);
const u = new URL(url);
const [, container, ...rest] = u.pathname.split("/");
const service = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING);
const blob = service.getContainerClient(container).getBlockBlobClient(decodeURIComponent(rest.join("/")));
await blob.uploadFile(file, { blockSize: 8 << 20, concurrency: 4, maxSingleShotSize: 8 << 20 });
