import "../seat-map.css";
import type { SeatFilter } from "../seat-store";

interface Props {
  filter: SeatFilter;
  onChange(filter: SeatFilter): void;
  maxQuantity: number;
  /** Free seats the filter admits (in blocks of `quantity`). */
  fitting: number;
  currencySymbol: string;
}

const toMajor = (minor: number | null) => (minor === null ? "" : String(minor / 100));
const toMinor = (value: string) => (value.trim() === "" || !Number.isFinite(Number(value)) ? null : Math.round(Number(value) * 100));

/**
 * Quantity first: how many seats together, what all-in price per ticket, which features. The map and
 * the seat grid then highlight the blocks that fit ("2 seats under $100") and fade the rest; best
 * available "anywhere" keeps to the same price range.
 */
export function SeatFilters({ filter, onChange, maxQuantity, fitting, currencySymbol }: Props) {
  return (
    <form className="seat-filters" aria-label="Filter seats" onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>Find seats</legend>
        <label>
          Seats together
          <select value={filter.quantity} onChange={(event) => onChange({ ...filter, quantity: Number(event.target.value) })}>
            {Array.from({ length: maxQuantity }, (_, index) => index + 1).map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min price ({currencySymbol}, all-in)
          <input type="number" min={0} step={1} inputMode="decimal" value={toMajor(filter.minPrice)} onChange={(event) => onChange({ ...filter, minPrice: toMinor(event.target.value) })} />
        </label>
        <label>
          Max price ({currencySymbol}, all-in)
          <input type="number" min={0} step={1} inputMode="decimal" value={toMajor(filter.maxPrice)} onChange={(event) => onChange({ ...filter, maxPrice: toMinor(event.target.value) })} />
        </label>
      </fieldset>
      <fieldset>
        <legend className="visually-hidden">Seat features</legend>
        <label className="check">
          <input type="checkbox" checked={filter.accessible} onChange={(event) => onChange({ ...filter, accessible: event.target.checked })} /> Wheelchair and companion seats
        </label>
        <label className="check">
          <input type="checkbox" checked={filter.aisle} onChange={(event) => onChange({ ...filter, aisle: event.target.checked })} /> Aisle seats
        </label>
        <label className="check">
          <input type="checkbox" checked={filter.noRestrictedView} onChange={(event) => onChange({ ...filter, noRestrictedView: event.target.checked })} /> No restricted view
        </label>
      </fieldset>
      <p className="fit-count" role="status" data-testid="fit-count">
        {fitting === 0 ? "No seats match: widen the price range or choose fewer seats." : `${fitting.toLocaleString()} seats match, in blocks of ${filter.quantity} or more side by side.`}
      </p>
    </form>
  );
}
