/**
 * The event's own fields. The venue and starting price are chosen once, at creation (the API makes the
 * slug); section prices and pricing rules live on the show page.
 */
import { Box, Typography } from "@mui/material";
import {
  BooleanInput,
  DateTimeInput,
  NumberInput,
  ReferenceInput,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  maxValue,
  minValue,
  regex,
  required,
} from "react-admin";
import { CATEGORY_CHOICES } from "./event-status";

/** The input gives local wall-clock time ("2027-03-01T20:00"); the API takes an ISO instant. */
const toInstant = (value: string) => (value ? new Date(value).toISOString() : null);

/** Checks across fields, shown under the field at fault. */
export function validateEvent(values: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const time = (field: string) => (values[field] ? new Date(values[field] as string).getTime() : null);
  const startsAt = time("startsAt");
  const endsAt = time("endsAt");
  const onSaleAt = time("onSaleAt");
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) errors.endsAt = "The event must end after it starts";
  if (startsAt !== null && onSaleAt !== null && onSaleAt >= startsAt) errors.onSaleAt = "The sale must open before the event starts";
  return errors;
}

export function EventForm({ creating = false }: { creating?: boolean }) {
  return (
    // No delete: an event is cancelled through its lifecycle, never removed.
    <SimpleForm
      validate={validateEvent}
      sanitizeEmptyValues={false}
      toolbar={
        <Toolbar>
          <SaveButton />
        </Toolbar>
      }
    >
      <Typography variant="subtitle1">What and where</Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <TextInput source="name" validate={required("The event needs a name")} />
        <TextInput source="artist" validate={required("Who performs?")} />
        <SelectInput source="category" choices={CATEGORY_CHOICES} validate={required("Choose a category")} />
        {creating ? (
          <ReferenceInput source="venueId" reference="venues" sort={{ field: "name", order: "ASC" }}>
            <SelectInput optionText="name" label="Venue" validate={required("Choose a venue")} />
          </ReferenceInput>
        ) : (
          <TextInput source="venue.name" label="Venue" disabled />
        )}
        {creating && (
          <NumberInput
            source="basePriceMinor"
            label="Starting price per section (minor units)"
            helperText="e.g. 5000 = 50.00; each section's price can be changed afterwards"
            validate={[required("Every section needs a starting price"), minValue(100, "At least 100 (e.g. 1.00)")]}
          />
        )}
      </Box>
      <TextInput source="description" multiline minRows={3} fullWidth />

      <Typography variant="subtitle1">When</Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <DateTimeInput source="startsAt" label="Starts" parse={toInstant} validate={required("When does it start?")} />
        <DateTimeInput source="endsAt" label="Ends" parse={toInstant} />
        <DateTimeInput source="onSaleAt" label="Sale opens" parse={toInstant} validate={required("When does the sale open?")} />
      </Box>

      <Typography variant="subtitle1">Sale rules</Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <TextInput source="currency" defaultValue="USD" validate={[required(), regex(/^[A-Z]{3}$/, "A three-letter currency code, e.g. USD")]} />
        <NumberInput source="serviceFeeBasisPoints" label="Service fee (basis points)" helperText="100 = 1%" validate={[minValue(0), maxValue(5000)]} />
        <NumberInput source="facilityFeeMinor" label="Facility fee (minor units)" helperText="Per ticket, e.g. cents" validate={[minValue(0), maxValue(1_000_000)]} />
        <NumberInput source="maxSeatsPerUser" label="Seats per fan" validate={[minValue(1, "At least one seat"), maxValue(50, "At most 50 seats")]} />
        <NumberInput source="holdDurationSeconds" label="Hold duration (seconds)" validate={[minValue(60, "At least a minute"), maxValue(3600)]} />
        <BooleanInput source="allowSingleSeatGaps" label="Allow single-seat gaps" />
      </Box>

      <Typography variant="subtitle1">Demand</Typography>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <BooleanInput source="waitingRoomEnabled" label="Waiting room" />
        <NumberInput source="waitingRoomMaxActiveShoppers" label="Shoppers at once" validate={minValue(1)} />
        <NumberInput source="waitingRoomAdmissionIntervalSeconds" label="Admit every (seconds)" validate={[minValue(1), maxValue(3600)]} />
        <BooleanInput source="presaleEnabled" label="Presale" />
        <BooleanInput source="proofOfWorkEnabled" label="Proof of work against bots" />
      </Box>
    </SimpleForm>
  );
}
