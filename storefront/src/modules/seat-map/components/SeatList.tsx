import "../seat-map.css";
import { useEffect, useState } from "react";
import { AVAILABLE, BLOCKED, type SeatStore } from "../seat-store";

interface Props {
  store: SeatStore;
  sectionId: string;
  sectionName: string;
  priceLabel: string;
  mine: ReadonlySet<string>;
  onToggle(index: number): void;
}

/**
 * The seats of one section as rows of buttons: what keyboard and screen-reader users pick from (the
 * canvas cannot be focused seat by seat). Each button says row, seat, price and status; taken seats
 * are disabled. It follows live changes, re-rendering at most five times a second.
 */
export function SeatList({ store, sectionId, sectionName, priceLabel, mine, onToggle }: Props) {
  const [, setVersion] = useState(store.version);
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

  const range = store.sections.find((section) => section.sectionId === sectionId);
  if (!range) return null;
  const rows: { label: string; seats: number[] }[] = [];
  for (let i = range.start; i < range.start + range.count; i++) {
    if (store.status[i] === BLOCKED) continue;
    const label = store.rows[i]!;
    const last = rows[rows.length - 1];
    if (last && last.label === label) last.seats.push(i);
    else rows.push({ label, seats: [i] });
  }

  return (
    <div className="seat-list" role="group" aria-label={`Seats in section ${sectionName}`}>
      {rows.map((row) => (
        <div key={row.label} className="seat-row" role="group" aria-label={`Row ${row.label}`}>
          <span className="seat-row-label" aria-hidden="true">
            {row.label}
          </span>
          {row.seats.map((index) => {
            const id = store.ids[index]!;
            const selected = mine.has(id);
            const free = store.status[index] === AVAILABLE;
            const state = selected ? "selected" : free ? "available" : "taken";
            return (
              <button
                key={id}
                type="button"
                className={`seat seat-${state}`}
                data-seat-id={id}
                aria-pressed={selected}
                disabled={!free && !selected}
                aria-label={`Section ${sectionName}, row ${row.label}, seat ${store.numbers[index]}, ${priceLabel}, ${state}`}
                title={`Section ${sectionName}, row ${row.label}, seat ${store.numbers[index]} · ${priceLabel}`}
                onClick={() => onToggle(index)}
              >
                {store.numbers[index]}
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}
