/**
 * The seat-map builder's form for one seated section: every generateSectionSeats parameter. Each
 * keystroke re-runs the API's own generator (layout-form.ts) and hands the seats to the map as one
 * path per row and colour, so the preview is what "Generate" will write.
 */
import { Alert, Box, Button, MenuItem, Slider, Stack, TextField, Typography } from "@mui/material";
import { useEffect, useMemo, useState } from "react";
import { useDataProvider, useNotify, useRefresh } from "react-admin";
import type { ConsoleDataProvider, VenueSeat } from "../dataProvider/data-provider";
import { generateSeats, initialFields, NUMBERING_CHOICES, parseLayout, type LayoutFields } from "./layout-form";
import type { SectionRecord, VenueRecord } from "./venue-types";
import type { SeatGroup } from "./VenueMap";

export interface Preview {
  groups: SeatGroup[];
  seatCount: number;
  seatSpacing: number;
}

const PREVIEW_COLORS = { plain: "#5b3df5", accessible: "#1976d2", restricted: "#ef6c00" };

/** Where a new section goes: centred below the venue's other seats. */
function freePlace(seats: VenueSeat[], sectionId: string): { x: number; y: number } {
  const others = seats.filter((seat) => seat.sectionId !== sectionId);
  if (others.length === 0) return { x: 0, y: 0 };
  let minX = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const seat of others) {
    minX = Math.min(minX, seat.x);
    maxX = Math.max(maxX, seat.x);
    maxY = Math.max(maxY, seat.y);
  }
  return { x: Math.round((minX + maxX) / 2), y: Math.ceil(maxY + 4) };
}

interface Props {
  venue: VenueRecord;
  section: SectionRecord;
  seats: VenueSeat[];
  onPreview(preview: Preview | null): void;
  onGenerated(): void;
  onCancel(): void;
}

export function LayoutBuilder({ section, seats, onPreview, onGenerated, onCancel }: Props) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  // The starting point is read once per section (the component is keyed by it).
  const [fields, setFields] = useState<LayoutFields>(() => initialFields(section.layout, freePlace(seats, section.id)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parseLayout(fields), [fields]);
  const generated = useMemo(() => (parsed.ok ? generateSeats(parsed.layout) : null), [parsed]);

  useEffect(() => {
    if (!generated || !parsed.ok) return;
    // One path per row and flag colour: an arena's 18,000 seats are a few hundred elements.
    const groups: SeatGroup[] = [];
    const byKey = new Map<string, SeatGroup>();
    for (const seat of generated.seats) {
      const style = seat.accessible ? "accessible" : seat.restrictedView ? "restricted" : "plain";
      const key = `preview:${seat.row}:${style}`;
      let group = byKey.get(key);
      if (!group) {
        group = { key, color: PREVIEW_COLORS[style], points: [] };
        byKey.set(key, group);
        groups.push(group);
      }
      group.points.push(seat.x, seat.y);
    }
    onPreview({ groups, seatCount: generated.seats.length, seatSpacing: parsed.layout.seatSpacing });
  }, [generated, parsed, onPreview]);
  useEffect(() => () => onPreview(null), [onPreview]);

  const set = (field: keyof LayoutFields) => (event: { target: { value: string } }) => setFields((current) => ({ ...current, [field]: event.target.value }));
  const problem = (field: keyof LayoutFields) => (!parsed.ok && parsed.field === field ? parsed.message : undefined);
  const input = (field: keyof LayoutFields, label: string, extra: { helperText?: string; type?: string; step?: string } = {}) => (
    <TextField
      label={label}
      value={fields[field]}
      onChange={set(field)}
      type={extra.type ?? "number"}
      size="small"
      error={Boolean(problem(field))}
      helperText={problem(field) ?? extra.helperText}
      slotProps={{ htmlInput: { step: extra.step ?? "any" } }}
    />
  );

  async function generate() {
    if (!parsed.ok) return;
    setBusy(true);
    setError(null);
    try {
      await dataProvider.generateSectionSeats({ sectionId: section.id, ...parsed.layout });
      notify(`Section ${section.name}: ${generated!.seats.length.toLocaleString("en")} seats generated`, { type: "success" });
      refresh();
      onGenerated();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The seats could not be generated");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack spacing={1.5} component="form" aria-label="Seat-map builder" onSubmit={(event) => (event.preventDefault(), generate())}>
      <Typography variant="subtitle1" component="h4" sx={{ fontWeight: 600 }}>
        Build seats — section {section.name}
      </Typography>
      <Typography role="status" aria-live="polite" data-preview-seats={generated?.seats.length ?? 0}>
        {generated
          ? `Preview: ${generated.seats.length.toLocaleString("en")} seats in ${generated.rows.length} rows (replaces ${section.seats.toLocaleString("en")})`
          : "Fix the highlighted value to see the preview"}
      </Typography>
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <Box sx={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 1.5 }}>
        {input("rows", "Rows", { step: "1", helperText: "1 to 200" })}
        {input("seatsPerRow", "Seats per row", { step: "1", helperText: "1 to 200" })}
        {input("firstRowLabel", "First row", { type: "text", helperText: "A (A, B, …) or 1" })}
        <TextField select label="Numbering" size="small" value={fields.numbering} onChange={set("numbering")}>
          {NUMBERING_CHOICES.map((choice) => (
            <MenuItem key={choice.id} value={choice.id}>
              {choice.name}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box>
        <Typography variant="caption" id="curvature-label">
          Row curvature ({fields.curvature}): 0 straight, 1 a half circle
        </Typography>
        <Slider
          aria-labelledby="curvature-label"
          min={0}
          max={1}
          step={0.05}
          value={Number(fields.curvature) || 0}
          onChange={(_event, value) => setFields((current) => ({ ...current, curvature: String(value) }))}
          size="small"
        />
      </Box>
      <Box sx={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 1.5 }}>
        {input("curvature", "Curvature", { step: "0.05" })}
        {input("angle", "Angle (degrees)", { helperText: "Clockwise" })}
        {input("originX", "Position x", { helperText: "Centre of the front row" })}
        {input("originY", "Position y")}
        {input("seatSpacing", "Seat spacing")}
        {input("rowSpacing", "Row spacing")}
      </Box>
      {input("aisles", "Aisles after seats", { type: "text", helperText: "Positions from the left, e.g. 5, 15" })}
      {input("accessibleSeats", "Accessible (wheelchair) seats", { type: "text", helperText: "ROW-NUMBER, e.g. A-1, A-2" })}
      {input("restrictedViewSeats", "Restricted-view seats", { type: "text", helperText: "ROW-NUMBER, e.g. K-1, K-20" })}
      <Stack direction="row" spacing={1}>
        <Button type="submit" variant="contained" disabled={busy || !parsed.ok}>
          Generate
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </Stack>
    </Stack>
  );
}
