import InsightsIcon from "@mui/icons-material/Insights";
import { Box, Card, CardContent, Grid, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { BooleanField, Button, EditButton, FunctionField, Labeled, Show, TextField, TopToolbar, useRecordContext } from "react-admin";
import { ExportButtons } from "../orders/ExportButtons";
import { PresalePanel } from "../presale/PresalePanel";
import { formatMoney } from "../shared/money";
import type { EventRecord } from "./event-types";
import { HouseSeats } from "./HouseSeats";
import { LifecycleButtons } from "./LifecycleButtons";
import { SectionPricesButton } from "./SectionPricesDialog";
import { SectionsPricing } from "./SectionsPricing";
import { StatusField } from "./StatusField";
import { VenueTimeField } from "./VenueTimeField";

function Actions() {
  const event = useRecordContext<EventRecord>();
  return (
    <TopToolbar sx={{ alignItems: "center" }}>
      {event ? <Button component={Link} label="Live dashboard" to={`/events/${event.id}/live`}>
          <InsightsIcon />
        </Button> : null}
      <LifecycleButtons />
      <ExportButtons />
      <EditButton />
    </TopToolbar>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" sx={{ height: "100%" }}>
      <CardContent>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
          {title}
        </Typography>
        <Box sx={{ display: "grid", gap: 1 }}>{children}</Box>
      </CardContent>
    </Card>
  );
}

function EventDetails() {
  const event = useRecordContext<EventRecord>();
  if (!event) return null;
  return (
    <Box sx={{ p: 2, display: "grid", gap: 2 }}>
      <Box>
        <Typography variant="h5" component="h2">
          {event.name}
        </Typography>
        <Typography color="text.secondary">
          {String(event.artist ?? "")} · {String((event.venue as { name?: string })?.name ?? "")}
        </Typography>
        <Box sx={{ mt: 1 }}>
          <StatusField />
        </Box>
      </Box>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title={`Dates (${String((event.venue as { timezone?: string })?.timezone ?? "")})`}>
            <Labeled label="Starts">
              <VenueTimeField source="startsAt" zoneSource="venue.timezone" />
            </Labeled>
            <Labeled label="Ends">
              <VenueTimeField source="endsAt" zoneSource="venue.timezone" />
            </Labeled>
            <Labeled label="On sale">
              <VenueTimeField source="onSaleAt" zoneSource="venue.timezone" />
            </Labeled>
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Sale rules">
            <Labeled label="Service fee">
              <FunctionField render={(record: EventRecord) => `${Number(record.serviceFeeBasisPoints) / 100}%`} />
            </Labeled>
            <Labeled label="Facility fee per ticket">
              <FunctionField render={(record: EventRecord) => formatMoney(record.facilityFeeMinor as number, record.currency)} />
            </Labeled>
            <Labeled label="Seats per fan">
              <TextField source="maxSeatsPerUser" />
            </Labeled>
            <Labeled label="Hold duration (seconds)">
              <TextField source="holdDurationSeconds" />
            </Labeled>
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Demand">
            <Labeled label="Waiting room">
              <BooleanField source="waitingRoomEnabled" />
            </Labeled>
            <Labeled label="Shoppers at once · admitted every">
              <FunctionField render={(record: EventRecord) => `${Number(record.waitingRoomMaxActiveShoppers).toLocaleString("en")} · ${record.waitingRoomAdmissionIntervalSeconds} s`} />
            </Labeled>
            <Labeled label="Presale">
              <BooleanField source="presaleEnabled" />
            </Labeled>
            <Labeled label="Proof of work">
              <BooleanField source="proofOfWorkEnabled" />
            </Labeled>
            <Labeled label="Pricing curve">
              <FunctionField render={(record: EventRecord) => `${String(record.pricingCurve).toLowerCase().replace("_", " ")}, frozen ${record.pricingFreezeMinutes} min before the start`} />
            </Labeled>
          </Panel>
        </Grid>
      </Grid>
      <Box>
        <Typography variant="h6" component="h3" gutterBottom>
          Sections and prices <SectionPricesButton />
        </Typography>
        <SectionsPricing />
      </Box>
      <Box>
        <Typography variant="h6" component="h3" gutterBottom>
          House seats
        </Typography>
        <HouseSeats />
      </Box>
      <PresalePanel />
    </Box>
  );
}

export function EventShow() {
  return (
    <Show actions={<Actions />}>
      <EventDetails />
    </Show>
  );
}
