import "../seat-map.css";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Rect } from "../../catalogue/graphql";
import { ACCESSIBLE, AVAILABLE, BLOCKED, COMPANION, RESTRICTED_VIEW, SeatGrid, type SeatStore } from "../seat-store";
import { LabelSpace } from "../label-space";
import { fillSquare, pixelOf, SeatPixels } from "../seat-pixels";
import type { PriceTier } from "../price-tiers";

export interface MapSection {
  id: string;
  name: string;
  kind: string;
  polygon: number[] | null;
  labelX: number;
  labelY: number;
  available: number;
  total: number;
}

interface View {
  scale: number;
  x: number;
  y: number;
}

/** What the tooltip (mouse) and the bottom sheet (touch) say about one seat. */
export interface SeatDetails {
  title: string;
  price: string;
  features: string;
  status: string;
}

interface Props {
  store: SeatStore;
  bounds: Rect;
  stage: Rect | null;
  sections: MapSection[];
  /** Keys (seatKey) of seats the fan picked and of seats in the fan's live hold: drawn as "mine". */
  mine: ReadonlySet<string>;
  focusSectionId: string | null;
  /** Seats to zoom to (after best available); a new object zooms again. */
  focusSeats: { indexes: number[] } | null;
  /** Tier of each store section (index into `tiers`). */
  sectionTiers: readonly number[];
  tiers: readonly PriceTier[];
  /** Seats the filter admits (fittingSeats), or null when no filter is on. */
  fits: Uint8Array | null;
  describe(index: number): SeatDetails;
  /** An all-in price in minor units as the page writes prices (the event's currency). */
  formatPrice(minor: number): string;
  onSeatClick(index: number): void;
  onSectionClick(sectionId: string): void;
  /** The legend's price line (all-in prices, fees included), written by the page that knows the prices. */
  priceNote?: string;
}

const COLORS = {
  background: "#f6f7fb",
  section: "#e3e6f0",
  sectionFull: "#eceef3",
  outline: "#b8bfd3",
  stage: "#2d2a4a",
  /** Taken seats: 4.2:1 against the background (WCAG 2.2 non-text contrast asks 3:1), drawn smaller. */
  taken: "#737889",
  mine: "#ff7a00",
  mineStroke: "#7a3a00",
  label: "#3a3f55",
};
/** Seats the filter leaves out are drawn at this opacity. */
const FADED_ALPHA = 0.28;
/** A seat must be at least this many pixels apart from its neighbour before a click picks it. */
const PICKABLE_PITCH = 9;
/** Row and section labels appear from this pitch on. */
const LABEL_PITCH = 16;
/** The default zoom for a section makes seats at least this far apart (a 24 px target, WCAG 2.2). */
const TARGET_PITCH = 26;

/**
 * The venue on a canvas: section outlines, the stage, every seat coloured by its price tier and live
 * status. Pan by dragging, zoom with the wheel, pinch or the buttons; a click on a section from afar
 * zooms into it (far enough for 24 px seat targets), a click on a seat up close picks it. Up close,
 * rows and sections are labelled and wheelchair spaces, companion and restricted-view seats get their
 * own marks. Redraws happen once per animation frame at most, only seats in view are drawn, and seats
 * of one colour go in one path, which keeps an 18,000-seat arena smooth. On touch screens one finger
 * moving up or down scrolls the page (touch-action: pan-y); two fingers pan and zoom the map.
 */
export function SeatMap(props: Props) {
  const { store, bounds, stage, sections, mine, focusSectionId, focusSeats, sectionTiers, tiers, fits, onSeatClick, priceNote } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const view = useRef<View>({ scale: 1, x: 0, y: 0 });
  const size = useRef({ width: 0, height: 0 });
  const frame = useRef(0);
  const grid = useRef<SeatGrid | null>(null);
  const pixels = useRef(new SeatPixels());
  const latest = useRef(props);
  const latestFlags = useRef<Uint8Array>(new Uint8Array(0));
  latest.current = props;
  const [zoomLabel, setZoomLabel] = useState("100%");
  const [tip, setTip] = useState<{ x: number; y: number; index: number } | null>(null);
  const [sheet, setSheet] = useState<number | null>(null);
  // "Mine" by seat index, so a frame tests a byte per seat instead of building 18,000 keys.
  const mineFlags = useMemo(() => {
    const flags = new Uint8Array(store.size);
    for (const key of mine) {
      const index = store.indexOf(key);
      if (index !== undefined) flags[index] = 1;
    }
    return flags;
  }, [store, mine]);
  latestFlags.current = mineFlags;

  // Where each section's name goes up close: beyond its front row, on the side away from its second
  // row (towards the stage), so the name sits in the gap in front of the seats rather than on them.
  const sectionLabels = useMemo(
    () =>
      store.sections.map((range, sectionIndex) => {
        const rows = store.rowRanges.filter((row) => row.section === sectionIndex);
        const centre = (row: (typeof rows)[number] | undefined) => {
          if (!row) return null;
          let x = 0;
          let y = 0;
          for (let i = row.start; i < row.start + row.count; i++) {
            x += store.x[i]!;
            y += store.y[i]!;
          }
          return { x: x / row.count, y: y / row.count };
        };
        const front = centre(rows[0]);
        const second = centre(rows[1]);
        if (!front) return { x: (range.minX + range.maxX) / 2, y: range.minY };
        if (!second) return { x: front.x, y: front.y - store.spacing * 2 };
        const length = Math.hypot(front.x - second.x, front.y - second.y) || 1;
        return { x: front.x + ((front.x - second.x) / length) * store.spacing * 2, y: front.y + ((front.y - second.y) / length) * store.spacing * 2 };
      }),
    [store],
  );

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    if (!canvas) return;
    const context = canvas.getContext("2d");
    if (!context) return;
    const { width, height } = size.current;
    // Not before the canvas has its size (the ResizeObserver below, which draws again): a frame drawn
    // at no size is work for nothing, and would mark the map drawn (data-drawn) before it is.
    if (!width || !height) return;
    const started = performance.now();
    const ratio = window.devicePixelRatio || 1;
    const { scale, x: offsetX, y: offsetY } = view.current;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = COLORS.background;
    context.fillRect(0, 0, width, height);
    const toX = (x: number) => x * scale + offsetX;
    const toY = (y: number) => y * scale + offsetY;

    if (stage) {
      context.fillStyle = COLORS.stage;
      context.fillRect(toX(stage.x), toY(stage.y), stage.width * scale, stage.height * scale);
      context.fillStyle = "#ffffff";
      context.font = "600 12px system-ui, sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      context.fillText("STAGE", toX(stage.x + stage.width / 2), toY(stage.y + stage.height / 2));
    }

    const currentMine = latestFlags.current;
    const { sections: currentSections, fits: currentFits, sectionTiers: currentTiers, tiers: currentTierList } = latest.current;
    for (const section of currentSections) {
      if (!section.polygon || section.polygon.length < 6) continue;
      context.beginPath();
      context.moveTo(toX(section.polygon[0]!), toY(section.polygon[1]!));
      for (let i = 2; i < section.polygon.length; i += 2) context.lineTo(toX(section.polygon[i]!), toY(section.polygon[i + 1]!));
      context.closePath();
      const standing = section.kind === "GENERAL_ADMISSION";
      context.fillStyle = standing && section.available > 0 ? "#d7e3ff" : section.available > 0 ? COLORS.section : COLORS.sectionFull;
      context.fill();
      context.strokeStyle = COLORS.outline;
      context.lineWidth = 1;
      context.stroke();
    }

    // Seats, culled to the view. From afar, squares written into pixels (seat-pixels.ts says why); up
    // close, batched by colour: one path per tier (full and faded), taken, mine.
    const pitch = store.spacing * scale;
    const close = pitch >= PICKABLE_PITCH;
    const side = Math.max(1.2, Math.min(pitch * 0.78, 22));
    const half = side / 2;
    const tierPaths = currentTierList.map(() => new Path2D());
    const fadedPaths = currentTierList.map(() => new Path2D());
    const taken = new Path2D();
    const minePath = new Path2D();
    const marks = new Path2D();
    const layer = pixels.current;
    if (!close) layer.begin(canvas.width, canvas.height);
    const tierPixels = currentTierList.map((tier) => pixelOf(tier.color));
    const fadedPixels = currentTierList.map((tier) => pixelOf(tier.color, FADED_ALPHA));
    const takenPixel = pixelOf(COLORS.taken);
    const minePixel = pixelOf(COLORS.mine);
    let drawn = 0;
    for (let i = 0; i < store.size; i++) {
      const status = store.status[i]!;
      if (status === BLOCKED) continue;
      const sx = toX(store.x[i]!);
      const sy = toY(store.y[i]!);
      if (sx < -side || sy < -side || sx > width + side || sy > height + side) continue;
      const isMine = currentMine[i] === 1;
      const tier = currentTiers[store.sectionOf[i]!] ?? 0;
      const radius = status !== AVAILABLE && !isMine ? half * 0.62 : half;
      drawn++;
      if (!close) {
        const pixel = isMine ? minePixel : status !== AVAILABLE ? takenPixel : currentFits && !currentFits[i] ? fadedPixels[tier]! : tierPixels[tier]!;
        fillSquare(layer.pixels, layer.width, layer.height, (sx - radius) * ratio, (sy - radius) * ratio, (sx + radius) * ratio, (sy + radius) * ratio, pixel);
        continue;
      }
      const path = isMine ? minePath : status !== AVAILABLE ? taken : currentFits && !currentFits[i] ? fadedPaths[tier]! : tierPaths[tier]!;
      const features = store.features[i]!;
      if (features & ACCESSIBLE) {
        path.rect(sx - radius, sy - radius, radius * 2, radius * 2);
      } else {
        path.moveTo(sx + radius, sy);
        path.arc(sx, sy, radius, 0, Math.PI * 2);
      }
      if (pitch >= LABEL_PITCH && status === AVAILABLE) {
        if (features & COMPANION) {
          marks.moveTo(sx + radius * 0.35, sy);
          marks.arc(sx, sy, radius * 0.35, 0, Math.PI * 2);
        }
        if (features & RESTRICTED_VIEW) {
          marks.moveTo(sx - radius * 0.6, sy + radius * 0.6);
          marks.lineTo(sx + radius * 0.6, sy - radius * 0.6);
        }
      }
    }
    if (!close) layer.end(context);
    else {
      context.fillStyle = COLORS.taken;
      context.fill(taken);
      currentTierList.forEach((tier, index) => {
        context.globalAlpha = FADED_ALPHA;
        context.fillStyle = tier.color;
        context.fill(fadedPaths[index]!);
        context.globalAlpha = 1;
        context.fill(tierPaths[index]!);
      });
      context.fillStyle = COLORS.mine;
      context.fill(minePath);
      context.strokeStyle = COLORS.mineStroke;
      context.lineWidth = 1.5;
      context.stroke(minePath);
      context.strokeStyle = "#ffffff";
      context.fillStyle = "#ffffff";
      context.lineWidth = Math.max(1.5, side * 0.14);
      context.stroke(marks);
    }

    context.fillStyle = COLORS.label;
    context.textAlign = "center";
    context.textBaseline = "middle";
    if (pitch < PICKABLE_PITCH * 2) {
      // From afar: section names at their label points.
      context.font = "600 12px system-ui, sans-serif";
      for (const section of currentSections) {
        if (!section.polygon) continue;
        context.fillText(section.name, toX(section.labelX), toY(section.labelY));
      }
    }
    if (pitch >= LABEL_PITCH) {
      // Up close: each row's label just beyond both ends of the row, and the section's name in front.
      // Two sections side by side put their rows' ends in the same aisle: a label that would overlap
      // one already drawn is left out (the row keeps its label at its other end).
      const fontSize = Math.min(13, Math.max(10, pitch * 0.45));
      context.font = `600 ${fontSize}px system-ui, sans-serif`;
      const labels = new LabelSpace(fontSize);
      for (const row of store.rowRanges) {
        const first = row.start;
        const last = row.start + row.count - 1;
        const fx = toX(store.x[first]!);
        const fy = toY(store.y[first]!);
        if (fx < -60 || fy < -60 || fx > width + 60 || fy > height + 60) {
          const lx = toX(store.x[last]!);
          const ly = toY(store.y[last]!);
          if (lx < -60 || ly < -60 || lx > width + 60 || ly > height + 60) continue;
        }
        const ends = row.count > 1 ? [[first, first + 1], [last, last - 1]] : [[first, first]];
        for (const [end, next] of ends) {
          let dx = store.x[end!]! - store.x[next!]!;
          let dy = store.y[end!]! - store.y[next!]!;
          const length = Math.hypot(dx, dy) || 1;
          dx = (dx / length) * store.spacing * 1.1;
          dy = (dy / length) * store.spacing * 1.1;
          if (row.count === 1) dx = -store.spacing * 1.1;
          const lx = toX(store.x[end!]! + dx);
          const ly = toY(store.y[end!]! + dy);
          if (labels.claim(lx, ly, row.label.length)) context.fillText(row.label, lx, ly);
        }
      }
      context.font = "700 14px system-ui, sans-serif";
      store.sections.forEach((range, index) => {
        const name = currentSections.find((section) => section.id === range.sectionId)?.name;
        const point = sectionLabels[index]!;
        const px = toX(point.x);
        const py = toY(point.y);
        if (!name || px < -100 || py < -40 || px > width + 100 || py > height + 40) return;
        const text = `Section ${name}`;
        const textWidth = context.measureText(text).width;
        context.fillStyle = "rgba(255,255,255,0.9)";
        context.fillRect(px - textWidth / 2 - 6, py - 10, textWidth + 12, 20);
        context.fillStyle = COLORS.label;
        context.fillText(text, px, py);
      });
    }
    const stats = (window as unknown as { __seatMapStats?: SeatMapStats }).__seatMapStats ?? { frames: 0, slowest: 0, last: 0, seats: 0 };
    stats.frames++;
    stats.last = performance.now() - started;
    stats.slowest = Math.max(stats.slowest, stats.last);
    stats.seats = drawn;
    (window as unknown as { __seatMapStats?: SeatMapStats }).__seatMapStats = stats;
    canvas.dataset.drawn = String(stats.frames);
    canvas.dataset.scale = String(pitch);
  }, [store, stage, sectionLabels]);

  const drawNow = useRef(draw);
  drawNow.current = draw;

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  const fitScale = useCallback(() => Math.min(size.current.width / bounds.width, size.current.height / bounds.height) || 1, [bounds]);

  const setView = useCallback(
    (next: View) => {
      view.current = next;
      setZoomLabel(`${Math.round((next.scale / fitScale()) * 100)}%`);
      setTip(null);
      schedule();
    },
    [fitScale, schedule],
  );

  /** Fits `rect` in the view; with `minimumPitch`, zooms in further (centred on rect) until seats are that far apart. */
  const fitTo = useCallback(
    (rect: Rect, padding = 16, minimumPitch = 0) => {
      const { width, height } = size.current;
      if (!width || !height) return;
      let scale = Math.min((width - padding * 2) / rect.width, (height - padding * 2) / rect.height);
      if (minimumPitch > 0) scale = Math.min(Math.max(scale, minimumPitch / store.spacing), fitScale() * 60);
      setView({ scale, x: width / 2 - (rect.x + rect.width / 2) * scale, y: height / 2 - (rect.y + rect.height / 2) * scale });
    },
    [setView, fitScale, store],
  );

  const zoomAt = useCallback(
    (factor: number, px: number, py: number) => {
      const current = view.current;
      const fit = fitScale();
      const scale = Math.min(Math.max(current.scale * factor, fit * 0.5), fit * 60);
      const applied = scale / current.scale;
      setView({ scale, x: px - (px - current.x) * applied, y: py - (py - current.y) * applied });
    },
    [fitScale, setView],
  );

  const sectionRect = useCallback(
    (sectionId: string): Rect | null => {
      const range = store.sections.find((section) => section.sectionId === sectionId);
      if (range && range.count > 0) {
        return { x: range.minX - store.spacing, y: range.minY - store.spacing, width: range.maxX - range.minX + store.spacing * 2, height: range.maxY - range.minY + store.spacing * 2 };
      }
      const shape = latest.current.sections.find((section) => section.id === sectionId)?.polygon;
      return shape ? polygonBounds(shape) : null;
    },
    [store],
  );

  // Size the canvas to its box (and the screen's pixel ratio); fit the venue the first time. Observed
  // from the commit (a layout effect), so the callback comes in the rendering step of the map's first
  // frame, after its layout; it draws there and then rather than in the next animation frame: resizing
  // clears the canvas, and the first frame shows the map instead of a blank one a frame before it
  // (issue 27: at 4x slower CPU a frame of the event page is ~0.1 s or more).
  useLayoutEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    let first = true;
    const observer = new ResizeObserver(() => {
      const ratio = window.devicePixelRatio || 1;
      const width = wrap.clientWidth;
      const height = wrap.clientHeight;
      size.current = { width, height };
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      if (first) {
        first = false;
        fitTo(bounds, 8);
      }
      // Drawn now: the frame fitTo (or an earlier change) asked for would draw the same again.
      cancelAnimationFrame(frame.current);
      drawNow.current();
    });
    observer.observe(wrap);
    return () => observer.disconnect();
  }, [bounds, fitTo]);

  useEffect(() => {
    // Built on the first hover or click (seatAt), not before the first frame.
    grid.current = null;
    schedule();
    return store.subscribe(schedule);
  }, [store, schedule]);

  useEffect(schedule, [sections, mineFlags, fits, sectionTiers, tiers, schedule]);

  useEffect(() => {
    if (!focusSectionId) return;
    const rect = sectionRect(focusSectionId);
    if (rect) fitTo(rect, 24, store.sections.some((range) => range.sectionId === focusSectionId) ? TARGET_PITCH : 0);
    // Only when the focus changes, not on every availability update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusSectionId, store, fitTo]);

  useEffect(() => {
    if (!focusSeats || focusSeats.indexes.length === 0) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const index of focusSeats.indexes) {
      minX = Math.min(minX, store.x[index]!);
      maxX = Math.max(maxX, store.x[index]!);
      minY = Math.min(minY, store.y[index]!);
      maxY = Math.max(maxY, store.y[index]!);
    }
    const margin = store.spacing * 10;
    fitTo({ x: minX - margin, y: minY - margin, width: maxX - minX + margin * 2, height: maxY - minY + margin * 2 }, 24, TARGET_PITCH);
  }, [focusSeats, store, fitTo]);

  // Pointer handling: one pointer pans, two pinch (and pan by their midpoint); a press that barely moved is a click.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef({ moved: 0, pinch: 0, midX: 0, midY: 0 });

  function local(event: { clientX: number; clientY: number }) {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function onPointerDown(event: React.PointerEvent<HTMLCanvasElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, local(event));
    const [a, b] = [...pointers.current.values()];
    gesture.current = { moved: 0, pinch: pointers.current.size === 2 ? pinchDistance() : 0, midX: a && b ? (a.x + b.x) / 2 : 0, midY: a && b ? (a.y + b.y) / 2 : 0 };
  }

  function pinchDistance() {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  function onPointerMove(event: React.PointerEvent<HTMLCanvasElement>) {
    const previous = pointers.current.get(event.pointerId);
    if (!previous) {
      if (event.pointerType === "mouse") hover(local(event));
      return;
    }
    const point = local(event);
    pointers.current.set(event.pointerId, point);
    if (pointers.current.size === 2) {
      const distance = pinchDistance();
      const [a, b] = [...pointers.current.values()];
      const midX = (a!.x + b!.x) / 2;
      const midY = (a!.y + b!.y) / 2;
      if (gesture.current.pinch > 0 && distance > 0) {
        setView({ ...view.current, x: view.current.x + midX - gesture.current.midX, y: view.current.y + midY - gesture.current.midY });
        zoomAt(distance / gesture.current.pinch, midX, midY);
      }
      gesture.current = { ...gesture.current, pinch: distance, midX, midY, moved: gesture.current.moved + 10 };
      return;
    }
    const dx = point.x - previous.x;
    const dy = point.y - previous.y;
    gesture.current.moved += Math.abs(dx) + Math.abs(dy);
    setView({ ...view.current, x: view.current.x + dx, y: view.current.y + dy });
  }

  function onPointerUp(event: React.PointerEvent<HTMLCanvasElement>) {
    const point = pointers.current.get(event.pointerId);
    pointers.current.delete(event.pointerId);
    if (!point || gesture.current.moved > 6 || pointers.current.size > 0) return;
    click(point.x, point.y, event.pointerType !== "mouse");
  }

  function seatAt(px: number, py: number, radiusFactor: number): { seat: number; mapX: number; mapY: number; close: boolean } {
    const { scale, x, y } = view.current;
    const mapX = (px - x) / scale;
    const mapY = (py - y) / scale;
    const close = store.spacing * scale >= PICKABLE_PITCH;
    grid.current ??= new SeatGrid(store);
    const seat = grid.current.nearest(mapX, mapY, store.spacing * (close ? radiusFactor : 1.5));
    return { seat, mapX, mapY, close };
  }

  function hover(point: { x: number; y: number }) {
    const { seat, close } = seatAt(point.x, point.y, 0.6);
    setTip(close && seat >= 0 && store.status[seat] !== BLOCKED ? { x: point.x, y: point.y, index: seat } : null);
  }

  function click(px: number, py: number, touch: boolean) {
    const { seat, mapX, mapY, close } = seatAt(px, py, 0.6);
    if (seat >= 0 && close) {
      if (touch) setSheet(seat);
      return onSeatClick(seat);
    }
    const hit = latest.current.sections.find((section) => section.polygon && insidePolygon(section.polygon, mapX, mapY));
    const sectionId = hit?.id ?? (seat >= 0 ? store.sectionIdOf(seat) : undefined);
    if (!sectionId) return;
    const rect = sectionRect(sectionId);
    // From afar a click zooms into the section (seats at least 24 px apart), so the next click picks a seat.
    if (rect) fitTo(rect, 24, store.sections.some((range) => range.sectionId === sectionId && range.count > 0) ? TARGET_PITCH : 0);
    latest.current.onSectionClick(sectionId);
  }

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const point = local(event);
      zoomAt(Math.exp(-event.deltaY * 0.0015), point.x, point.y);
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, [zoomAt]);

  const center = () => ({ x: size.current.width / 2, y: size.current.height / 2 });
  const available = store.status.reduce((sum, status) => sum + (status === AVAILABLE ? 1 : 0), 0);
  const tipDetails = tip ? props.describe(tip.index) : null;
  const sheetDetails = sheet !== null ? props.describe(sheet) : null;

  return (
    <div className="seat-map">
      <div className="seat-map-toolbar">
        <button type="button" aria-label="Zoom in" onClick={() => zoomAt(1.5, center().x, center().y)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => zoomAt(1 / 1.5, center().x, center().y)}>
          −
        </button>
        <button type="button" aria-label="Show the whole venue" onClick={() => fitTo(bounds, 8)}>
          ⤢
        </button>
        <span className="zoom" aria-live="off">
          Zoom {zoomLabel}
        </span>
      </div>
      <div className="seat-map-canvas" ref={wrapRef} onPointerLeave={() => setTip(null)}>
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`Seat map: ${available} of ${store.size} seats available. Use the seat grid below to choose seats with a keyboard or screen reader.`}
          data-testid="seat-map"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={(event) => pointers.current.delete(event.pointerId)}
        />
        {tip && tipDetails && (
          <div className="seat-tip" role="tooltip" data-testid="seat-tip" style={{ left: Math.min(tip.x + 14, size.current.width - 220), top: Math.max(tip.y - 70, 4) }}>
            <strong>{tipDetails.title}</strong>
            <span>{tipDetails.price}</span>
            {tipDetails.features && <span>{tipDetails.features}</span>}
            <span className="muted">{tipDetails.status}</span>
          </div>
        )}
        {sheetDetails && (
          <div className="seat-sheet" role="dialog" aria-label="Seat details" data-testid="seat-sheet">
            <div>
              <strong>{sheetDetails.title}</strong>
              <span>{sheetDetails.price}</span>
              {sheetDetails.features && <span>{sheetDetails.features}</span>}
              <span className="muted">{sheetDetails.status}</span>
            </div>
            <button type="button" onClick={() => setSheet(null)}>
              Close
            </button>
          </div>
        )}
      </div>
      <ul className="legend" aria-label="Legend">
        {tiers.map((tier) => (
          <li key={tier.color} data-testid="legend-tier">
            <span className="swatch" style={{ background: tier.color }} /> {tier.low === tier.high ? props.formatPrice(tier.low) : `${props.formatPrice(tier.low)} – ${props.formatPrice(tier.high)}`}
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: COLORS.taken, transform: "scale(0.65)" }} /> Taken
        </li>
        <li>
          <span className="swatch" style={{ background: COLORS.mine, boxShadow: `0 0 0 1.5px ${COLORS.mineStroke}` }} /> Yours
        </li>
        <li>
          <span className="swatch square" style={{ background: tiers[0]?.color ?? COLORS.label }} /> Wheelchair space
        </li>
        <li>
          <span className="swatch dot" style={{ background: tiers[0]?.color ?? COLORS.label }} /> Companion seat
        </li>
        <li>
          <span className="swatch slash" style={{ background: tiers[0]?.color ?? COLORS.label }} /> Restricted view
        </li>
        {priceNote && <li data-testid="legend-price">{priceNote}</li>}
      </ul>
    </div>
  );
}

export interface SeatMapStats {
  frames: number;
  slowest: number;
  last: number;
  seats: number;
}

function polygonBounds(polygon: number[]): Rect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]!);
    maxX = Math.max(maxX, polygon[i]!);
    minY = Math.min(minY, polygon[i + 1]!);
    maxY = Math.max(maxY, polygon[i + 1]!);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function insidePolygon(polygon: number[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 2; i < polygon.length; j = i, i += 2) {
    const xi = polygon[i]!;
    const yi = polygon[i + 1]!;
    const xj = polygon[j]!;
    const yj = polygon[j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
