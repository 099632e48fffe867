import DataLoader from "dataloader";
import type pg from "pg";
import { manyByKey, oneByKey } from "../platform/loaders.js";
import * as tickets from "../ticket/ticket.db.js";
import * as db from "./checkout.db.js";

export interface CheckoutLoaders {
  orderById: DataLoader<string, db.OrderRow | null>;
  orderLinesByOrderId: DataLoader<string, db.OrderLineRow[]>;
  orderFeesByOrderId: DataLoader<string, db.OrderFeeRow[]>;
  ticketsByOrderId: DataLoader<string, tickets.TicketRow[]>;
}

export function createCheckoutLoaders(pool: pg.Pool): CheckoutLoaders {
  return {
    orderById: new DataLoader(async (ids) => oneByKey(ids, await db.findOrdersByIds(pool, ids), (row) => row.id)),
    orderLinesByOrderId: new DataLoader(async (ids) => manyByKey(ids, await db.findOrderLines(pool, ids), (row) => row.orderId)),
    orderFeesByOrderId: new DataLoader(async (ids) => manyByKey(ids, await db.findOrderFees(pool, ids), (row) => row.orderId)),
    ticketsByOrderId: new DataLoader(async (ids) => manyByKey(ids, await tickets.findTicketsByOrderIds(pool, ids), (row) => row.orderId)),
  };
}
