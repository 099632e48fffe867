import { Box } from "@mui/material";
import { NumberInput, SimpleForm, TextInput, maxValue, minValue, regex, required } from "react-admin";

export function VenueForm() {
  return (
    <SimpleForm sanitizeEmptyValues={false}>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <TextInput source="name" validate={required("The venue needs a name")} />
        <TextInput source="address" />
        <TextInput source="city" validate={required("Which city?")} />
        <TextInput source="country" helperText="Two letters, e.g. US" validate={[required(), regex(/^[A-Z]{2}$/, "A two-letter country code, e.g. US")]} />
        <TextInput source="timezone" helperText="e.g. America/Chicago" validate={required("Events there start in this time zone")} />
        <NumberInput source="latitude" validate={[required("Where is it? (for search by distance)"), minValue(-90), maxValue(90)]} />
        <NumberInput source="longitude" validate={[required("Where is it? (for search by distance)"), minValue(-180), maxValue(180)]} />
      </Box>
    </SimpleForm>
  );
}
