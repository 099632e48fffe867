/**
 * A venue's details. The City input is also a picker over the seeded cities (the `cities` query):
 * choosing one fills the country, time zone and coordinates, which stay editable; any city can be
 * typed instead. The time zone is checked against the browser's IANA list (Intl), as the API does.
 */
import { Autocomplete, Box, TextField } from "@mui/material";
import { useEffect, useState } from "react";
import { NumberInput, SimpleForm, TextInput, maxValue, minValue, regex, required, useDataProvider, useInput } from "react-admin";
import { useFormContext } from "react-hook-form";
import type { CityChoice, ConsoleDataProvider } from "../dataProvider/data-provider";
import { canonicalTimeZone } from "../events/venue-time";

/** The API takes any zone Intl knows, stored canonically; the form says so before saving. */
export function validateTimeZone(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.trim()) return undefined;
  const canonical = canonicalTimeZone(value);
  if (!canonical) return "Not a time zone: use an IANA name such as America/Chicago or Europe/London";
  return undefined;
}

function CityInput() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { setValue } = useFormContext();
  const { field, fieldState } = useInput({ source: "city", validate: required("Which city?") });
  const [cities, setCities] = useState<CityChoice[]>([]);

  useEffect(() => {
    let current = true;
    // Without the list the field is a plain text input; typing a city always works.
    dataProvider.cities().then((loaded) => current && setCities(loaded), () => undefined);
    return () => {
      current = false;
    };
  }, [dataProvider]);

  function pick(city: CityChoice) {
    const options = { shouldDirty: true, shouldValidate: true };
    field.onChange(city.name);
    setValue("country", city.country, options);
    setValue("timezone", city.timezone, options);
    setValue("latitude", Math.round(city.location.lat * 10_000) / 10_000, options);
    setValue("longitude", Math.round(city.location.lon * 10_000) / 10_000, options);
  }

  return (
    <Autocomplete<CityChoice, false, false, true>
      freeSolo
      options={cities}
      value={(field.value as string) ?? ""}
      getOptionLabel={(option) => (typeof option === "string" ? option : option.name)}
      renderOption={(props, option) => (
        <li {...props} key={`${option.name}-${option.country}`}>
          {option.name}, {option.country} · {option.timezone}
        </li>
      )}
      onInputChange={(_event, value, reason) => reason === "input" && field.onChange(value)}
      onChange={(_event, value) => {
        if (value && typeof value !== "string") pick(value);
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label="City"
          required
          onBlur={field.onBlur}
          error={fieldState.invalid}
          helperText={fieldState.error?.message ?? "Pick a listed city to fill the country, time zone and coordinates, or type any city"}
        />
      )}
    />
  );
}

export function VenueForm() {
  return (
    <SimpleForm sanitizeEmptyValues={false}>
      <Box sx={{ display: "grid", gridTemplateColumns: { md: "1fr 1fr" }, columnGap: 2, width: "100%" }}>
        <TextInput source="name" validate={required("The venue needs a name")} />
        <TextInput source="address" />
        <Box sx={{ mb: 2 }}>
          <CityInput />
        </Box>
        <TextInput source="country" helperText="Two letters, e.g. US" validate={[required(), regex(/^[A-Z]{2}$/, "A two-letter country code, e.g. US")]} />
        <TextInput source="timezone" helperText="IANA name, e.g. America/Chicago: event times are entered in it" validate={[required("Events there start in this time zone"), validateTimeZone]} />
        <NumberInput source="latitude" validate={[required("Where is it? (for search by distance)"), minValue(-90), maxValue(90)]} />
        <NumberInput source="longitude" validate={[required("Where is it? (for search by distance)"), minValue(-180), maxValue(180)]} />
      </Box>
    </SimpleForm>
  );
}
