import { Create } from "react-admin";
import { VenueForm } from "./VenueForm";

export function VenueCreate() {
  return (
    <Create redirect="show">
      <VenueForm />
    </Create>
  );
}
