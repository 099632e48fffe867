import { Create, useDataProvider } from "react-admin";
import { toApiTimes } from "./event-times";
import { EventForm } from "./EventForm";

/** The times were typed in the chosen venue's zone: converted to instants with it at save time. */
export function EventCreate() {
  const dataProvider = useDataProvider();
  const transform = async (data: Record<string, unknown>) => {
    const { data: venue } = await dataProvider.getOne<{ id: string; timezone: string }>("venues", { id: data.venueId as string });
    return toApiTimes(data, venue.timezone);
  };
  return (
    <Create redirect="show" transform={transform}>
      <EventForm creating />
    </Create>
  );
}
