import { Box, Typography } from "@mui/material";
import { DeleteWithConfirmButton, EditButton, FunctionField, NumberField, Show, SimpleShowLayout, TextField, TopToolbar } from "react-admin";
import { AddSectionButton } from "./AddSectionDialog";
import { SeatMapEditor } from "./SeatMapEditor";
import { SectionsTable } from "./SectionsTable";

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
        <Box sx={{ width: "100%" }}>
          <Typography variant="h6" component="h3" gutterBottom>
            Sections
          </Typography>
          <SectionsTable />
        </Box>
        <SeatMapEditor />
      </SimpleShowLayout>
    </Show>
  );
}
