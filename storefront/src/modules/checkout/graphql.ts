import { gql } from "@apollo/client";
import type { UserError } from "../../shared/errors";
import { ORDER_FIELDS, type OrderData } from "../orders/graphql";

export const CHECKOUT = gql`
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        ...OrderFields
      }
      errors {
        code
        field
        message
        retryAfterSeconds
      }
    }
  }
  ${ORDER_FIELDS}
`;

export interface CheckoutPayload {
  order: OrderData | null;
  errors: UserError[];
}
