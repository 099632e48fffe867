/** Refunds the order after the promoter confirms and gives a reason (kept in the audit log). */
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext, useRefresh } from "react-admin";
import { formatMoney } from "../shared/money";
import { orderActions } from "./orders-api";

export function RefundButton() {
  const order = useRecordContext<{ id: string; status: string; total: { amount: number; currency: string } }>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  if (!order || order.status !== "CONFIRMED") return null;

  async function refund() {
    setBusy(true);
    try {
      const refunded = await orderActions.refund(order!.id, reason);
      notify(refunded.status === "REFUNDED" ? "Order refunded; its seats are on sale again" : "Order cancelled; the refund is on its way", { type: "success" });
      setOpen(false);
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : "The refund failed", { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button size="small" variant="outlined" color="error" onClick={() => setOpen(true)}>
        Refund
      </Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} aria-labelledby="refund-title" fullWidth maxWidth="sm">
        <DialogTitle id="refund-title">Refund this order?</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {formatMoney(order.total.amount, order.total.currency)} goes back to the buyer's card, the tickets stop working and the seats go back on sale. This cannot be undone.
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            required
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            slotProps={{ htmlInput: { maxLength: 500 } }}
            helperText="Kept in the audit log."
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            Keep the order
          </Button>
          <Button color="error" variant="contained" onClick={refund} disabled={busy || reason.trim().length === 0}>
            Refund
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
