import { gql } from "@apollo/client";
import { USER_ERROR_FIELDS } from "../../shared/fragments";
import type { UserError } from "../../shared/errors";
import { ORDER_FIELDS, type OrderData } from "../order/graphql";

export const CHECKOUT = gql`
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
  ${ORDER_FIELDS}
  ${USER_ERROR_FIELDS}
`;

export interface CheckoutPayload {
  order: OrderData | null;
  errors: UserError[];
}
