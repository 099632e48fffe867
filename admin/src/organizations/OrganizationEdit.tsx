import { Edit, SimpleForm, TextInput, required } from "react-admin";

export function OrganizationEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm>
        <TextInput source="name" validate={required()} />
      </SimpleForm>
    </Edit>
  );
}
