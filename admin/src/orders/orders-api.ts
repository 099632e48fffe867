/**
 * The order actions the console sends beyond react-admin's reads: refund, resend the confirmation and
 * ask for a CSV export's download link. Same transport and error mapping as the data provider (a
 * payload's UserErrors reject with the API's message).
 */
import type { Identifier } from "react-admin";
import { getToken } from "../auth/session";
import { fetchTransport, userErrorsToHttpError, type GraphQLTransport, type UserError } from "../dataProvider/graphql-client";
import { ORDER_DOCUMENTS } from "../dataProvider/operations";

export type ExportKind = "ORDERS" | "ATTENDEES";

export interface OrderActions {
  refund(id: Identifier, reason: string): Promise<Record<string, unknown>>;
  resendConfirmation(id: Identifier): Promise<Record<string, unknown>>;
  exportLink(eventId: Identifier, kind: ExportKind): Promise<{ url: string; expiresAt: string }>;
}

export function createOrderActions(transport: GraphQLTransport): OrderActions {
  async function mutate(field: keyof typeof ORDER_DOCUMENTS, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
    const data = await transport({ query: ORDER_DOCUMENTS[field], variables });
    const payload = data[field] as { errors?: UserError[] } & Record<string, unknown>;
    if (payload.errors?.length) throw userErrorsToHttpError(payload.errors);
    return payload;
  }
  return {
    refund: async (id, reason) => (await mutate("adminRefundOrder", { input: { id, reason } })).order as Record<string, unknown>,
    resendConfirmation: async (id) => (await mutate("resendOrderConfirmation", { id })).order as Record<string, unknown>,
    exportLink: async (eventId, kind) => {
      const payload = await mutate("createEventExportLink", { input: { eventId, kind } });
      return { url: payload.url as string, expiresAt: payload.expiresAt as string };
    },
  };
}

export const orderActions = createOrderActions(fetchTransport(getToken));
