import { Datagrid, DateField, List, NumberField, SearchInput, TextField } from "react-admin";

const filters = [<SearchInput key="q" source="q" alwaysOn placeholder="Search name" />];

export function OrganizationList() {
  return (
    <List filters={filters} sort={{ field: "name", order: "ASC" }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="slug" />
        <NumberField source="users" label="Accounts" sortable={false} />
        <NumberField source="venues" sortable={false} />
        <NumberField source="events" sortable={false} />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}
