import { Create, SimpleForm, TextInput, regex, required } from "react-admin";

export function OrganizationCreate() {
  return (
    <Create redirect="show">
      <SimpleForm>
        <TextInput source="name" validate={required()} />
        <TextInput source="slug" helperText="Optional: made from the name" validate={regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lower-case letters, digits and single hyphens")} />
      </SimpleForm>
    </Create>
  );
}
