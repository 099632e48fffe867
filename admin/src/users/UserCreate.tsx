import { AutocompleteInput, Create, PasswordInput, ReferenceInput, SelectInput, SimpleForm, TextInput, email, minLength, required } from "react-admin";
import { Box, Typography } from "@mui/material";
import { STAFF_ROLE_CHOICES } from "./roles";

/** A promoter (or admin) account with a first password that the admin hands over. */
export function UserCreate() {
  return (
    <Create redirect="list" title="New account">
      <SimpleForm defaultValues={{ role: "PROMOTER" }}>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Fans register on the storefront. Give the first password to the person yourself.
        </Typography>
        <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr" }, columnGap: 2, width: "100%" }}>
          <TextInput source="email" validate={[required(), email("A valid email address")]} />
          <TextInput source="name" validate={required()} />
          <SelectInput source="role" choices={STAFF_ROLE_CHOICES} validate={required()} />
          <ReferenceInput source="organizationId" reference="organizations">
            <AutocompleteInput optionText="name" label="Organization" filterToQuery={(q) => ({ q })} helperText="Required for a promoter" />
          </ReferenceInput>
          <PasswordInput source="password" label="First password" validate={[required(), minLength(8, "At least 8 characters")]} />
        </Box>
      </SimpleForm>
    </Create>
  );
}
