/**
 * One section's pricing controls: the public rules (dynamic on/off, floor, ceiling, largest step),
 * pausing the engine, and a manual override with its reason. Each calls its own pricing mutation;
 * the API's refusal (e.g. rules frozen 24 hours before the on-sale, a price outside the range) is shown
 * in the dialog as it comes.
 */
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Divider, FormControlLabel, Stack, Switch, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { useDataProvider, useNotify, useRefresh } from "react-admin";
import type { ConsoleDataProvider } from "../dataProvider/data-provider";
import { formatMoney, toMajor, toMinor } from "../shared/money";
import type { EventSectionRecord } from "./event-types";

export const OPAQUE_AT_ONCE = { enter: 0, exit: 150 };
export const OPAQUE_PAPER = { paper: { sx: { bgcolor: "background.paper", backgroundImage: "none" } } };

interface Props {
  eventId: string;
  currency: string;
  row: EventSectionRecord;
  onClose(): void;
}

export function PricingDialog({ eventId, currency, row, onClose }: Props) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const sectionId = row.section.id;
  const [dynamicPricing, setDynamicPricing] = useState(row.dynamicPricing);
  const [floor, setFloor] = useState(String(toMajor(row.floor.amount, currency)));
  const [ceiling, setCeiling] = useState(String(toMajor(row.ceiling.amount, currency)));
  const [step, setStep] = useState(String(row.maxStepPercent));
  const [overridePrice, setOverridePrice] = useState(String(toMajor(row.price.amount, currency)));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      notify(done, { type: "success" });
      refresh();
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The change failed");
    } finally {
      setBusy(false);
    }
  }

  const saveRules = () => {
    const floorMinor = toMinor(Number(floor), currency);
    const ceilingMinor = toMinor(Number(ceiling), currency);
    const maxStepPercent = Number(step);
    if (!(floorMinor > 0) || !(ceilingMinor >= floorMinor)) return setError("The floor must be above zero and the ceiling at least the floor.");
    if (!(maxStepPercent >= 0.01 && maxStepPercent <= 50)) return setError("The largest step is between 0.01% and 50%.");
    return run(() => dataProvider.updateSectionPricing({ eventId, sectionId, dynamicPricing, floorMinor, ceilingMinor, maxStepPercent }), "Pricing rules saved");
  };

  const saveOverride = () => {
    if (!reason.trim()) return setError("Say why the price is fixed by hand (fans see it in the price history).");
    const priceMinor = toMinor(Number(overridePrice), currency);
    return run(() => dataProvider.overrideSectionPrice({ eventId, sectionId, priceMinor, reason: reason.trim() }), "Price fixed");
  };

  return (
    // Opaque from its first frame: MUI fades the dialog in (its paper included) over 225 ms, during which
    // the page showed through the paper, and pictures taken then showed a see-through dialog. The paper
    // gets an explicit colour and the dialog appears at once (the backdrop still dims gradually).
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="pricing-title" transitionDuration={OPAQUE_AT_ONCE} slotProps={OPAQUE_PAPER}>
      <DialogTitle id="pricing-title">Pricing — section {row.section.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            Now {formatMoney(row.price.amount, currency)} ({formatMoney(row.allInPrice.amount, currency)} all-in)
            {row.pricingPaused ? " · engine paused" : ""}
            {row.priceOverridden ? " · fixed by hand" : ""}
          </Typography>
          {error && <Alert severity="error">{error}</Alert>}

          <Typography variant="subtitle2">Rules (public, fixed from 24 hours before the on-sale)</Typography>
          <FormControlLabel control={<Switch checked={dynamicPricing} onChange={(event) => setDynamicPricing(event.target.checked)} />} label="Dynamic pricing" />
          <Stack direction="row" spacing={2}>
            <TextField label={`Floor (${currency})`} type="number" value={floor} onChange={(event) => setFloor(event.target.value)} inputProps={{ step: "0.01", min: 0 }} />
            <TextField label={`Ceiling (${currency})`} type="number" value={ceiling} onChange={(event) => setCeiling(event.target.value)} inputProps={{ step: "0.01", min: 0 }} />
            <TextField label="Largest step (%)" type="number" value={step} onChange={(event) => setStep(event.target.value)} inputProps={{ step: "0.5", min: 0.01, max: 50 }} />
          </Stack>
          <Button variant="contained" disabled={busy} onClick={saveRules} sx={{ alignSelf: "start" }}>
            Save rules
          </Button>

          <Divider />
          <Typography variant="subtitle2">Engine</Typography>
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => run(() => dataProvider.setSectionPricingPaused(eventId, sectionId, !row.pricingPaused), row.pricingPaused ? "Engine resumed" : "Engine paused")}
            sx={{ alignSelf: "start" }}
          >
            {row.pricingPaused ? "Resume the engine" : "Pause the engine"}
          </Button>

          <Divider />
          <Typography variant="subtitle2">Fix the price by hand</Typography>
          <Stack direction="row" spacing={2}>
            <TextField label={`Price (${currency})`} type="number" value={overridePrice} onChange={(event) => setOverridePrice(event.target.value)} inputProps={{ step: "0.01", min: 0 }} />
            <TextField label="Reason" value={reason} onChange={(event) => setReason(event.target.value)} inputProps={{ maxLength: 200 }} fullWidth />
          </Stack>
          <Stack direction="row" spacing={1}>
            <Button variant="contained" disabled={busy} onClick={saveOverride}>
              Fix the price
            </Button>
            {row.priceOverridden && (
              <Button variant="outlined" disabled={busy} onClick={() => run(() => dataProvider.clearSectionPriceOverride(eventId, sectionId), "Override cleared")}>
                Clear the override
              </Button>
            )}
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
