/** The event's sections with their prices and guardrails; each row opens its pricing controls. */
import { Button, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { useState } from "react";
import { useRecordContext } from "react-admin";
import { formatMoney } from "../shared/money";
import type { EventRecord, EventSectionRecord } from "./event-types";
import { PricingDialog } from "./PricingDialog";

export function SectionsPricing(_props: { label?: string }) {
  const event = useRecordContext<EventRecord>();
  const [open, setOpen] = useState<EventSectionRecord | null>(null);
  // The list's lighter record stands in (react-admin's cache) until the full one arrives.
  if (!event?.sections) return null;
  if (!event.sections.length) return <Typography color="text.secondary">This event has no sections yet.</Typography>;
  const money = (amount: number) => formatMoney(amount, event.currency);

  return (
    <>
      <Table size="small" aria-label="Sections and prices">
        <TableHead>
          <TableRow>
            <TableCell>Section</TableCell>
            <TableCell align="right">Price</TableCell>
            <TableCell align="right">All-in</TableCell>
            <TableCell align="right">Floor – ceiling</TableCell>
            <TableCell align="right">Step</TableCell>
            <TableCell>Pricing</TableCell>
            <TableCell align="right">Available</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {event.sections.map((row) => (
            <TableRow key={row.section.id} data-section={row.section.name}>
              <TableCell>
                {row.section.name}
                <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                  {row.section.kind === "GENERAL_ADMISSION" ? "GA" : "seated"}
                </Typography>
              </TableCell>
              <TableCell align="right">{money(row.price.amount)}</TableCell>
              <TableCell align="right">{money(row.allInPrice.amount)}</TableCell>
              <TableCell align="right">
                {money(row.floor.amount)} – {money(row.ceiling.amount)}
              </TableCell>
              <TableCell align="right">{row.maxStepPercent}%</TableCell>
              <TableCell>
                <Stack direction="row" spacing={0.5}>
                  <Chip size="small" label={row.dynamicPricing ? "Dynamic" : "Fixed"} color={row.dynamicPricing ? "secondary" : "default"} />
                  {row.pricingPaused && <Chip size="small" label="Paused" color="warning" />}
                  {row.priceOverridden && <Chip size="small" label="Override" color="info" />}
                </Stack>
              </TableCell>
              <TableCell align="right">
                {row.available.toLocaleString("en")} / {row.total.toLocaleString("en")}
              </TableCell>
              <TableCell align="right">
                <Button size="small" onClick={() => setOpen(row)} aria-label={`Pricing for section ${row.section.name}`}>
                  Pricing
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {open && <PricingDialog eventId={event.id} currency={event.currency} row={open} onClose={() => setOpen(null)} />}
    </>
  );
}
