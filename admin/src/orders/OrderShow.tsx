/** One order: buyer, event and amounts; its tickets (place, price, status) and its payments with their refunds. */
import { Box, Card, CardContent, Chip, Grid, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { DateField, Labeled, ReferenceField, Show, TextField, TopToolbar, useRecordContext } from "react-admin";
import { VenueTimeField } from "../events/VenueTimeField";
import { formatMoney } from "../shared/money";
import { OrderStatusField } from "./OrderStatusField";
import { RefundButton } from "./RefundButton";
import { ResendButton } from "./ResendButton";

interface Money {
  amount: number;
  currency: string;
}

interface OrderRecord {
  id: string;
  status: string;
  event: { id: string; name: string; startsAt: string; timezone: string };
  buyer: { id: string; email: string; name: string };
  subtotal: Money;
  fees: Money;
  total: Money;
  tickets: { id: string; status: string; section: string; row: string | null; seatNumber: number | null; price: Money; scannedAt: string | null }[];
  payments: {
    id: string;
    provider: string;
    reference: string | null;
    status: string;
    amount: Money;
    createdAt: string;
    refunds: { id: string; amount: Money; reason: string; confirmed: boolean; createdAt: string }[];
  }[];
}

const money = (value: Money) => formatMoney(value.amount, value.currency);
const when = (value: string | null) => (value ? new Date(value).toLocaleString() : "—");
const TICKET_COLORS: Record<string, "success" | "default" | "error"> = { VALID: "success", SCANNED: "default", VOID: "error" };

function Actions() {
  return (
    <TopToolbar sx={{ alignItems: "center", gap: 1 }}>
      <ResendButton />
      <RefundButton />
    </TopToolbar>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" sx={{ height: "100%" }}>
      <CardContent>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 1 }}>
          {title}
        </Typography>
        <Box sx={{ display: "grid", gap: 1 }}>{children}</Box>
      </CardContent>
    </Card>
  );
}

function OrderDetails() {
  const order = useRecordContext<OrderRecord>();
  // Until adminOrder answers, react-admin shows the list's row, which has no tickets or payments.
  if (!order?.tickets) return <LinearProgress sx={{ m: 2 }} />;
  return (
    <Box sx={{ p: 2, display: "grid", gap: 2 }}>
      <Box>
        <Typography variant="h5" component="h2">
          Order {order.id}
        </Typography>
        <Box sx={{ mt: 1 }}>
          <OrderStatusField />
        </Box>
      </Box>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Buyer">
            <Labeled label="Name">
              <TextField source="buyer.name" />
            </Labeled>
            <Labeled label="Email">
              <TextField source="buyer.email" />
            </Labeled>
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Event">
            <Labeled label="Event">
              <ReferenceField source="event.id" reference="events" link="show">
                <TextField source="name" />
              </ReferenceField>
            </Labeled>
            <Labeled label="Starts">
              <VenueTimeField source="event.startsAt" zoneSource="event.timezone" />
            </Labeled>
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Panel title="Amounts">
            <Typography>Tickets: {money(order.subtotal)}</Typography>
            <Typography>Fees: {money(order.fees)}</Typography>
            <Typography sx={{ fontWeight: 600 }}>Total: {money(order.total)}</Typography>
            <Labeled label="Paid">
              <DateField source="createdAt" showTime />
            </Labeled>
            <Labeled label="Cancelled">
              <DateField source="cancelledAt" showTime emptyText="—" />
            </Labeled>
          </Panel>
        </Grid>
      </Grid>
      <Box>
        <Typography variant="h6" component="h3" gutterBottom>
          Tickets
        </Typography>
        <Table size="small" aria-label="Tickets">
          <TableHead>
            <TableRow>
              <TableCell>Section</TableCell>
              <TableCell>Row</TableCell>
              <TableCell>Seat</TableCell>
              <TableCell align="right">Price</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Scanned</TableCell>
              <TableCell>Ticket id</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {order.tickets.map((ticket) => (
              <TableRow key={ticket.id}>
                <TableCell>{ticket.section}</TableCell>
                <TableCell>{ticket.row ?? "General admission"}</TableCell>
                <TableCell>{ticket.seatNumber ?? "—"}</TableCell>
                <TableCell align="right">{money(ticket.price)}</TableCell>
                <TableCell>
                  <Chip size="small" label={ticket.status} color={TICKET_COLORS[ticket.status] ?? "default"} />
                </TableCell>
                <TableCell>{when(ticket.scannedAt)}</TableCell>
                <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{ticket.id}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Box>
        <Typography variant="h6" component="h3" gutterBottom>
          Payments
        </Typography>
        <Table size="small" aria-label="Payments">
          <TableHead>
            <TableRow>
              <TableCell>Provider</TableCell>
              <TableCell>Reference</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Refunds</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {order.payments.map((payment) => (
              <TableRow key={payment.id}>
                <TableCell>{payment.provider}</TableCell>
                <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{payment.reference ?? "—"}</TableCell>
                <TableCell align="right">{money(payment.amount)}</TableCell>
                <TableCell>{payment.status}</TableCell>
                <TableCell>{when(payment.createdAt)}</TableCell>
                <TableCell>
                  {payment.refunds.length === 0
                    ? "—"
                    : payment.refunds.map((refund) => (
                        <div key={refund.id}>
                          {money(refund.amount)} ({refund.confirmed ? "confirmed by the gateway" : "waiting for the gateway"}), {when(refund.createdAt)}
                        </div>
                      ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}

export function OrderShow() {
  return (
    <Show actions={<Actions />}>
      <OrderDetails />
    </Show>
  );
}
