import "../seat-map.css";
import { useEffect, useRef, useState } from "react";
import { AVAILABLE, BLOCKED, type SeatStore } from "../seat-store";

interface Props {
  store: SeatStore;
  sectionId: string;
  sectionName: string;
  priceLabel: string;
  /** Keys (seatKey) of the fan's picked and held seats. */
  mine: ReadonlySet<string>;
  /** Seats the map's filter admits, or null when no filter is on (others are shown faded). */
  fits: Uint8Array | null;
  onToggle(index: number): void;
}

/**
 * The seats of one section as a keyboard grid: what keyboard and screen-reader users pick from (the
 * canvas cannot be focused seat by seat). One tab stop for the whole grid (roving tabindex): arrow
 * keys move between seats of a row and to the nearest seat of the row above or below, Home/End go to
 * the row's ends, Enter or Space picks. Taken seats stay focusable but aria-disabled, so focus never
 * drops to the page when a seat is taken under it. Each seat says section, row, seat, all-in price,
 * features and status. It follows live changes, re-rendering at most five times a second.
 */
export function SeatList({ store, sectionId, sectionName, priceLabel, mine, fits, onToggle }: Props) {
  const [, setVersion] = useState(store.version);
  const [active, setActive] = useState<number | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = store.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = null;
        setVersion(store.version);
      }, 200);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);

  const sectionIndex = store.sections.findIndex((section) => section.sectionId === sectionId);
  if (sectionIndex < 0) return null;
  const rows = store.rowRanges
    .filter((row) => row.section === sectionIndex)
    .map((row) => ({ label: row.label, seats: Array.from({ length: row.count }, (_, offset) => row.start + offset).filter((index) => store.status[index] !== BLOCKED) }))
    .filter((row) => row.seats.length > 0);
  const firstFree = rows.flatMap((row) => row.seats).find((index) => store.status[index] === AVAILABLE);
  const current = active !== null && rows.some((row) => row.seats.includes(active)) ? active : (firstFree ?? rows[0]?.seats[0] ?? null);

  function move(to: number | undefined) {
    if (to === undefined) return;
    setActive(to);
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-index="${to}"]`)?.focus();
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    if (current === null) return;
    const rowIndex = rows.findIndex((row) => row.seats.includes(current));
    const row = rows[rowIndex]!;
    const position = row.seats.indexOf(current);
    const across = (other: (typeof rows)[number] | undefined) => {
      if (!other) return undefined;
      // The seat of the other row nearest in position along the row (rows differ in length).
      const share = row.seats.length > 1 ? position / (row.seats.length - 1) : 0;
      return other.seats[Math.round(share * (other.seats.length - 1))];
    };
    const targets: Record<string, number | undefined> = {
      ArrowLeft: row.seats[position - 1],
      ArrowRight: row.seats[position + 1],
      ArrowUp: across(rows[rowIndex - 1]),
      ArrowDown: across(rows[rowIndex + 1]),
      Home: row.seats[0],
      End: row.seats[row.seats.length - 1],
    };
    if (!(event.key in targets)) return;
    event.preventDefault();
    move(targets[event.key]);
  }

  return (
    <div className="seat-list" role="grid" aria-label={`Seats in section ${sectionName}: arrow keys move, Enter or Space picks`} ref={gridRef} onKeyDown={onKeyDown}>
      {rows.map((row) => (
        <div key={row.label} className="seat-row" role="row">
          <span className="seat-row-label" role="rowheader" aria-label={`Row ${row.label}`}>
            {row.label}
          </span>
          {row.seats.map((index) => {
            const key = store.key(index);
            const selected = mine.has(key);
            const free = store.status[index] === AVAILABLE;
            const state = selected ? "selected" : free ? "available" : "taken";
            const features = store.featureText(index);
            const faded = free && !selected && fits !== null && !fits[index];
            return (
              <span role="gridcell" key={key}>
                <button
                  type="button"
                  className={`seat seat-${state}${faded ? " seat-faded" : ""}${features ? " seat-featured" : ""}`}
                  data-seat={key}
                  data-index={index}
                  tabIndex={index === current ? 0 : -1}
                  aria-pressed={selected}
                  aria-disabled={!free && !selected}
                  aria-label={`Section ${sectionName}, row ${row.label}, seat ${store.numbers[index]}, ${priceLabel}${features ? `, ${features}` : ""}, ${state}`}
                  title={`Section ${sectionName}, row ${row.label}, seat ${store.numbers[index]} · ${priceLabel}`}
                  onFocus={() => setActive(index)}
                  onClick={() => {
                    setActive(index);
                    if (free || selected) onToggle(index);
                  }}
                >
                  {store.numbers[index]}
                  {features && <span className="seat-feature-mark" aria-hidden="true" />}
                </button>
              </span>
            );
          })}
        </div>
      ))}
    </div>
  );
}
