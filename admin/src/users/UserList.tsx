import { BooleanField, Datagrid, DateField, List, ReferenceInput, SearchInput, SelectInput, TextField, NullableBooleanInput, AutocompleteInput } from "react-admin";
import { ROLE_CHOICES } from "./roles";

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search email or name" />,
  <SelectInput key="role" source="role" choices={ROLE_CHOICES} alwaysOn />,
  <ReferenceInput key="organizationId" source="organizationId" reference="organizations" alwaysOn>
    <AutocompleteInput optionText="name" label="Organization" filterToQuery={(q) => ({ q })} />
  </ReferenceInput>,
  <NullableBooleanInput key="disabled" source="disabled" label="Disabled" />,
];

export function UserList() {
  return (
    <List filters={filters} sort={{ field: "email", order: "ASC" }} title="Accounts">
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="email" />
        <TextField source="name" />
        <TextField source="role" />
        <TextField source="organizationName" label="Organization" sortable={false} emptyText="—" />
        <BooleanField source="disabled" sortable={false} />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}
