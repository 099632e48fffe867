/**
 * The fee breakdown a fan sees before paying and is charged: a service fee as basis points of the
 * subtotal (rounded half up to the minor unit) and a facility fee per ticket. Lines of zero are left
 * out. The checkout stores the lines it charged on the payment intent, so the order gets exactly them.
 */
import type { FeeLineRow } from "./checkout.db.js";

export interface FeeSettings {
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
}

export function quoteFees(subtotalMinor: number, tickets: number, settings: FeeSettings): FeeLineRow[] {
  const fees: FeeLineRow[] = [];
  const service = Math.floor((subtotalMinor * settings.serviceFeeBasisPoints + 5_000) / 10_000);
  if (service > 0) fees.push({ kind: "SERVICE", amountMinor: service });
  const facility = settings.facilityFeeMinor * tickets;
  if (facility > 0) fees.push({ kind: "FACILITY", amountMinor: facility });
  return fees;
}

export function totalOf(subtotalMinor: number, fees: readonly FeeLineRow[]): number {
  return fees.reduce((sum, fee) => sum + fee.amountMinor, subtotalMinor);
}
