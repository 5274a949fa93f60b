// Child of contract.mjs: a ManagedIdentityCredential in a fresh process (MSAL picks the
// managed-identity source once per process), pointed at the sandbox's IMDS shape through
// AZURE_POD_IDENTITY_AUTHORITY_HOST. Prints the token.
import { ManagedIdentityCredential } from "@azure/identity";

delete process.env.IDENTITY_ENDPOINT;
delete process.env.IDENTITY_HEADER;
const t = await new ManagedIdentityCredential().getToken("https://management.azure.com/.default");
console.log(t.token);
