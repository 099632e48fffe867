/**
 * "Orders CSV" and "Attendees CSV" on an event's page. A download link cannot carry the bearer token,
 * so each click asks the API for a short-lived link made for this one export (createEventExportLink)
 * and lets the browser download it; the API streams the file (api/src/admin/admin.orders.exports.ts).
 */
import DownloadIcon from "@mui/icons-material/Download";
import { Button, Stack } from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext } from "react-admin";
import { orderActions, type ExportKind } from "./orders-api";

export function ExportButtons() {
  const event = useRecordContext<{ id: string }>();
  const notify = useNotify();
  const [busy, setBusy] = useState<ExportKind | null>(null);
  if (!event) return null;

  async function download(kind: ExportKind) {
    setBusy(kind);
    try {
      const { url } = await orderActions.exportLink(event!.id, kind);
      // An anchor rather than window.location: the page stays, and the file's name comes from the API.
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.rel = "noopener";
      anchor.download = "";
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      notify(error instanceof Error ? error.message : "The export failed", { type: "error" });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack direction="row" spacing={1}>
      <Button size="small" startIcon={<DownloadIcon />} onClick={() => download("ORDERS")} disabled={busy !== null}>
        Orders CSV
      </Button>
      <Button size="small" startIcon={<DownloadIcon />} onClick={() => download("ATTENDEES")} disabled={busy !== null}>
        Attendees CSV
      </Button>
    </Stack>
  );
}
