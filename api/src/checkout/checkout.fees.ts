/**
 * The fee breakdown a fan sees before paying and is charged: a service fee as basis points of each
 * ticket's price (rounded half up to the minor unit per ticket, then summed) and a facility fee per
 * ticket. Rounding per ticket is what makes the all-in price shown per ticket (EventSection.allInPrice)
 * add up exactly to the charged total for any number of tickets at any price. Lines of zero are left
 * out. The checkout stores the lines it charged on the payment intent, so the order gets exactly them.
 */
import type { FeeLineRow } from "./checkout.db.js";

export interface FeeSettings {
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
}

/** The mandatory fees of one ticket at this base price (zero lines left out). */
export function ticketFees(priceMinor: number, settings: FeeSettings): FeeLineRow[] {
  const fees: FeeLineRow[] = [];
  const service = Math.floor((priceMinor * settings.serviceFeeBasisPoints + 5_000) / 10_000);
  if (service > 0) fees.push({ kind: "SERVICE", amountMinor: service });
  if (settings.facilityFeeMinor > 0) fees.push({ kind: "FACILITY", amountMinor: settings.facilityFeeMinor });
  return fees;
}

/** The fees of a hold or order: the sum, kind by kind, of each ticket's fees at its locked price. */
export function quoteFees(linePricesMinor: readonly number[], settings: FeeSettings): FeeLineRow[] {
  let service = 0;
  for (const price of linePricesMinor) service += ticketFees(price, settings).find((fee) => fee.kind === "SERVICE")?.amountMinor ?? 0;
  const fees: FeeLineRow[] = [];
  if (service > 0) fees.push({ kind: "SERVICE", amountMinor: service });
  const facility = settings.facilityFeeMinor * linePricesMinor.length;
  if (facility > 0) fees.push({ kind: "FACILITY", amountMinor: facility });
  return fees;
}

export function totalOf(subtotalMinor: number, fees: readonly FeeLineRow[]): number {
  return fees.reduce((sum, fee) => sum + fee.amountMinor, subtotalMinor);
}
