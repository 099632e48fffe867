import { gql } from "@apollo/client";
import { USER_ERROR_FIELDS } from "../../shared/fragments";

const AUTH_PAYLOAD = gql`
  fragment AuthPayloadFields on AuthPayload {
    token
    user {
      id
      name
      email
      role
    }
    errors {
      ...UserErrorFields
    }
  }
  ${USER_ERROR_FIELDS}
`;

export const LOGIN = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD}
`;

export const REGISTER = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD}
`;

export interface Viewer {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface AuthPayload {
  token: string | null;
  user: Viewer | null;
  errors: { code: string; field: string | null; message: string }[];
}
