import { formatMoney } from "../../../shared/format";
import { feeLabel } from "../../../shared/format";
import type { HoldData } from "../graphql";

/** Every line at its locked price, every fee, and the total: what the fan will pay, before paying. */
export function PriceBreakdown({ hold }: { hold: Pick<HoldData, "lines" | "subtotal" | "fees" | "total"> }) {
  return (
    <table className="breakdown">
      <caption className="visually-hidden">Price breakdown</caption>
      <tbody>
        {hold.lines.map((line, index) => (
          <tr key={line.seat?.id ?? `${line.section.id}-${index}`}>
            <th scope="row">
              {line.seat ? `Section ${line.section.name}, row ${line.seat.row}, seat ${line.seat.number}` : `${line.section.name} (standing)`}
            </th>
            <td>{formatMoney(line.price)}</td>
          </tr>
        ))}
        <tr className="subtotal">
          <th scope="row">Tickets</th>
          <td>{formatMoney(hold.subtotal)}</td>
        </tr>
        {hold.fees.map((fee) => (
          <tr key={fee.kind}>
            <th scope="row">{feeLabel(fee.kind)}</th>
            <td>{formatMoney(fee.amount)}</td>
          </tr>
        ))}
        <tr className="total">
          <th scope="row">Total (all-in)</th>
          <td data-testid="total">{formatMoney(hold.total)}</td>
        </tr>
      </tbody>
    </table>
  );
}
