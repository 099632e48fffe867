/**
 * The built-in test gateway takes payment tokens, not card numbers. In a real deployment the card form
 * belongs to the payment provider (its own fields tokenize the card); with the test gateway this table
 * plays that part, turning the well-known test numbers into the gateway's test tokens. Card numbers
 * never leave the browser.
 */
export const TEST_CARDS = [
  { number: "4242 4242 4242 4242", token: "tok_visa", outcome: "Succeeds (Visa)" },
  { number: "5555 5555 5555 4444", token: "tok_mastercard", outcome: "Succeeds (Mastercard)" },
  { number: "4000 0000 0000 0002", token: "tok_chargeDeclined", outcome: "Declined" },
  { number: "4000 0000 0000 9995", token: "tok_chargeDeclinedInsufficientFunds", outcome: "Declined: insufficient funds" },
  { number: "4000 0000 0000 0119", token: "tok_gatewayError", outcome: "Payment provider error" },
] as const;

/** The test token for a card number, or null when the number is not a test card. */
export function tokenizeTestCard(number: string): string | null {
  const digits = number.replace(/\D/g, "");
  return TEST_CARDS.find((card) => card.number.replace(/\D/g, "") === digits)?.token ?? null;
}
