/** Money arrives in minor units with an ISO 4217 currency; the console shows and edits it in major units. */

/** Digits after the decimal point for a currency (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amountMinor: number | null | undefined, currency: string): string {
  if (amountMinor == null) return "—";
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amountMinor / 10 ** currencyDigits(currency));
}

export const toMajor = (amountMinor: number, currency: string): number => amountMinor / 10 ** currencyDigits(currency);

export const toMinor = (amountMajor: number, currency: string): number => Math.round(amountMajor * 10 ** currencyDigits(currency));
