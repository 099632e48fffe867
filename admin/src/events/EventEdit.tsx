import { Edit } from "react-admin";
import { toApiTimes } from "./event-times";
import { EventForm } from "./EventForm";

const zoneOf = (record: Record<string, unknown> | undefined) => (record?.venue as { timezone: string }).timezone;

/**
 * Pessimistic: the API's validation errors must reach the form before anything is shown as saved. The
 * form's times are wall clocks in the venue's zone; they go back as instants, unchanged ones as stored.
 */
export function EventEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      redirect="show"
      transform={(data: Record<string, unknown>, options?: { previousData?: Record<string, unknown> }) => toApiTimes(data, zoneOf(options?.previousData ?? data), options?.previousData)}
    >
      <EventForm />
    </Edit>
  );
}
