// The typed client for Verdict's API, generated from its OpenAPI description
// (`verdict openapi` → openapi.json → schema.d.ts; `npm run sdk` regenerates
// both). Frontend sites use it for the public API; the admin UI uses its types.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };
export type Schemas = components["schemas"];

/** A client for one Verdict; token, when given, is sent as a bearer token. */
export function createVerdictClient(baseUrl = "", token?: () => string): Client<paths> {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      const t = token?.();
      if (t) request.headers.set("Authorization", `Bearer ${t}`);
      return request;
    },
  });
  return client;
}
