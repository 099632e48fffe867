import { Edit } from "react-admin";
import { VenueForm } from "./VenueForm";

/** Pessimistic: the API's validation errors must reach the form before anything is shown as saved. */
export function VenueEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <VenueForm />
    </Edit>
  );
}
