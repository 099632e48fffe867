/**
 * The venue's seat map on its show page: every seat of every section (adminVenueSeats), the seat-map
 * builder for one seated section (?build=<sectionId>: its parameters on the left, the generated seats
 * previewed in place of the section's current ones as you type, "Generate" writes them), and a click on
 * a seat to change its flags or number, or remove it (the API refuses seats an event sold or holds).
 */
import { Alert, Box, Button, Checkbox, Chip, FormControlLabel, Grid, Stack, TextField, Typography } from "@mui/material";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import { useSearchParams } from "react-router";
import type { ConsoleDataProvider, VenueSeat } from "../dataProvider/data-provider";
import { LayoutBuilder, type Preview } from "./LayoutBuilder";
import type { VenueRecord } from "./venue-types";
import { typicalSpacing, VenueMap, type MapLabel, type MapMark, type SeatGroup } from "./VenueMap";

export const SEAT_COLORS = { plain: "#9aa3b5", accessible: "#1976d2", restricted: "#ef6c00", preview: "#5b3df5", selected: "#d81b60" };

type Style = "plain" | "accessible" | "restricted";
const styleOf = (seat: { accessible: boolean; restrictedView: boolean }): Style => (seat.accessible ? "accessible" : seat.restrictedView ? "restricted" : "plain");

/** Existing seats → one path per section and style. */
function seatGroups(seats: VenueSeat[], hiddenSection: string | null): SeatGroup[] {
  const groups = new Map<string, SeatGroup>();
  for (const seat of seats) {
    if (seat.sectionId === hiddenSection) continue;
    const style = styleOf(seat);
    const key = `${seat.sectionId}:${style}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, color: SEAT_COLORS[style], points: [] }));
    group.points.push(seat.x, seat.y);
  }
  return [...groups.values()];
}

/** Section names at the centre of their seats. */
function sectionLabels(seats: VenueSeat[], venue: VenueRecord, hiddenSection: string | null): MapLabel[] {
  const sums = new Map<string, { x: number; y: number; count: number }>();
  for (const seat of seats) {
    if (seat.sectionId === hiddenSection) continue;
    const sum = sums.get(seat.sectionId) ?? { x: 0, y: 0, count: 0 };
    sum.x += seat.x;
    sum.y += seat.y;
    sum.count += 1;
    sums.set(seat.sectionId, sum);
  }
  return venue.sections.flatMap((section) => {
    const sum = sums.get(section.id);
    return sum ? [{ key: section.id, x: sum.x / sum.count, y: sum.y / sum.count, text: section.name }] : [];
  });
}

export function SeatMapEditor() {
  const venue = useRecordContext<VenueRecord>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [params, setParams] = useSearchParams();
  const building = params.get("build");
  const [seats, setSeats] = useState<VenueSeat[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const venueId = venue?.id;

  useEffect(() => {
    if (!venueId) return;
    let current = true;
    dataProvider.venueSeats(venueId).then(
      (loaded) => current && (setSeats(loaded), setLoadError(null)),
      (error: unknown) => current && setLoadError(error instanceof Error ? error.message : "The seats could not be loaded"),
    );
    return () => {
      current = false;
    };
  }, [dataProvider, venueId, version]);

  const reload = useCallback(() => setVersion((value) => value + 1), []);
  const section = venue?.sections?.find((candidate) => candidate.id === building && candidate.kind === "SEATED") ?? null;
  const all = useMemo(() => seats ?? [], [seats]);
  const existing = useMemo(() => seatGroups(all, section ? section.id : null), [all, section]);
  const labels = useMemo(() => (venue?.sections ? sectionLabels(all, venue, section ? section.id : null) : []), [all, venue, section]);
  const seatSize = useMemo(() => 0.8 * Math.min(typicalSpacing(all), preview?.seatSpacing ?? Infinity), [all, preview]);
  if (!venue?.sections) return null;

  const seat = selected ? (all.find((candidate) => candidate.id === selected) ?? null) : null;
  const marks: MapMark[] = seat ? [{ key: "selected", x: seat.x, y: seat.y, color: SEAT_COLORS.selected }] : [];
  const close = () => {
    setPreview(null);
    setParams((current) => {
      current.delete("build");
      return current;
    });
  };

  return (
    <Box component="section" aria-label="Seat map" sx={{ width: "100%" }}>
      <Typography variant="h6" component="h3" gutterBottom>
        Seat map
      </Typography>
      {loadError && <Alert severity="error">{loadError}</Alert>}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 4 }}>
          {section ? (
            <LayoutBuilder key={section.id} venue={venue} section={section} seats={all} onPreview={setPreview} onGenerated={() => (reload(), close())} onCancel={close} />
          ) : seat ? (
            <SeatPanel key={seat.id} seat={seat} sectionName={venue.sections.find((candidate) => candidate.id === seat.sectionId)?.name ?? ""} onChanged={reload} onClose={() => setSelected(null)} />
          ) : (
            <Typography color="text.secondary">
              {all.length.toLocaleString("en")} seats. Click a seat to change or remove it; “Build seats” on a seated section lays out its rows with a live preview.
            </Typography>
          )}
        </Grid>
        <Grid size={{ xs: 12, md: 8 }}>
          <Stack direction="row" spacing={1} sx={{ mb: 1 }} aria-label="Legend">
            <Chip size="small" label="Seat" sx={{ bgcolor: SEAT_COLORS.plain, color: "#fff" }} />
            <Chip size="small" label="Accessible" sx={{ bgcolor: SEAT_COLORS.accessible, color: "#fff" }} />
            <Chip size="small" label="Restricted view" sx={{ bgcolor: SEAT_COLORS.restricted, color: "#fff" }} />
            {section && <Chip size="small" label="Preview" sx={{ bgcolor: SEAT_COLORS.preview, color: "#fff" }} />}
          </Stack>
          {seats === null && !loadError ? (
            <Typography color="text.secondary">Loading the seats…</Typography>
          ) : (
            <VenueMap
              label="Venue map"
              groups={existing}
              overlay={section && preview ? preview.groups : undefined}
              labels={labels}
              marks={marks}
              seatSize={seatSize}
              pickable={section ? [] : all}
              onSeatClick={section ? undefined : (id) => setSelected(id)}
            />
          )}
        </Grid>
      </Grid>
    </Box>
  );
}

/** One seat: its flags and number (updateSeat), or its removal (deleteSeats), with the API's refusal shown. */
function SeatPanel({ seat, sectionName, onChanged, onClose }: { seat: VenueSeat; sectionName: string; onChanged(): void; onClose(): void }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [accessible, setAccessible] = useState(seat.accessible);
  const [restrictedView, setRestrictedView] = useState(seat.restrictedView);
  const [number, setNumber] = useState(String(seat.number));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>, done: string, closes: boolean) {
    setBusy(true);
    setError(null);
    try {
      await action();
      notify(done, { type: "success" });
      onChanged();
      refresh();
      if (closes) onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The change failed");
    } finally {
      setBusy(false);
    }
  }

  const save = () => {
    const parsed = Number(number);
    if (!Number.isInteger(parsed) || parsed < 1) return setError("The seat number is a whole number from 1");
    return run(
      () => dataProvider.updateSeat({ id: seat.id, accessible, restrictedView, ...(parsed !== seat.number ? { number: parsed } : {}) }),
      `Seat ${seat.row}-${parsed} saved`,
      false,
    );
  };

  return (
    <Stack spacing={2} component="form" aria-label="Seat" onSubmit={(event) => (event.preventDefault(), save())}>
      <Typography variant="subtitle1" component="h4" sx={{ fontWeight: 600 }}>
        Section {sectionName} · row {seat.row} · seat {seat.number}
      </Typography>
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <FormControlLabel control={<Checkbox checked={accessible} onChange={(event) => setAccessible(event.target.checked)} />} label="Accessible (wheelchair)" />
      <FormControlLabel control={<Checkbox checked={restrictedView} onChange={(event) => setRestrictedView(event.target.checked)} />} label="Restricted view" />
      <TextField label="Seat number" type="number" value={number} onChange={(event) => setNumber(event.target.value)} inputProps={{ min: 1 }} />
      <Stack direction="row" spacing={1}>
        <Button type="submit" variant="contained" disabled={busy}>
          Save seat
        </Button>
        <Button color="error" variant="outlined" disabled={busy} onClick={() => run(() => dataProvider.deleteSeats({ sectionId: seat.sectionId, seatIds: [seat.id] }), `Seat ${seat.row}-${seat.number} removed`, true)}>
          Remove seat
        </Button>
        <Button onClick={onClose}>Close</Button>
      </Stack>
    </Stack>
  );
}
