/**
 * Adds a section to the venue: general admission with a capacity, or seated with a first grid of rows
 * and seats (createSection, then generateSectionSeats), after which the seat-map builder opens on it
 * to shape the rows (curvature, aisles, accessible seats…) with a live preview. The grid is checked
 * first, with the API's own rules, so a refused grid creates nothing; if the seats still cannot be
 * generated (an outage), the section just created is deleted again, so a retry with the same name works.
 */
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from "@mui/material";
import { useState } from "react";
import { useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import { useSearchParams } from "react-router";
import type { ConsoleDataProvider } from "../dataProvider/data-provider";
import { initialFields, parseLayout } from "./layout-form";

export function AddSectionButton() {
  const venue = useRecordContext<{ id: string }>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [, setParams] = useSearchParams();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"SEATED" | "GENERAL_ADMISSION">("SEATED");
  const [capacity, setCapacity] = useState("500");
  const [rows, setRows] = useState("10");
  const [seatsPerRow, setSeatsPerRow] = useState("20");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!venue) return null;

  async function save() {
    setError(null);
    if (kind === "SEATED") {
      const grid = parseLayout({ ...initialFields(null, { x: 0, y: 0 }), rows, seatsPerRow });
      if (!grid.ok) {
        setError(grid.message);
        return;
      }
    }
    setBusy(true);
    try {
      const section = await dataProvider.createSection({
        venueId: venue!.id,
        name: name.trim(),
        kind,
        ...(kind === "GENERAL_ADMISSION" ? { capacity: Number(capacity) } : {}),
      });
      if (kind === "SEATED") {
        try {
          await dataProvider.generateSectionSeats({ sectionId: section.id, rows: Number(rows), seatsPerRow: Number(seatsPerRow) });
        } catch (failure) {
          await dataProvider.deleteSection(section.id).catch(() => refresh());
          throw failure;
        }
        setParams((current) => {
          current.set("build", String(section.id));
          return current;
        });
      }
      notify(`Section ${name.trim()} added`, { type: "success" });
      refresh();
      setOpen(false);
      setName("");
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The section could not be added");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        Add a section
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} maxWidth="xs" fullWidth aria-labelledby="add-section-title">
        <DialogTitle id="add-section-title">Add a section</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {error && <Alert severity="error">{error}</Alert>}
            <TextField label="Section name" value={name} onChange={(event) => setName(event.target.value)} required />
            <TextField select label="Kind" value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
              <MenuItem value="SEATED">Seated</MenuItem>
              <MenuItem value="GENERAL_ADMISSION">General admission</MenuItem>
            </TextField>
            {kind === "GENERAL_ADMISSION" ? (
              <TextField label="Capacity" type="number" value={capacity} onChange={(event) => setCapacity(event.target.value)} />
            ) : (
              <Stack direction="row" spacing={2}>
                <TextField label="Rows" type="number" value={rows} onChange={(event) => setRows(event.target.value)} inputProps={{ min: 1, max: 200 }} />
                <TextField label="Seats per row" type="number" value={seatsPerRow} onChange={(event) => setSeatsPerRow(event.target.value)} inputProps={{ min: 1, max: 200 }} />
              </Stack>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" disabled={busy || !name.trim()} onClick={save}>
            Add
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
