import { Create } from "react-admin";
import { EventForm } from "./EventForm";

export function EventCreate() {
  return (
    <Create redirect="show">
      <EventForm creating />
    </Create>
  );
}
