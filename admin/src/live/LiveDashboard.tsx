/**
 * /events/:id/live — one event's sale as it happens: big numbers, sales per minute, a sell-through
 * heat map on the venue's seats, sections with their prices and the pricing engine's last reason,
 * price history and holds about to expire. Everything comes from one graphql-ws subscription
 * (use-live-dashboard.ts); only the venue's seat positions are fetched once.
 */
import { Alert, Box, Card, CardContent, Chip, Grid, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { memo, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from "react";
import { Button, Title } from "react-admin";
import { Link, useParams } from "react-router";
import { getToken } from "../auth/session";
import { fetchTransport } from "../dataProvider/graphql-client";
import { chartKeys, expiringHoldsOption, mapColourKey, money, priceHistoryOption, salesChartOption, SELL_THROUGH_COLOURS, sellThroughColour, sellThroughMapOption } from "./charts";
import { EChart } from "./EChart";
import { VENUE_SEATS_QUERY, type DashboardSection, type SaleSnapshot, type VenueSeat } from "./live-documents";
import { useLiveDashboard, type ConnectionState } from "./use-live-dashboard";

const transport = fetchTransport(getToken);

const CONNECTION: Record<ConnectionState, { label: string; color: "success" | "warning" | "default" | "error" }> = {
  connecting: { label: "Connecting…", color: "default" },
  live: { label: "Live", color: "success" },
  reconnecting: { label: "Reconnecting…", color: "warning" },
  refused: { label: "Not available", color: "error" },
};

function Panel({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <Card variant="outlined" sx={{ height: "100%" }}>
      <CardContent>
        <Box sx={{ display: "flex", alignItems: "baseline", justifyContent: "space-between", mb: 1 }}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {title}
          </Typography>
          {aside}
        </Box>
        {children}
      </CardContent>
    </Card>
  );
}

function BigNumber({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card variant="outlined" sx={{ height: "100%" }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h4" component="p" data-testid={testId} sx={{ fontWeight: 700, fontVariantNumeric: "tabular-nums" }}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

function pricingState(section: DashboardSection): string {
  if (section.overridden) return "Fixed by promoter";
  if (!section.dynamicPricing) return "Fixed";
  return section.pricingPaused ? "Engine paused" : "Dynamic";
}

/** Busiest sections first (a stable sort: equal ones stay in venue order). */
function SectionsTable({ sections }: { sections: DashboardSection[] }) {
  const busiestFirst = [...sections].sort((first, second) => second.sellThrough - first.sellThrough);
  return (
    <Table size="small" stickyHeader aria-label="Sections live">
      <TableHead>
        <TableRow>
          <TableCell>Section</TableCell>
          <TableCell align="right">Sold</TableCell>
          <TableCell align="right">Held</TableCell>
          <TableCell align="right">Blocked</TableCell>
          <TableCell align="right">Available</TableCell>
          <TableCell align="right">Total</TableCell>
          <TableCell sx={{ minWidth: 120 }}>Sell-through</TableCell>
          <TableCell align="right">Price</TableCell>
          <TableCell>Pricing engine</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {busiestFirst.map((section) => (
          <TableRow key={section.sectionId} data-section={section.name}>
            <TableCell>{section.name}</TableCell>
            <TableCell align="right">{section.sold}</TableCell>
            <TableCell align="right">{section.held}</TableCell>
            <TableCell align="right">{section.blocked}</TableCell>
            <TableCell align="right">{section.available}</TableCell>
            <TableCell align="right">{section.total}</TableCell>
            <TableCell>
              <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
                <LinearProgress
                  variant="determinate"
                  value={section.sellThrough * 100}
                  aria-label={`${section.name} sell-through`}
                  sx={{ flex: 1, height: 8, borderRadius: 4, "& .MuiLinearProgress-bar": { backgroundColor: sellThroughColour(section.sellThrough) } }}
                />
                <Typography variant="caption">{Math.round(section.sellThrough * 100)}%</Typography>
              </Box>
            </TableCell>
            <TableCell align="right">{money(section.price)}</TableCell>
            <TableCell sx={{ maxWidth: 320 }}>
              <Typography variant="body2">{pricingState(section)}</Typography>
              {section.lastExplanation ? (
                <Typography variant="caption" color="text.secondary" data-testid="engine-reason">
                  {section.lastExplanation}
                </Typography>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The venue's seats, fetched once per venue for the heat map (an arena: about 19,000 small rows). */
function useVenueSeats(venueId: string | undefined): VenueSeat[] | null {
  const [seats, setSeats] = useState<{ venueId: string; seats: VenueSeat[] } | null>(null);
  useEffect(() => {
    if (!venueId) return;
    let current = true;
    transport({ query: VENUE_SEATS_QUERY, variables: { venueId } })
      .then((data) => current && setSeats({ venueId, seats: data.adminVenueSeats as VenueSeat[] }))
      .catch(() => current && setSeats({ venueId, seats: [] }));
    return () => {
      current = false;
    };
  }, [venueId]);
  return seats && seats.venueId === venueId ? seats.seats : null;
}

/** `value` as it was when `key` last changed (React's "storing information from previous renders"). */
function useKeptUntil<T>(value: T, key: string): T {
  const [kept, setKept] = useState({ key, value });
  if (kept.key !== key) {
    setKept({ key, value });
    return value;
  }
  return kept.value;
}

/**
 * The big numbers render from the newest snapshot at once; everything below them renders from a
 * deferred copy (useDeferredValue), in the background, so on a busy machine a sale's number is never
 * held up by the table and the charts.
 */
function Dashboard({ snapshot }: { snapshot: SaleSnapshot }) {
  const room = snapshot.waitingRoom;
  const details = useDeferredValue(snapshot);
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Tickets sold" value={snapshot.ticketsSold.toLocaleString("en")} testId="tickets-sold" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Revenue (face value)" value={money(snapshot.revenue)} testId="revenue" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Paid by fans (with fees)" value={money(snapshot.grossRevenue)} testId="gross-revenue" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Orders" value={snapshot.orders.toLocaleString("en")} testId="orders" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label={room.enabled ? "In the queue" : "In the queue (no waiting room)"} value={(room.waiting + room.preQueue).toLocaleString("en")} testId="queue" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Admitted" value={room.admitted.toLocaleString("en")} testId="admitted" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Shopping now" value={room.active.toLocaleString("en")} testId="active" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <BigNumber label="Admissions per minute" value={room.admissionRatePerMinute.toFixed(1)} testId="admission-rate" />
      </Grid>
      <Details snapshot={details} />
    </Grid>
  );
}

const Details = memo(function Details({ snapshot }: { snapshot: SaleSnapshot }) {
  const seats = useVenueSeats(snapshot.venueId);
  // Each chart is redrawn only when what it shows changed (chartKeys), and the seat map only when a
  // section's colour does: redrawing thousands of dots on every snapshot would keep a slow machine busy.
  const keys = chartKeys(snapshot);
  const salesDrawn = useKeptUntil(snapshot, keys.sales);
  const pricesDrawn = useKeptUntil(snapshot, keys.prices);
  const expiringDrawn = useKeptUntil(snapshot, keys.expiring);
  const sales = useMemo(() => salesChartOption(salesDrawn), [salesDrawn]);
  const prices = useMemo(() => priceHistoryOption(pricesDrawn), [pricesDrawn]);
  const expiring = useMemo(() => expiringHoldsOption(expiringDrawn), [expiringDrawn]);
  const mapSections = useKeptUntil(snapshot.sections, mapColourKey(snapshot.sections));
  const heatMap = useMemo(() => (seats ? sellThroughMapOption(seats, mapSections) : null), [seats, mapSections]);
  const standing = snapshot.sections.filter((section) => section.kind === "GENERAL_ADMISSION");
  const expiringTickets = snapshot.holdsExpiring.reduce((sum, minute) => sum + minute.tickets, 0);

  return (
    <>
      <Grid size={{ xs: 12, lg: 7 }}>
        <Panel title="Sales per minute (last hour)">
          <EChart option={sales} height={260} label="Tickets and revenue per minute" />
        </Panel>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Panel title="Sell-through on the seat map">
          {heatMap && seats && seats.length > 0 ? <EChart option={heatMap} height={260} label="Seat map coloured by section sell-through" /> : null}
          {seats && seats.length === 0 ? <Typography color="text.secondary">This venue has no numbered seats.</Typography> : null}
          <Box sx={{ display: "flex", alignItems: "center", gap: 1, mt: 1 }} aria-label="Sell-through colour scale">
            <Typography variant="caption">0%</Typography>
            <Box sx={{ flex: 1, maxWidth: 240, height: 10, borderRadius: 5, background: `linear-gradient(to right, ${SELL_THROUGH_COLOURS.join(", ")})` }} />
            <Typography variant="caption">100% sold</Typography>
          </Box>
          {standing.length > 0 ? (
            <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1, mt: 1 }}>
              {standing.map((section) => (
                <Chip
                  key={section.sectionId}
                  label={`${section.name}: ${Math.round(section.sellThrough * 100)}%`}
                  sx={{ backgroundColor: sellThroughColour(section.sellThrough), color: section.sellThrough > 0.6 ? "#fff" : "inherit" }}
                />
              ))}
            </Box>
          ) : null}
        </Panel>
      </Grid>

      <Grid size={12}>
        <Panel title="Sections, busiest first">
          <Box sx={{ overflow: "auto", maxHeight: 480 }}>
            <SectionsTable sections={snapshot.sections} />
          </Box>
        </Panel>
      </Grid>

      <Grid size={{ xs: 12, lg: 7 }}>
        <Panel title="Price history">
          <EChart option={prices} height={260} label="Price of each section over time" />
        </Panel>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Panel title="Holds expiring soon" aside={<Typography variant="body2" data-testid="expiring-tickets">{`${expiringTickets} tickets in 10 min`}</Typography>}>
          <EChart option={expiring} height={260} label="Held tickets expiring per minute" />
        </Panel>
      </Grid>
    </>
  );
});

export function LiveDashboard() {
  const { id } = useParams<{ id: string }>();
  const { snapshot, connection, error, receivedAt } = useLiveDashboard(id);
  const state = CONNECTION[connection];
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }}>
      <Title title="Live dashboard" />
      <Box sx={{ display: "flex", alignItems: "center", gap: 2, flexWrap: "wrap", mb: 2 }}>
        <Typography variant="h5" component="h2" sx={{ flex: 1 }}>
          {snapshot ? snapshot.eventName : "Live dashboard"}
        </Typography>
        {snapshot ? <Chip label={snapshot.status.replace("_", " ").toLowerCase()} variant="outlined" /> : null}
        <Chip label={state.label} color={state.color} data-testid="connection" aria-live="polite" />
        {receivedAt ? (
          <Typography variant="caption" color="text.secondary">
            updated {new Date(receivedAt).toLocaleTimeString("en-GB")}
          </Typography>
        ) : null}
        <Button component={Link} label="Event" to={`/events/${id}/show`} />
      </Box>
      {error ? <Alert severity="error">{error}</Alert> : null}
      {!snapshot && !error ? <LinearProgress aria-label="Loading the dashboard" /> : null}
      {snapshot ? <Dashboard snapshot={snapshot} /> : null}
    </Box>
  );
}
