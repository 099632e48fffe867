/**
 * A template tag that only joins a GraphQL document's text (fragments interpolated as text), for the
 * documents the small fetch client sends (app/graphql-fetch.ts): nothing is parsed in the browser.
 * It is named `gql` like Apollo's tag so editors, and the API's check of the storefront's operations
 * against its limits (api/test/platform/graphql-limits.test.ts), read these documents as GraphQL too.
 * Apollo's own documents may interpolate the same text (its tag accepts strings).
 */
export function gql(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((text, part, index) => text + values[index - 1]! + part);
}
