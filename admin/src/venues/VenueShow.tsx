import { AddSectionButton } from "./AddSectionDialog";
import { Datagrid, DeleteWithConfirmButton, EditButton, NumberField, ArrayField, Show, SimpleShowLayout, TextField, TopToolbar, FunctionField } from "react-admin";

function Actions() {
  return (
    <TopToolbar>
      <AddSectionButton />
      <EditButton />
      <DeleteWithConfirmButton mutationMode="pessimistic" confirmContent="The venue, its sections and seats are removed. Venues used by events cannot be deleted." />
    </TopToolbar>
  );
}

export function VenueShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="slug" />
        <TextField source="address" emptyText="—" />
        <FunctionField label="Place" render={(record: { city: string; country: string; timezone: string }) => `${record.city}, ${record.country} (${record.timezone})`} />
        <NumberField source="capacity" />
        <ArrayField source="sections">
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <TextField source="name" />
            <FunctionField label="Kind" render={(section: { kind: string }) => (section.kind === "GENERAL_ADMISSION" ? "General admission" : "Seated")} />
            <NumberField source="rows" emptyText="—" />
            <NumberField source="seats" emptyText="—" />
            <NumberField source="capacity" />
            <NumberField source="sortOrder" label="Order" />
          </Datagrid>
        </ArrayField>
      </SimpleShowLayout>
    </Show>
  );
}
