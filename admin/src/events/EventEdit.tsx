import { Edit } from "react-admin";
import { EventForm } from "./EventForm";

/** Pessimistic: the API's validation errors must reach the form before anything is shown as saved. */
export function EventEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <EventForm />
    </Edit>
  );
}
