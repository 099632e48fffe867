import { Datagrid, List, SearchInput, SelectInput, TextField } from "react-admin";
import { STATUS_CHOICES } from "./event-status";
import { StatusField } from "./StatusField";
import { VenueTimeField } from "./VenueTimeField";

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search name or artist" />, <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />];

export function EventList() {
  return (
    <List filters={filters} sort={{ field: "startsAt", order: "ASC" }} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="artist" />
        <TextField source="venue.name" label="Venue" sortable={false} />
        <VenueTimeField source="startsAt" zoneSource="venue.timezone" label="Starts" />
        <VenueTimeField source="onSaleAt" zoneSource="venue.timezone" label="On sale" />
        <StatusField label="Status" source="status" />
      </Datagrid>
    </List>
  );
}
