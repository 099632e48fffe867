import { Datagrid, List, NumberField, SearchInput, TextField } from "react-admin";

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search name or city" />];

export function VenueList() {
  return (
    <List filters={filters} sort={{ field: "name", order: "ASC" }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="city" />
        <TextField source="country" />
        <TextField source="timezone" />
        <NumberField source="capacity" />
      </Datagrid>
    </List>
  );
}
