import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey } from "../platform/loaders.js";
import type { AdminPaymentRow, AdminTicketRow } from "./admin.orders.db.js";
import { paymentsOf, ticketsOf } from "./admin.orders.service.js";

export interface AdminOrderLoaders {
  /** The tickets of every order of a page in one statement. */
  adminTicketsByOrderId: DataLoader<string, AdminTicketRow[]>;
  /** The payments (with refunds) of every order of a page in one statement. */
  adminPaymentsByOrderId: DataLoader<string, AdminPaymentRow[]>;
}

export function createAdminOrderLoaders(pool: pg.Pool): AdminOrderLoaders {
  return {
    adminTicketsByOrderId: new DataLoader(async (ids) => manyByKey(ids, await ticketsOf(pool, ids), (row) => row.orderId)),
    adminPaymentsByOrderId: new DataLoader(async (ids) => manyByKey(ids, await paymentsOf(pool, ids), (row) => row.orderId)),
  };
}
