/** The console's single data and auth providers, both over the browser's fetch to /graphql. */
import { createAuthProvider } from "../auth/auth-provider";
import { getToken } from "../auth/session";
import { createDataProvider } from "../dataProvider/data-provider";
import { fetchTransport } from "../dataProvider/graphql-client";

/** For the console's own actions beyond react-admin's methods (e.g. presale/presale-api.ts). */
export const transport = fetchTransport(getToken);

export const dataProvider = createDataProvider(transport);
export const authProvider = createAuthProvider(transport);
