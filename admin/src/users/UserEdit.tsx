import { Alert } from "@mui/material";
import { AutocompleteInput, BooleanInput, DateField, Edit, Labeled, ReferenceInput, SaveButton, SelectInput, SimpleForm, TextField, TextInput, Toolbar, required, useRecordContext } from "react-admin";
import { ROLE_CHOICES } from "./roles";

function DisabledNote() {
  const record = useRecordContext<{ disabled: boolean }>();
  return record?.disabled ? (
    <Alert severity="warning" sx={{ mb: 2 }}>
      This account is disabled: it cannot sign in, and its sessions were ended.
    </Alert>
  ) : null;
}

/** Name, role, organization and the disabled switch. A change of access signs the person out everywhere. */
export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic" title="Account">
      {/* No delete: an account is disabled, never deleted (its orders and audit rows name it). */}
      <SimpleForm toolbar={<Toolbar><SaveButton /></Toolbar>}>
        <DisabledNote />
        <Labeled label="Email">
          <TextField source="email" />
        </Labeled>
        <TextInput source="name" validate={required()} />
        <SelectInput source="role" choices={ROLE_CHOICES} validate={required()} />
        <ReferenceInput source="organizationId" reference="organizations">
          <AutocompleteInput optionText="name" label="Organization" filterToQuery={(q) => ({ q })} helperText="Promoters belong to one; fans to none" />
        </ReferenceInput>
        <BooleanInput source="disabled" label="Disabled (cannot sign in)" helperText="Changing the role, the organization or this switch signs the person out" />
        <Labeled label="Created">
          <DateField source="createdAt" showTime />
        </Labeled>
      </SimpleForm>
    </Edit>
  );
}
