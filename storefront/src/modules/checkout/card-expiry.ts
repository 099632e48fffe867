/**
 * The card expiry as the fan types it, shaped into MM/YY: digits only, the slash added after the
 * month, so "1230" becomes "12/30" (the field's pattern refused it before, with only the browser's
 * "Please match the requested format").
 */
export function shapeExpiry(typed: string): string {
  const digits = typed.replace(/\D/g, "").slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}
