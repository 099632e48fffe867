import { Datagrid, DateField, List, SearchInput, SelectInput, TextField } from "react-admin";
import { STATUS_CHOICES } from "./event-status";
import { StatusField } from "./StatusField";

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search name or artist" />, <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />];

export function EventList() {
  return (
    <List filters={filters} sort={{ field: "startsAt", order: "ASC" }} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="artist" />
        <TextField source="venue.name" label="Venue" sortable={false} />
        <DateField source="startsAt" label="Starts" showTime />
        <DateField source="onSaleAt" label="On sale" showTime />
        <StatusField label="Status" source="status" />
      </Datagrid>
    </List>
  );
}
