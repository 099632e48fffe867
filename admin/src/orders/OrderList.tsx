/**
 * Orders of the promoter's events, newest first. The filters are the API's (adminOrders): the buyer's
 * exact email, an order or ticket id (pasted from an email or a scan), the event, the status and a
 * date range.
 */
import { AutocompleteInput, Datagrid, DateField, DateTimeInput, FunctionField, List, NumberField, ReferenceInput, SelectInput, TextField, TextInput } from "react-admin";
import { formatMoney } from "../shared/money";
import { ORDER_STATUS_CHOICES } from "./order-status";
import { OrderStatusField } from "./OrderStatusField";

interface OrderRow {
  total: { amount: number; currency: string };
}

const filters = [
  <TextInput key="email" source="email" label="Buyer email" alwaysOn type="email" />,
  <TextInput key="orderId" source="orderId" label="Order id" />,
  <TextInput key="ticketId" source="ticketId" label="Ticket id" />,
  <ReferenceInput key="eventId" source="eventId" reference="events" label="Event">
    <AutocompleteInput label="Event" optionText="name" filterToQuery={(q: string) => ({ q })} />
  </ReferenceInput>,
  <SelectInput key="status" source="status" choices={ORDER_STATUS_CHOICES} />,
  <DateTimeInput key="from" source="from" label="Paid from" />,
  <DateTimeInput key="to" source="to" label="Paid before" />,
];

export function OrderList() {
  return (
    // No client-side export: it would page through adminOrders in the browser; the event page streams CSVs instead.
    <List filters={filters} sort={{ field: "createdAt", order: "DESC" }} perPage={25} exporter={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" label="Paid" showTime />
        <TextField source="buyer.email" label="Buyer" sortable={false} />
        <TextField source="event.name" label="Event" sortable={false} />
        <NumberField source="ticketCount" label="Tickets" sortable={false} />
        <FunctionField label="Total" source="total" sortBy="total" render={(record: OrderRow) => formatMoney(record.total.amount, record.total.currency)} />
        <OrderStatusField label="Status" source="status" />
        <TextField source="id" label="Order id" sortable={false} />
      </Datagrid>
    </List>
  );
}
