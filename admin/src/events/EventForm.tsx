/**
 * The event's own fields. The venue and starting price are chosen once, at creation (the API makes the
 * slug); section prices and pricing rules live on the show page. Times are entered and shown in the
 * VENUE's time zone, labelled, whatever the browser's zone (event-times.ts converts at save time);
 * the pricing engine's pace (curve, sell-out target, freeze) is edited with the rest once the event exists.
 */
import { Alert, Box, Typography } from "@mui/material";
import { useMemo, useRef } from "react";
import {
  BooleanInput,
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
  useGetOne,
  useRecordContext,
} from "react-admin";
import { useWatch } from "react-hook-form";
import { CATEGORY_CHOICES } from "./event-status";
import { toFormTimes, validateEventTimes } from "./event-times";
import type { EventRecord } from "./event-types";
import { formatOffset, instantOf, offsetMinutes, zoneAbbreviation } from "./venue-time";

export const PACING_CURVE_CHOICES = [
  { id: "FRONT_LOADED", name: "Front-loaded (most sales early)" },
  { id: "LINEAR", name: "Linear (steady to the sell-out target)" },
];

const grid = (columns: number) => ({ display: "grid", gridTemplateColumns: { md: `repeat(${columns}, 1fr)` }, columnGap: 2, width: "100%" });

/** The zone the form's times are in: the event's venue, or the venue chosen in the create form. */
function useVenueZone(): string | null {
  const record = useRecordContext<EventRecord>();
  const venueId = useWatch({ name: "venueId" }) as string | undefined;
  const storedZone = (record?.venue as { timezone?: string } | undefined)?.timezone ?? null;
  const { data: venue } = useGetOne<{ id: string; timezone: string }>("venues", { id: venueId ?? "" }, { enabled: !storedZone && Boolean(venueId) });
  return storedZone ?? venue?.timezone ?? null;
}

/** Says which zone the times are in (or that the venue decides it). */
function ZoneNote() {
  const zone = useVenueZone();
  if (!zone) return <Alert severity="info">Choose the venue first: the event's times are entered in its time zone.</Alert>;
  const now = new Date();
  return (
    <Typography variant="body2" color="text.secondary" data-zone={zone}>
      Times are in the venue's time zone: <strong>{zone}</strong> ({zoneAbbreviation(now, zone)}, {formatOffset(offsetMinutes(now, zone))} today)
    </Typography>
  );
}

/**
 * A date-time input in the venue's zone, its helper saying which instant (and offset) it means. Its
 * validator checks it against the other times in that zone (react-admin runs either form-level or
 * input-level validation, not both, so the cross-field checks live here beside each input's own).
 */
function VenueTimeInput({ source, label, requiredMessage }: { source: string; label: string; requiredMessage?: string }) {
  const zone = useVenueZone();
  const value = useWatch({ name: source }) as string | null | undefined;
  // The validator is registered once; it reads the zone chosen since through the ref.
  const zoneRef = useRef(zone);
  zoneRef.current = zone;
  const validate = useMemo(
    () => [
      ...(requiredMessage ? [required(requiredMessage)] : []),
      (_value: unknown, values: Record<string, unknown>) => validateEventTimes(values, zoneRef.current)[source],
    ],
    [requiredMessage, source],
  );
  let helper = zone ? `In ${zone}` : "In the venue's time zone";
  if (zone && value) {
    const result = instantOf(value, zone);
    if (result.ok) {
      const utc = result.instant.toISOString().slice(0, 16).replace("T", " ");
      helper = `${zoneAbbreviation(result.instant, zone)} (${formatOffset(result.offsetMinutes)}) = ${utc} UTC${result.repeated ? " · happens twice that night: the first is used" : ""}`;
    }
  }
  return (
    <TextInput
      source={source}
      label={zone ? `${label} (${zone})` : label}
      type="datetime-local"
      helperText={helper}
      validate={validate}
      slotProps={{ inputLabel: { shrink: true } }}
    />
  );
}

export function EventForm({ creating = false }: { creating?: boolean }) {
  const record = useRecordContext<EventRecord>();
  const storedZone = (record?.venue as { timezone?: string } | undefined)?.timezone;
  // The edit form sees the stored instants as wall clocks in the venue's zone; EventEdit converts back.
  const formRecord = useMemo(() => (record && storedZone ? toFormTimes(record, storedZone) : record), [record, storedZone]);
  const defaults = creating
    ? { holdDurationSeconds: 600, maxSeatsPerUser: 8, serviceFeeBasisPoints: 1000, facilityFeeMinor: 0, waitingRoomMaxActiveShoppers: 500, waitingRoomAdmissionIntervalSeconds: 5 }
    : undefined;

  return (
    // No delete: an event is cancelled through its lifecycle, never removed.
    <SimpleForm
      record={formRecord}
      defaultValues={defaults}
      sanitizeEmptyValues={false}
      toolbar={
        <Toolbar>
          <SaveButton />
        </Toolbar>
      }
    >
      <Typography variant="subtitle1">What and where</Typography>
      <Box sx={grid(2)}>
        <TextInput source="name" validate={required("The event needs a name")} />
        <TextInput source="artist" validate={required("Who performs?")} />
        <SelectInput source="category" choices={CATEGORY_CHOICES} validate={required("Choose a category")} />
        {creating ? (
          <ReferenceInput source="venueId" reference="venues" sort={{ field: "name", order: "ASC" }} perPage={100}>
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
      <TextInput source="description" multiline minRows={3} fullWidth validate={regex(/^[\s\S]{0,5000}$/, "At most 5000 characters")} />

      <Typography variant="subtitle1">When</Typography>
      <ZoneNote />
      <Box sx={grid(3)}>
        <VenueTimeInput source="startsAt" label="Starts" requiredMessage="When does it start?" />
        <VenueTimeInput source="endsAt" label="Ends" />
        <VenueTimeInput source="onSaleAt" label="Sale opens" requiredMessage="When does the sale open?" />
      </Box>

      <Typography variant="subtitle1">Sale rules</Typography>
      <Box sx={grid(3)}>
        <TextInput source="currency" defaultValue="USD" validate={[required(), regex(/^[A-Z]{3}$/, "A three-letter currency code in capitals, e.g. USD")]} />
        <NumberInput
          source="serviceFeeBasisPoints"
          label="Service fee (basis points)"
          helperText="100 = 1%; fixed once the sale begins"
          validate={[minValue(0, "No negative fee"), maxValue(5000, "At most 5000 (50%)")]}
        />
        <NumberInput
          source="facilityFeeMinor"
          label="Facility fee (minor units)"
          helperText="Per ticket, e.g. cents; fixed once the sale begins"
          validate={[minValue(0, "No negative fee"), maxValue(1_000_000, "At most 1,000,000")]}
        />
        <NumberInput source="maxSeatsPerUser" label="Seats per fan" validate={[minValue(1, "At least one seat"), maxValue(50, "At most 50 seats")]} />
        <NumberInput source="holdDurationSeconds" label="Hold duration (seconds)" helperText="How long a fan keeps seats while paying" validate={[minValue(60, "At least a minute"), maxValue(3600, "At most an hour (3600)")]} />
        <BooleanInput source="allowSingleSeatGaps" label="Allow single-seat gaps" helperText="Off: picks that strand one seat between taken seats are refused" />
      </Box>

      <Typography variant="subtitle1">Demand</Typography>
      <Box sx={grid(3)}>
        <BooleanInput source="waitingRoomEnabled" label="Waiting room" helperText="Fans queue before they may hold seats" />
        <NumberInput source="waitingRoomMaxActiveShoppers" label="Shoppers at once" validate={[minValue(1, "At least one shopper"), maxValue(1_000_000, "At most 1,000,000")]} />
        <NumberInput source="waitingRoomAdmissionIntervalSeconds" label="Admit every (seconds)" helperText="The admission rate: one batch per interval" validate={[minValue(1, "At least a second"), maxValue(3600, "At most an hour (3600)")]} />
        <BooleanInput source="presaleEnabled" label="Presale" helperText="Access codes or the verified-fan list before the general sale" />
        <BooleanInput source="proofOfWorkEnabled" label="Proof of work against bots" helperText="A small computation before joining the waiting room" />
      </Box>

      {!creating && (
        <>
          <Typography variant="subtitle1">Pricing pace</Typography>
          <Box sx={grid(3)}>
            <SelectInput source="pricingCurve" label="Pricing curve" choices={PACING_CURVE_CHOICES} validate={required()} />
            <VenueTimeInput source="sellOutBy" label="Sell-out target" />
            <NumberInput
              source="pricingFreezeMinutes"
              label="Price freeze (minutes before the start)"
              helperText="Public; fixed from 24 hours before the on-sale"
              validate={[minValue(0, "No negative freeze"), maxValue(10080, "At most a week (10080)")]}
            />
          </Box>
        </>
      )}
    </SimpleForm>
  );
}
