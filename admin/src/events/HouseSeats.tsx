/**
 * House seats: the event's map with each seat's live status (AdminEvent.seatMap, drafts included);
 * click seats to select them, then block them from sale or give them back (setSeatsBlocked). The API
 * does all or nothing: a held or sold seat refuses the request, and the refused seats are ringed on
 * the map and named under it.
 */
import { Alert, Box, Button, Chip, Stack, Typography } from "@mui/material";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import type { ConsoleDataProvider, SectionSeatMap } from "../dataProvider/data-provider";
import { typicalSpacing, VenueMap, type MapMark, type SeatGroup } from "../venues/VenueMap";
import type { EventRecord } from "./event-types";

const STATUS = {
  A: { label: "Available", color: "#9aa3b5" },
  H: { label: "Held", color: "#f9a825" },
  S: { label: "Sold", color: "#263238" },
  B: { label: "Blocked (house)", color: "#5b3df5" },
} as const;
type Status = keyof typeof STATUS;

interface Seat {
  id: string;
  sectionId: string;
  row: string;
  number: number;
  x: number;
  y: number;
  status: Status;
}

const flatten = (maps: SectionSeatMap[]): Seat[] =>
  maps.flatMap((map) =>
    map.seatIds.map((id, index) => ({ id, sectionId: map.sectionId, row: map.rows[index]!, number: map.numbers[index]!, x: map.x[index]!, y: map.y[index]!, status: (map.statuses[index] ?? "A") as Status })),
  );

export function HouseSeats() {
  const event = useRecordContext<EventRecord>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [seats, setSeats] = useState<Seat[] | null>(null);
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [refused, setRefused] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const eventId = event?.id;

  useEffect(() => {
    if (!eventId) return;
    let current = true;
    dataProvider.eventSeatMap(eventId).then(
      (maps) => current && setSeats(flatten(maps)),
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : "The seat map could not be loaded"),
    );
    return () => {
      current = false;
    };
  }, [dataProvider, eventId, version]);

  const groups = useMemo(() => {
    const byKey = new Map<string, SeatGroup>();
    for (const seat of seats ?? []) {
      const key = `${seat.sectionId}:${seat.status}`;
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { key, color: STATUS[seat.status].color, points: [] }));
      group.points.push(seat.x, seat.y);
    }
    return [...byKey.values()];
  }, [seats]);
  const byId = useMemo(() => new Map((seats ?? []).map((seat) => [seat.id, seat])), [seats]);
  const seatSize = useMemo(() => 0.8 * typicalSpacing(seats ?? []), [seats]);
  const toggle = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  if (!event || seats === null) return error ? <Alert severity="error">{error}</Alert> : null;
  if (seats.length === 0) return <Typography color="text.secondary">This event has no seated sections.</Typography>;

  const marks: MapMark[] = [
    ...[...selected].flatMap((id) => (byId.get(id) ? [{ key: `selected:${id}`, x: byId.get(id)!.x, y: byId.get(id)!.y, color: "#d81b60" }] : [])),
    ...refused.flatMap((id) => (byId.get(id) ? [{ key: `refused:${id}`, x: byId.get(id)!.x, y: byId.get(id)!.y, color: "#c62828" }] : [])),
  ];
  const describe = (id: string) => {
    const seat = byId.get(id);
    return seat ? `${seat.row}-${seat.number} (${STATUS[seat.status].label.toLowerCase()})` : id;
  };

  async function apply(blocked: boolean) {
    setBusy(true);
    setError(null);
    setRefused([]);
    try {
      const result = await dataProvider.setSeatsBlocked({ eventId: event!.id, seatIds: [...selected], blocked });
      notify(`${result.changed} seat${result.changed === 1 ? "" : "s"} ${blocked ? "blocked" : "given back to the sale"}`, { type: "success" });
      setSelected(new Set());
      refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The seats could not be changed");
      const ids = (failure as { body?: { refusedSeatIds?: unknown } }).body?.refusedSeatIds;
      setRefused(Array.isArray(ids) ? ids.map(String) : []);
    } finally {
      setBusy(false);
      setVersion((value) => value + 1);
    }
  }

  const counts = seats.reduce<Record<string, number>>((sum, seat) => ((sum[seat.status] = (sum[seat.status] ?? 0) + 1), sum), {});
  return (
    <Box component="section" aria-label="House seats">
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: "wrap", alignItems: "center" }}>
        {(Object.keys(STATUS) as Status[]).map((status) => (
          <Chip key={status} size="small" label={`${STATUS[status].label}: ${(counts[status] ?? 0).toLocaleString("en")}`} sx={{ bgcolor: STATUS[status].color, color: "#fff" }} />
        ))}
      </Stack>
      <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: "center" }}>
        <Typography role="status">{selected.size === 0 ? "Click seats to select them" : `${selected.size} selected: ${[...selected].map(describe).join(", ")}`}</Typography>
        <Button variant="contained" size="small" disabled={busy || selected.size === 0} onClick={() => apply(true)}>
          Block selected
        </Button>
        <Button variant="outlined" size="small" disabled={busy || selected.size === 0} onClick={() => apply(false)}>
          Unblock selected
        </Button>
        <Button size="small" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
          Clear
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" role="alert" sx={{ mb: 1 }}>
          {error}
          {refused.length > 0 && <Box>Refused: {refused.map(describe).join(", ")}</Box>}
        </Alert>
      )}
      <VenueMap label="Event seat map" groups={groups} marks={marks} seatSize={seatSize} pickable={seats} onSeatClick={toggle} height={480} />
    </Box>
  );
}
