/** The API-keys page's GraphQL (partner keys are a list, not a paged react-admin resource). */
import { userErrorsToHttpError, type GraphQLTransport, type UserError } from "../dataProvider/graphql-client";

export interface ApiKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  lastFour: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdByEmail: string | null;
}

/** What each scope lets a partner do, as the page explains it. */
export const SCOPE_HELP: Record<string, string> = {
  "catalogue:read": "Browse events, venues and search; live seat and price updates",
  "orders:read": "Read the orders of your events",
  "holds:write": "Waiting room, holds and checkout for fans the partner signs in",
  "webhooks:manage": "Register webhook endpoints",
};

const FIELDS = "id organizationId name prefix lastFour scopes createdAt lastUsedAt revokedAt createdByEmail";
const ERRORS = "errors { code message field }";

export const API_KEY_DOCUMENTS = {
  apiKeys: `query apiKeys($includeRevoked: Boolean) { apiKeys(includeRevoked: $includeRevoked) { ${FIELDS} } }`,
  createApiKey: `mutation createApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${FIELDS} } ${ERRORS} } }`,
  revokeApiKey: `mutation revokeApiKey($id: ID!) { revokeApiKey(id: $id) { apiKey { ${FIELDS} } ${ERRORS} } }`,
  organizations: `query adminOrganizations { adminOrganizations(perPage: 100, sortField: "name") { items { id name } } }`,
};

export function apiKeysApi(transport: GraphQLTransport) {
  async function mutate<T>(field: "createApiKey" | "revokeApiKey", variables: Record<string, unknown>): Promise<T> {
    const payload = (await transport({ query: API_KEY_DOCUMENTS[field], variables }))[field] as T & { errors: UserError[] };
    if (payload.errors.length) throw userErrorsToHttpError(payload.errors);
    return payload;
  }
  return {
    list: async (includeRevoked: boolean) => (await transport({ query: API_KEY_DOCUMENTS.apiKeys, variables: { includeRevoked } })).apiKeys as ApiKeyRecord[],
    create: (input: { name: string; scopes: string[]; organizationId?: string }) => mutate<{ key: string; apiKey: ApiKeyRecord }>("createApiKey", { input }),
    revoke: (id: string) => mutate<{ apiKey: ApiKeyRecord }>("revokeApiKey", { id }),
    organizations: async () => ((await transport({ query: API_KEY_DOCUMENTS.organizations, variables: {} })).adminOrganizations as { items: { id: string; name: string }[] }).items,
  };
}
