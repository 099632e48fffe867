import { AdminOrder } from "../admin/admin.orders.types.js";
import { connectionTypes } from "../platform/graphql.js";

/** A partner's orders: the console's order (buyer, event, totals, tickets without barcodes), a keyset page at a time. */
export const { Connection: PartnerOrderConnection } = connectionTypes(AdminOrder, "PartnerOrder");
export type PartnerOrderConnection = InstanceType<typeof PartnerOrderConnection>;
