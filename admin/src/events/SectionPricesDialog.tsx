/**
 * Every section's base price in one form (updateEventSectionPrices), before the on-sale. Each input
 * shows its section's floor and ceiling; the API refuses a price outside them (or any change once the
 * sale has begun) and nothing changes, so its message is shown as it comes.
 */
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from "@mui/material";
import { useState } from "react";
import { useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import type { ConsoleDataProvider } from "../dataProvider/data-provider";
import { formatMoney, toMajor, toMinor } from "../shared/money";
import type { EventRecord } from "./event-types";
import { OPAQUE_AT_ONCE, OPAQUE_PAPER } from "./PricingDialog";

export function SectionPricesButton() {
  const event = useRecordContext<EventRecord>();
  const [open, setOpen] = useState(false);
  if (!event?.sections?.length) return null;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        Set section prices
      </Button>
      {open && <SectionPricesDialog event={event} onClose={() => setOpen(false)} />}
    </>
  );
}

function SectionPricesDialog({ event, onClose }: { event: EventRecord; onClose(): void }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const currency = event.currency;
  const [prices, setPrices] = useState<Record<string, string>>(() => Object.fromEntries(event.sections.map((row) => [row.section.id, String(toMajor(row.price.amount, currency))])));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const changed = event.sections
      .map((row) => ({ sectionId: row.section.id, priceMinor: toMinor(Number(prices[row.section.id]), currency), before: row.price.amount, name: row.section.name }))
      .filter((row) => row.priceMinor !== row.before);
    const bad = changed.find((row) => !Number.isFinite(row.priceMinor) || row.priceMinor <= 0);
    if (bad) return setError(`Section ${bad.name}: enter a price above zero`);
    if (changed.length === 0) return onClose();
    setBusy(true);
    setError(null);
    try {
      await dataProvider.updateEventSectionPrices({ eventId: event.id, sections: changed.map(({ sectionId, priceMinor }) => ({ sectionId, priceMinor })) });
      notify(`${changed.length} section price${changed.length === 1 ? "" : "s"} saved`, { type: "success" });
      refresh();
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The prices could not be saved");
    } finally {
      setBusy(false);
    }
  }

  return (
    // Opaque from its first frame, as PricingDialog (which says why).
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth aria-labelledby="section-prices-title" transitionDuration={OPAQUE_AT_ONCE} slotProps={OPAQUE_PAPER}>
      <DialogTitle id="section-prices-title">Section prices</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {event.sections.map((row) => (
            <TextField
              key={row.section.id}
              label={`Section ${row.section.name} (${currency})`}
              type="number"
              value={prices[row.section.id]}
              onChange={(change) => setPrices((current) => ({ ...current, [row.section.id]: change.target.value }))}
              helperText={`Between ${formatMoney(row.floor.amount, currency)} and ${formatMoney(row.ceiling.amount, currency)}`}
              slotProps={{ htmlInput: { step: "0.01", min: 0 } }}
            />
          ))}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={busy} onClick={save}>
          Save prices
        </Button>
      </DialogActions>
    </Dialog>
  );
}
