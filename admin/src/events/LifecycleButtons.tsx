/** One button per status the API says the event may move to (allowedTransitions); cancelling asks first. */
import { Button, Stack } from "@mui/material";
import { useState } from "react";
import { Confirm, useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import type { ConsoleDataProvider } from "../dataProvider/data-provider";
import { STATUS_LABELS, TRANSITION_LABELS } from "./event-status";

export function LifecycleButtons() {
  const record = useRecordContext<{ id: string; status: string; allowedTransitions: string[] }>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  if (!record?.allowedTransitions) return null;

  async function transition(to: string) {
    setBusy(true);
    try {
      await dataProvider.transitionEvent(record!.id, to);
      notify(`Event is now ${STATUS_LABELS[to]?.toLowerCase() ?? to}`, { type: "success" });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : "The change failed", { type: "error" });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  }

  return (
    <Stack direction="row" spacing={1}>
      {record.allowedTransitions.map((to) => (
        <Button
          key={to}
          size="small"
          variant={to === "CANCELLED" ? "outlined" : "contained"}
          color={to === "CANCELLED" ? "error" : "primary"}
          disabled={busy}
          onClick={() => (to === "CANCELLED" || to === "ENDED" ? setConfirming(to) : transition(to))}
        >
          {TRANSITION_LABELS[to] ?? to}
        </Button>
      ))}
      <Confirm
        isOpen={confirming !== null}
        loading={busy}
        title={confirming === "CANCELLED" ? "Cancel this event?" : "End this event?"}
        content={confirming === "CANCELLED" ? "Fans can no longer buy tickets, and this cannot be undone." : "The event closes for good."}
        onConfirm={() => transition(confirming!)}
        onClose={() => setConfirming(null)}
      />
    </Stack>
  );
}
