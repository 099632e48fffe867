import { BooleanField, CreateButton, Datagrid, DateField, EditButton, NumberField, ReferenceManyField, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from "react-admin";

/** "Add a promoter" opens the account form with this organization filled in. */
function AddPromoterButton() {
  const record = useRecordContext<{ id: string }>();
  if (!record) return null;
  return <CreateButton resource="users" label="Add a promoter" state={{ record: { role: "PROMOTER", organizationId: record.id } }} />;
}

const Actions = () => (
  <TopToolbar>
    <AddPromoterButton />
    <EditButton />
  </TopToolbar>
);

export function OrganizationShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="slug" />
        <NumberField source="venues" />
        <NumberField source="events" />
        <ReferenceManyField label="Accounts" reference="users" target="organizationId" sort={{ field: "email", order: "ASC" }}>
          <Datagrid rowClick="edit" bulkActionButtons={false}>
            <TextField source="email" />
            <TextField source="name" />
            <TextField source="role" />
            <BooleanField source="disabled" />
            <DateField source="createdAt" label="Created" />
          </Datagrid>
        </ReferenceManyField>
      </SimpleShowLayout>
    </Show>
  );
}
