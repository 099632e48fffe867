import { useApolloClient, useMutation } from "@apollo/client/react";
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { describeError, describeFailure, type UserError } from "../../../shared/errors";
import { CATEGORY_LABELS, formatEventDate, formatMoney } from "../../../shared/format";
import { useViewer } from "../../auth/hooks/use-viewer";
import { Countdown } from "../../hold/components/Countdown";
import { PriceBreakdown } from "../../hold/components/PriceBreakdown";
import { HOLD_SEATS, RELEASE_HOLD, SECTION_SEATS, type HoldSeatsPayload } from "../../hold/graphql";
import { useActiveHold } from "../../hold/hooks/use-active-hold";
import { SeatFilters } from "../../seat-map/components/SeatFilters";
import { SeatList } from "../../seat-map/components/SeatList";
import { SeatMap, type MapSection, type SeatDetails } from "../../seat-map/components/SeatMap";
import { useSeatMap, type SeatMapState } from "../../seat-map/hooks/use-seat-map";
import { priceTiers, tierOf } from "../../seat-map/price-tiers";
import { AVAILABLE, fittingSeats, NO_FILTER, seatKey, type SeatFilter } from "../../seat-map/seat-store";
import { storedAdmission, storeAdmission } from "../../waiting-room/admission";
import { takePreloadedEvent } from "../event-preload";
import { readEvent } from "../event-reads";
import type { EventPageData } from "../graphql";
import { useLivePrices } from "../hooks/use-live-prices";
import { BadgeList } from "./EventCard";
import { describeRange, describeSectionPrice, DynamicPricingNotice, PriceDetails, SectionPrice } from "./SectionPrice";
import { useDocumentTitle } from "../../../shared/use-document-title";

interface KeptSelection {
  /** Seat keys (section|row|number). */
  seats: string[];
  sectionId: string;
  quantity: number;
}

/**
 * "Sign in to buy" leaves the page: the selection waits in sessionStorage (this tab only, gone with
 * it), keyed by event, and is taken back once when the page returns after sign-in or registration.
 */
function keepSelection(eventId: string, selection: KeptSelection): void {
  try {
    sessionStorage.setItem(`boxoffice.selection.${eventId}`, JSON.stringify(selection));
  } catch {
    // Storage full or disabled: the fan chooses again, as before.
  }
}

function takeSelection(eventId: string): KeptSelection | null {
  try {
    const raw = sessionStorage.getItem(`boxoffice.selection.${eventId}`);
    sessionStorage.removeItem(`boxoffice.selection.${eventId}`);
    const parsed = raw ? (JSON.parse(raw) as Partial<KeptSelection>) : null;
    if (!parsed || !Array.isArray(parsed.seats)) return null;
    return { seats: parsed.seats.filter((key): key is string => typeof key === "string"), sectionId: String(parsed.sectionId ?? ""), quantity: Number(parsed.quantity) || 0 };
  } catch {
    return null;
  }
}

/**
 * The event: venue, date in the venue's zone, sections with live prices and availability, the seat map,
 * and buying — pick seats or ask for the best N, hold them with a countdown, go to checkout.
 */
export function EventPage() {
  const { eventId = "" } = useParams();
  const { data, loading, error } = useEventRead(eventId);
  // The seat map (the page's biggest read) is asked for together with the event, not after it: the
  // route names the event, and on a slow network a round trip saved is half a second or more.
  const seatMap = useSeatMap(eventId);
  const livePrices = useLivePrices(eventId);
  const read = data?.event;
  const event = useMemo(
    () => (read && livePrices.size > 0 ? { ...read, sections: read.sections.map((section) => livePrices.get(section.section.id) ?? section) } : read),
    [read, livePrices],
  );
  useDocumentTitle(event ? event.name : loading ? undefined : "Event not found");
  const mapComing = Boolean(event?.venue.map) && !seatMap.store && !seatMap.error;
  const waited = useWaited(Boolean(event) && mapComing, MAP_WAIT_MS);
  if (error) return <main className="page"><p className="error" role="alert">{describeFailure(error)}</p></main>;
  if ((loading && !event) || (event && mapComing && !waited)) return <main className="page"><p aria-live="polite">Loading event…</p></main>;
  if (!event) return <main className="page"><h1>Event not found</h1><p><Link to="/">Back to all events</Link></p></main>;
  return <EventView event={event} seatMap={seatMap} />;
}

/**
 * The event (event-reads.ts): the read the click on its link started (event-preload.ts) if there is
 * one, else the page's own. A copy the list prefetched (prefetched-events.ts) is shown while that read
 * is under way, if it comes first, and replaced when it is in; live prices apply on top of either.
 */
function useEventRead(eventId: string): { data: { event: EventPageData | null } | undefined; loading: boolean; error: unknown } {
  const client = useApolloClient();
  const [state, setState] = useState<{ eventId: string; data?: { event: EventPageData | null }; error?: unknown }>({ eventId: "" });
  useEffect(() => {
    let cancelled = false;
    let freshIn = false;
    const read = takePreloadedEvent(eventId);
    read?.prefetched?.then(
      // A copy saying "not found" is not shown: the fresh read decides that.
      (event) => !cancelled && !freshIn && event && setState({ eventId, data: { event } }),
      () => undefined,
    );
    (read?.fresh ?? readEvent(client, eventId)).then(
      (event) => {
        freshIn = true;
        if (!cancelled) setState({ eventId, data: { event } });
      },
      (failure: unknown) => {
        freshIn = true;
        // A copy on screen stays (holds and checkout are checked by the server); without one, the failure shows.
        if (!cancelled) setState((current) => (current.eventId === eventId && current.data ? current : { eventId, error: failure }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, eventId]);
  const current = state.eventId === eventId;
  return { data: current ? state.data : undefined, loading: !current, error: current ? state.error : undefined };
}

/**
 * How long the page, its event in, waits for the seat map's answer before showing the event without
 * it. The two reads leave together and the event's answer is the smaller, so it usually comes a
 * little before the map's (~0.1 s on slow 4G): rendering the page then, and again with the map,
 * laid the page out twice before the map's first frame, ~0.3 s more at 4x slower CPU (issue 27). A
 * map that is much later (a huge venue on a slow line) does not hold the event's details back longer.
 */
const MAP_WAIT_MS = 400;

/** True once `active` has held for `ms` (and from then on, for this page). */
function useWaited(active: boolean, ms: number): boolean {
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    if (!active || waited) return;
    const timer = setTimeout(() => setWaited(true), ms);
    return () => clearTimeout(timer);
  }, [active, waited, ms]);
  return waited;
}

/**
 * False for the first frame of a page, true after it: parts below or beside what matters first (the
 * event page's prices and buying column) render once the seat map's first frame is painted, not in
 * it. Their render and layout took ~0.3 s at 4x slower CPU ahead of the map (issue 27).
 */
function useAfterFirstFrame(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A task posted from an animation frame runs after that frame's paint.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAfter(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return after;
}

function EventView({ event, seatMap }: { event: EventPageData; seatMap: SeatMapState }) {
  const navigate = useNavigate();
  const client = useApolloClient();
  const { viewer } = useViewer();
  const store = seatMap.store;
  const { hold, elsewhere, remember, refresh } = useActiveHold(event.id, Boolean(viewer));
  const afterFirstFrame = useAfterFirstFrame();
  const [selected, setSelected] = useState<string[]>([]);
  const [focusSectionId, setFocusSectionId] = useState<string | null>(null);
  const [bestSectionId, setBestSectionId] = useState<string>("");
  const [filter, setFilter] = useState<SeatFilter>({ ...NO_FILTER, quantity: Math.min(2, event.maxSeatsPerUser) });
  const quantity = filter.quantity;
  const setQuantity = (count: number) => setFilter((current) => ({ ...current, quantity: count }));
  const [focusSeats, setFocusSeats] = useState<{ indexes: number[] } | null>(null);
  const holdHeading = useRef<HTMLHeadingElement>(null);
  const buyHeading = useRef<HTMLHeadingElement>(null);
  const focusAfter = useRef<"hold" | "buy" | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [holdSeats, holdState] = useMutation<{ holdSeats: HoldSeatsPayload }>(HOLD_SEATS);
  const [releaseHold, releaseState] = useMutation(RELEASE_HOLD);
  const admission = storedAdmission(event.id);
  const needsQueue = event.waitingRoomEnabled && event.status === "ON_SALE" && !admission;
  const onSale = event.status === "ON_SALE";

  const availability = seatMap.availability;
  const sections = useMemo(
    () => event.sections.map((section) => ({ ...section, available: availability.get(section.section.id) ?? section.available })),
    [event.sections, availability],
  );
  const priceOf = useCallback(
    (sectionId: string) => {
      const section = sections.find((item) => item.section.id === sectionId);
      return section ? `${formatMoney(section.allInPrice)} all-in` : "";
    },
    [sections],
  );
  // The legend's price line: the all-in prices on the map, lowest to highest, fees included.
  const priceNote = useMemo(() => {
    if (sections.length === 0) return undefined;
    const amounts = sections.map((section) => section.allInPrice.amount);
    const currency = sections[0]!.allInPrice.currency;
    const [low, high] = [Math.min(...amounts), Math.max(...amounts)];
    const shown = low === high ? formatMoney({ amount: low, currency }) : `${formatMoney({ amount: low, currency })} – ${formatMoney({ amount: high, currency })}`;
    return `${shown} per ticket, all-in (fees included)`;
  }, [sections]);
  const mapSections: MapSection[] = useMemo(
    () =>
      event.venue.sections.map((venueSection) => {
        const live = sections.find((item) => item.section.id === venueSection.id);
        return {
          id: venueSection.id,
          name: venueSection.name,
          kind: venueSection.kind,
          polygon: venueSection.shape?.polygon ?? null,
          labelX: venueSection.shape?.labelX ?? 0,
          labelY: venueSection.shape?.labelY ?? 0,
          available: live?.available ?? 0,
          total: live?.total ?? 0,
        };
      }),
    [event.venue.sections, sections],
  );
  const heldSeats = useMemo(
    () => hold?.lines.flatMap((line) => (line.seat ? [seatKey({ sectionId: line.section.id, row: line.seat.row, number: line.seat.number })] : [])) ?? [],
    [hold],
  );
  const mine = useMemo(() => new Set([...selected, ...heldSeats]), [selected, heldSeats]);

  // Price tiers over the seated sections' all-in prices; each section of the map gets its tier's colour.
  const allInOf = useMemo(() => new Map(sections.map((section) => [section.section.id, section.allInPrice.amount])), [sections]);
  const tiers = useMemo(() => priceTiers(sections.filter((section) => section.section.kind === "SEATED").map((section) => section.allInPrice.amount)), [sections]);
  const sectionTiers = useMemo(() => store?.sections.map((range) => tierOf(tiers, allInOf.get(range.sectionId) ?? 0)) ?? [], [store, tiers, allInOf]);
  const filterOn = filter.quantity > 1 || filter.minPrice !== null || filter.maxPrice !== null || filter.accessible || filter.aisle || filter.noRestrictedView;
  const fits = useMemo(
    () => (store && filterOn ? fittingSeats(store, filter, (sectionIndex) => allInOf.get(store.sections[sectionIndex]!.sectionId) ?? 0) : null),
    // store.version: live changes re-run it (a block that a sale breaks stops fitting).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, filter, filterOn, allInOf, store?.version, availability],
  );
  const fitting = useMemo(() => (fits ? fits.reduce((sum, value) => sum + value, 0) : store ? store.status.reduce((sum, status) => sum + (status === AVAILABLE ? 1 : 0), 0) : 0), [fits, store]);
  const currency = sections[0]?.allInPrice.currency ?? event.currency;
  const describe = useCallback(
    (index: number): SeatDetails => {
      if (!store || index < 0) return { title: "", price: "", features: "", status: "" };
      const sectionId = store.sectionIdOf(index);
      const name = sections.find((item) => item.section.id === sectionId)?.section.name ?? "";
      const key = store.key(index);
      const status = mine.has(key) ? "Yours" : store.status[index] === AVAILABLE ? "Available" : "Taken";
      const features = store.featureText(index);
      return { title: `Section ${name}, ${store.label(index)}`, price: priceOf(sectionId), features: features ? features.charAt(0).toUpperCase() + features.slice(1) : "", status };
    },
    [store, sections, mine, priceOf],
  );

  // Focus never falls back to the page: after a hold it goes to the hold's heading, after a release
  // (or an expiry) to the buying controls.
  useEffect(() => {
    const target = focusAfter.current === "hold" ? holdHeading.current : focusAfter.current === "buy" ? buyHeading.current : null;
    if (target) {
      target.focus();
      focusAfter.current = null;
    }
  });

  // A seat the fan picked but another fan just took: drop it from the selection and say so. Not while
  // the fan's own hold is on its way: the seats turning HELD may be that very hold.
  const placing = useRef(false);
  useEffect(() => {
    if (!store) return;
    return store.subscribe(() => {
      if (placing.current) return;
      setSelected((current) => {
        const gone = current.filter((key) => store.status[store.indexOf(key) ?? 0] !== AVAILABLE);
        if (gone.length === 0) return current;
        const names = gone.map((key) => store.label(store.indexOf(key)!)).join(", ");
        setMessage({ tone: "error", text: `${names} was just taken by another fan. Please choose another seat.` });
        return current.filter((id) => !gone.includes(id));
      });
    });
  }, [store]);

  function requireSignIn(): boolean {
    if (viewer) return true;
    keepSelection(event.id, { seats: selected, sectionId: bestSectionId, quantity });
    navigate(`/login?next=${encodeURIComponent(`/events/${event.id}`)}`);
    return false;
  }

  // Back from signing in or registering: the seats chosen before "Sign in to buy", those still free.
  useEffect(() => {
    if (!store) return;
    const kept = takeSelection(event.id);
    if (!kept) return;
    const free = kept.seats.filter((key) => store.status[store.indexOf(key) ?? -1] === AVAILABLE).slice(0, event.maxSeatsPerUser);
    setSelected(free);
    if (kept.sectionId) setBestSectionId(kept.sectionId);
    if (kept.quantity) setFilter((current) => ({ ...current, quantity: Math.min(kept.quantity, event.maxSeatsPerUser) }));
    const first = free[0] === undefined ? undefined : store.sections[store.sectionOf[store.indexOf(free[0])!]!]?.sectionId;
    if (first) setFocusSectionId(first);
    if (free.length < kept.seats.length) setMessage({ tone: "info", text: "Some seats you chose were taken while you signed in. Please choose again." });
  }, [store, event.id, event.maxSeatsPerUser]);

  function toggleSeat(index: number) {
    if (!store || hold) return;
    const id = store.key(index);
    setMessage(null);
    if (selected.includes(id)) return setSelected(selected.filter((seat) => seat !== id));
    if (store.status[index] !== AVAILABLE) return setMessage({ tone: "info", text: `${store.label(index)} is taken.` });
    if (selected.length >= event.maxSeatsPerUser) {
      return setMessage({ tone: "info", text: `You can choose up to ${event.maxSeatsPerUser} seats for this event.` });
    }
    setSelected([...selected, id]);
  }

  /** After SEAT_UNAVAILABLE, read the affected sections again so the map shows exactly what changed. */
  async function refreshSections(seats: string[]) {
    if (!store) return;
    const sectionIds = new Set(seats.map((key) => key.split("|")[0]!));
    await Promise.all(
      [...sectionIds].map(async (sectionId) => {
        const result = await client.query<{ event: { seats: { row: string; number: number; status: string }[] } | null }>({
          query: SECTION_SEATS,
          variables: { eventId: event.id, sectionId },
          fetchPolicy: "no-cache",
        });
        for (const seat of result.data?.event?.seats ?? []) store.apply({ sectionId, row: seat.row, number: seat.number }, seat.status);
      }),
    );
    setSelected((current) => current.filter((key) => store.status[store.indexOf(key) ?? 0] === AVAILABLE));
  }

  async function place(input: { seats?: string[]; sectionId?: string; quantity?: number; minAllInPrice?: number | null; maxAllInPrice?: number | null }) {
    if (!requireSignIn()) return;
    setMessage(null);
    placing.current = true;
    try {
      const result = await holdSeats({
        variables: {
          input: {
            eventId: event.id,
            ...input,
            seats: input.seats?.map((key) => {
              const [sectionId, row, number] = key.split("|");
              return { sectionId, row, number: Number(number) };
            }),
            admissionToken: admission?.token ?? null,
            requestKey: crypto.randomUUID(),
          },
        },
      });
      const payload = result.data?.holdSeats;
      if (!payload) return setMessage({ tone: "error", text: "Something went wrong. Please try again." });
      if (payload.errors.length > 0 || !payload.hold) {
        const errors: UserError[] = payload.errors;
        if (errors.some((item) => item.code === "SEAT_UNAVAILABLE") && input.seats) await refreshSections(input.seats);
        if (errors.some((item) => item.code === "NOT_ADMITTED")) storeAdmission(event.id, null);
        // The fan already holds seats for this event (another tab or device): show that hold, with
        // its seats, countdown, checkout and release, rather than the API's message.
        if (errors.some((item) => item.code === "LIMIT_EXCEEDED" && !item.field) && (await refresh())) {
          setSelected([]);
          return setMessage(null);
        }
        return setMessage({ tone: "error", text: errors.map((item) => describeError(item)).join(" ") });
      }
      remember(payload.hold);
      setSelected([]);
      setMessage(null);
      // Show where the seats are: zoom to them (best available may have picked anywhere).
      if (store) {
        const indexes = payload.hold.lines.flatMap((line) => {
          const index = line.seat ? store.indexOf({ sectionId: line.section.id, row: line.seat.row, number: line.seat.number }) : undefined;
          return index === undefined ? [] : [index];
        });
        if (indexes.length > 0) setFocusSeats({ indexes });
      }
      focusAfter.current = "hold";
    } catch (failure) {
      setMessage({ tone: "error", text: describeFailure(failure) });
    } finally {
      placing.current = false;
    }
  }

  async function release() {
    if (!hold) return;
    await releaseHold({ variables: { holdId: hold.id } }).catch(() => null);
    // Both the remembered hold and viewer.activeHolds read this Hold from Apollo's cache: mark it ended
    // there, then ask the API which holds are still live.
    client.cache.modify({ id: client.cache.identify({ __typename: "Hold", id: hold.id }), fields: { status: () => "RELEASED" } });
    focusAfter.current = "buy";
    remember(null);
    await refresh();
  }

  const holdExpired = useCallback(() => {
    focusAfter.current = "buy";
    remember(null);
    setMessage({ tone: "error", text: describeError({ code: "HOLD_EXPIRED", message: "" }) });
  }, [remember]);

  const seatedSections = sections.filter((section) => section.section.kind === "SEATED");
  const focused = sections.find((section) => section.section.id === focusSectionId);
  // Best available defaults to the whole venue's seated sections (within the price filter), never
  // silently to one section such as the standing floor.
  // "Best seats anywhere" means the seated sections; a venue without any (standing only) offers its
  // sections instead, the first with places left chosen (asking for seats anywhere there found none).
  const anySeated = sections.some((section) => section.section.kind === "SEATED");
  const bestSection =
    sections.find((section) => section.section.id === bestSectionId) ??
    (anySeated ? null : (sections.find((section) => section.available > 0) ?? sections[0] ?? null));

  return (
    <main className="page event-page">
      <header className="event-header">
        <p className="event-category">{CATEGORY_LABELS[event.category] ?? event.category}</p>
        <h1>{event.name}</h1>
        <p className="event-meta">
          <span>{event.artist}</span> · <span>{formatEventDate(event.startsAt, event.venue.timezone)}</span> ·{" "}
          <span>
            {event.venue.name}, {event.venue.city}
          </span>
        </p>
        <BadgeList event={{ status: event.status, waitingRoomEnabled: event.waitingRoomEnabled, sections }} />
        <DynamicPricingNotice event={event} />
        {/* One clock at a time: once seats are held, only the hold's countdown matters. */}
        {admission && onSale && !hold && (
          <p className="info">
            It's your turn: you have <Countdown expiresAt={admission.expiresAt} /> to choose your seats.
          </p>
        )}
      </header>

      {!onSale && (
        <p className="info" role="status">
          {event.status === "SCHEDULED"
            ? `Tickets go on sale ${formatEventDate(event.onSaleAt, event.venue.timezone)}.`
            : event.status === "SOLD_OUT"
              ? "This event is sold out."
              : "Tickets are not on sale for this event."}
          {event.status === "SCHEDULED" && event.waitingRoomEnabled && (
            <>
              {" "}
              <Link to={`/events/${event.id}/queue`}>Join the pre-queue</Link> — everyone who joins before the on-sale gets a
              random place.
            </>
          )}
        </p>
      )}

      <div className="event-layout">
        <section className="map-column" aria-label="Seat map">
          {seatMap.error && <p className="warning">{seatMap.error}</p>}
          {event.venue.map && store ? (
            <SeatMap
              store={store}
              bounds={event.venue.map.bounds}
              stage={event.venue.map.stage}
              sections={mapSections}
              mine={mine}
              focusSectionId={focusSectionId}
              focusSeats={focusSeats}
              tiers={tiers}
              sectionTiers={sectionTiers}
              fits={fits}
              describe={describe}
              formatPrice={(amount) => formatMoney({ amount, currency })}
              onSeatClick={toggleSeat}
              priceNote={priceNote}
              onSectionClick={(sectionId) => {
                setFocusSectionId(sectionId);
                setBestSectionId(sectionId);
              }}
            />
          ) : (
            <div className="seat-map placeholder" aria-busy="true">
              {event.venue.map ? "Loading the seat map…" : "This venue has no seat map: choose a section and quantity."}
            </div>
          )}
          {store && (
            <SeatFilters
              filter={filter}
              onChange={setFilter}
              maxQuantity={event.maxSeatsPerUser}
              fitting={fitting}
              currencySymbol={formatMoney({ amount: 0, currency }).replace(/[\d.,\s]/g, "") || currency}
            />
          )}
          {store && focused && focused.section.kind === "SEATED" && (
            <details className="card seat-list-card" open>
              <summary>
                Seats in section {focused.section.name} · {priceOf(focused.section.id)} · {focused.available} available
              </summary>
              <SeatList
                store={store}
                sectionId={focused.section.id}
                sectionName={focused.section.name}
                priceLabel={priceOf(focused.section.id)}
                mine={mine}
                fits={fits}
                onToggle={toggleSeat}
              />
            </details>
          )}
        </section>

        {/* After the seat map's first frame (useAfterFirstFrame); its grid column is there from the start. */}
        {afterFirstFrame && (
          <aside className="buy-column" aria-label="Buy tickets">
            {message && (
              <p className={message.tone === "error" ? "error" : "info"} role="alert">
                {message.text}
              </p>
            )}

            {hold ? (
              <section className="card hold-panel" aria-label="Your seats">
                <h2 ref={holdHeading} tabIndex={-1}>
                  {elsewhere ? "You already hold these seats" : "Your seats are held"}
                </h2>
                {elsewhere && <p className="hint">You held them in another tab or on another device. Pay for them or release them to choose again.</p>}
                <p>
                  Complete your purchase within <Countdown expiresAt={hold.expiresAt} onExpired={holdExpired} />
                </p>
                <PriceBreakdown hold={hold} />
                <p className="hint">Your prices are locked while the seats are held: the total, fees included, is what you pay.</p>
                <div className="actions">
                  <Link className="button primary" to={`/checkout/${hold.id}`}>
                    Continue to checkout
                  </Link>
                  <button type="button" onClick={() => void release()} disabled={releaseState.loading}>
                    Release seats
                  </button>
                </div>
              </section>
            ) : needsQueue ? (
              <section className="card">
                <h2>High demand</h2>
                <p>To keep things fair, fans buy tickets in turn through a waiting room.</p>
                <Link className="button primary" to={`/events/${event.id}/queue`}>
                  Join the waiting room
                </Link>
              </section>
            ) : onSale ? (
              <>
                {selected.length > 0 && store && (
                  <section className="card selection hold-bar" aria-label="Your selection">
                    <h2>Your selection</h2>
                    <ul>
                      {selected.map((id) => {
                        const index = store.indexOf(id)!;
                        const features = store.featureText(index);
                        const section = store.sections[store.sectionOf[index]!]!;
                        const name = sections.find((item) => item.section.id === section.sectionId)?.section.name ?? "";
                        return (
                          <li key={id}>
                            Section {name}, {store.label(index)} · {priceOf(section.sectionId)}
                            {features ? ` · ${features}` : ""}{" "}
                            <button type="button" className="link" onClick={() => toggleSeat(index)} aria-label={`Remove ${store.label(index)}`}>
                              Remove
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                    <button type="button" className="primary" disabled={holdState.loading} onClick={() => void place({ seats: selected })}>
                      {holdState.loading ? "Holding…" : viewer ? `Hold ${selected.length} ${selected.length === 1 ? "seat" : "seats"}` : "Sign in to buy"}
                    </button>
                  </section>
                )}
                <section className="card" aria-label="Best available">
                  <h2 ref={buyHeading} tabIndex={-1}>
                    Best available
                  </h2>
                  <form
                    className="form inline"
                    onSubmit={(submitted) => {
                      submitted.preventDefault();
                      if (bestSection) void place({ sectionId: bestSection.section.id, quantity });
                      else void place({ quantity, minAllInPrice: filter.minPrice, maxAllInPrice: filter.maxPrice });
                    }}
                  >
                    <label>
                      Section
                      <select value={bestSection?.section.id ?? ""} onChange={(changed) => setBestSectionId(changed.target.value)}>
                        {anySeated && (
                          <option value="">
                            {filter.minPrice !== null || filter.maxPrice !== null ? "Best seats anywhere in your price range" : "Best seats anywhere (seated)"}
                          </option>
                        )}
                        {sections.map((section) => (
                          <option key={section.section.id} value={section.section.id} disabled={section.available === 0}>
                            {section.section.name} · {formatMoney(section.allInPrice)} all-in
                            {section.available === 0 ? " · sold out" : ""}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Tickets
                      <select value={quantity} onChange={(changed) => setQuantity(Number(changed.target.value))}>
                        {Array.from({ length: event.maxSeatsPerUser }, (_, index) => index + 1).map((count) => (
                          <option key={count} value={count}>
                            {count}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button type="submit" className="primary" disabled={holdState.loading}>
                      {viewer ? "Find seats" : "Sign in to buy"}
                    </button>
                  </form>
                </section>
              </>
            ) : null}

            <section className="card" aria-label="Sections">
              <h2>Prices</h2>
              <ul className="section-list">
                {sections.map((section) => (
                  <li key={section.section.id} className="section-item" data-section-id={section.section.id}>
                    <button
                      type="button"
                      className={`section-row ${section.section.id === focusSectionId ? "active" : ""}`}
                      onClick={() => {
                        setFocusSectionId(section.section.id);
                        setBestSectionId(section.section.id);
                      }}
                      // The row's name is its own text (WCAG 2.5.3, Label in Name: what a fan sees is what a voice
                      // command says); the hidden words only complete it for a screen reader, the rest is its description.
                      aria-describedby={`section-extra-${section.section.id}`}
                      data-section-name={section.section.name}
                    >
                      <span>
                        <span className="visually-hidden">Section </span>
                        {section.section.name}
                      </span>
                      <span className="muted">
                        {section.available === 0 ? "Sold out" : `${section.available.toLocaleString()} left`}
                      </span>
                      <SectionPrice section={section} />
                    </button>
                    <span id={`section-extra-${section.section.id}`} className="visually-hidden">
                      {`${describeSectionPrice(section)}${section.dynamicPricing ? `, prices are dynamic, ${describeRange(section)}` : ""}${section.section.kind === "SEATED" ? ", show seats" : ""}`}
                    </span>
                    <PriceDetails quote={section} name={`Section ${section.section.name}`} />
                  </li>
                ))}
              </ul>
              <p className="hint">
                Prices are per ticket, all-in: the ticket and every mandatory fee (service and facility), nothing added at checkout.{seatedSections.length > 0 && " Choose a section to see its seats."}
              </p>
            </section>
          </aside>
        )}
      </div>
    </main>
  );
}
