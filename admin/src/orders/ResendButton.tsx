/** Sends the buyer the confirmation email (with the tickets) again; only a paid order has tickets to send. */
import { Button } from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext } from "react-admin";
import { orderActions } from "./orders-api";

export function ResendButton() {
  const order = useRecordContext<{ id: string; status: string; buyer: { email: string } }>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  if (!order || order.status !== "CONFIRMED") return null;

  async function resend() {
    setBusy(true);
    try {
      await orderActions.resendConfirmation(order!.id);
      notify(`Confirmation email sent again to ${order!.buyer.email}`, { type: "success" });
    } catch (error) {
      notify(error instanceof Error ? error.message : "The email could not be queued", { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Button size="small" variant="outlined" onClick={resend} disabled={busy}>
      Resend confirmation
    </Button>
  );
}
