import "../seat-map.css";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Rect } from "../../catalogue/graphql";
import { AVAILABLE, BLOCKED, SeatGrid, type SeatStore } from "../seat-store";

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

interface Props {
  store: SeatStore;
  bounds: Rect;
  stage: Rect | null;
  sections: MapSection[];
  /** Seats the fan picked (not yet held) and seats in the fan's live hold: both drawn as "mine". */
  mine: ReadonlySet<string>;
  focusSectionId: string | null;
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
  available: "#2f6fed",
  taken: "#c5c8d2",
  mine: "#ff7a00",
  label: "#3a3f55",
};
/** A seat must be at least this many pixels apart from its neighbour before a click picks it. */
const PICKABLE_PITCH = 9;

/**
 * The venue on a canvas: section outlines, the stage, every seat coloured by live status. Pan by
 * dragging, zoom with the wheel, pinch or the buttons; a click on a section from afar zooms into it,
 * a click on a seat up close picks it. Redraws happen once per animation frame at most, only seats in
 * view are drawn, and seats of one colour go in one path, which keeps an 18,000-seat arena smooth.
 */
export function SeatMap({ store, bounds, stage, sections, mine, focusSectionId, onSeatClick, onSectionClick, priceNote }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const view = useRef<View>({ scale: 1, x: 0, y: 0 });
  const size = useRef({ width: 0, height: 0 });
  const frame = useRef(0);
  const grid = useRef<SeatGrid | null>(null);
  const props = useRef({ sections, mine, onSeatClick, onSectionClick });
  props.current = { sections, mine, onSeatClick, onSectionClick };
  const [zoomLabel, setZoomLabel] = useState("100%");

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    if (!canvas) return;
    const context = canvas.getContext("2d");
    if (!context) return;
    const started = performance.now();
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = size.current;
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

    const { sections: currentSections, mine: currentMine } = props.current;
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

    // Seats, culled to the view and batched by colour: one path per colour.
    const pitch = store.spacing * scale;
    const side = Math.max(1.2, Math.min(pitch * 0.78, 22));
    const half = side / 2;
    const paths = { available: new Path2D(), taken: new Path2D(), mine: new Path2D() };
    let drawn = 0;
    for (let i = 0; i < store.size; i++) {
      const status = store.status[i]!;
      if (status === BLOCKED) continue;
      const sx = toX(store.x[i]!);
      const sy = toY(store.y[i]!);
      if (sx < -side || sy < -side || sx > width + side || sy > height + side) continue;
      const path = currentMine.has(store.ids[i]!) ? paths.mine : status === AVAILABLE ? paths.available : paths.taken;
      if (pitch >= PICKABLE_PITCH) {
        path.moveTo(sx + half, sy);
        path.arc(sx, sy, half, 0, Math.PI * 2);
      } else {
        path.rect(sx - half, sy - half, side, side);
      }
      drawn++;
    }
    context.fillStyle = COLORS.taken;
    context.fill(paths.taken);
    context.fillStyle = COLORS.available;
    context.fill(paths.available);
    context.fillStyle = COLORS.mine;
    context.fill(paths.mine);
    if (pitch >= PICKABLE_PITCH) {
      context.strokeStyle = "#7a3a00";
      context.lineWidth = 1.5;
      context.stroke(paths.mine);
    }

    // Section names from afar; row labels are left to the seat list and tooltips up close.
    if (pitch < PICKABLE_PITCH * 2) {
      context.fillStyle = COLORS.label;
      context.font = "600 12px system-ui, sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      for (const section of currentSections) {
        if (!section.polygon) continue;
        context.fillText(section.name, toX(section.labelX), toY(section.labelY));
      }
    }
    const stats = (window as unknown as { __seatMapStats?: SeatMapStats }).__seatMapStats ?? { frames: 0, slowest: 0, last: 0, seats: 0 };
    stats.frames++;
    stats.last = performance.now() - started;
    stats.slowest = Math.max(stats.slowest, stats.last);
    stats.seats = drawn;
    (window as unknown as { __seatMapStats?: SeatMapStats }).__seatMapStats = stats;
    canvas.dataset.drawn = String(stats.frames);
  }, [store, stage]);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  const setView = useCallback(
    (next: View) => {
      view.current = next;
      const fit = Math.min(size.current.width / bounds.width, size.current.height / bounds.height) || 1;
      setZoomLabel(`${Math.round((next.scale / fit) * 100)}%`);
      schedule();
    },
    [bounds, schedule],
  );

  const fitTo = useCallback(
    (rect: Rect, padding = 16) => {
      const { width, height } = size.current;
      if (!width || !height) return;
      const scale = Math.min((width - padding * 2) / rect.width, (height - padding * 2) / rect.height);
      setView({ scale, x: width / 2 - (rect.x + rect.width / 2) * scale, y: height / 2 - (rect.y + rect.height / 2) * scale });
    },
    [setView],
  );

  const zoomAt = useCallback(
    (factor: number, px: number, py: number) => {
      const current = view.current;
      const fit = Math.min(size.current.width / bounds.width, size.current.height / bounds.height) || 1;
      const scale = Math.min(Math.max(current.scale * factor, fit * 0.5), fit * 40);
      const applied = scale / current.scale;
      setView({ scale, x: px - (px - current.x) * applied, y: py - (py - current.y) * applied });
    },
    [bounds, setView],
  );

  // Size the canvas to its box (and the screen's pixel ratio); fit the venue the first time.
  useEffect(() => {
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
      } else schedule();
    });
    observer.observe(wrap);
    return () => observer.disconnect();
  }, [bounds, fitTo, schedule]);

  useEffect(() => {
    grid.current = new SeatGrid(store);
    schedule();
    return store.subscribe(schedule);
  }, [store, schedule]);

  useEffect(schedule, [sections, mine, schedule]);

  useEffect(() => {
    if (!focusSectionId) return;
    const range = store.sections.find((section) => section.sectionId === focusSectionId);
    const shape = sections.find((section) => section.id === focusSectionId)?.polygon;
    const rect = range
      ? { x: range.minX - store.spacing, y: range.minY - store.spacing, width: range.maxX - range.minX + store.spacing * 2, height: range.maxY - range.minY + store.spacing * 2 }
      : shape
        ? polygonBounds(shape)
        : null;
    if (rect) fitTo(rect, 24);
    // Only when the focus changes, not on every availability update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusSectionId, store, fitTo]);

  // Pointer handling: one pointer pans, two pinch; a press that barely moved is a click.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef({ moved: 0, pinch: 0 });

  function local(event: { clientX: number; clientY: number }) {
    const rect = canvasRef.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function onPointerDown(event: React.PointerEvent<HTMLCanvasElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, local(event));
    gesture.current = { moved: 0, pinch: pointers.current.size === 2 ? pinchDistance() : 0 };
  }

  function pinchDistance() {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  function onPointerMove(event: React.PointerEvent<HTMLCanvasElement>) {
    const previous = pointers.current.get(event.pointerId);
    if (!previous) return;
    const point = local(event);
    pointers.current.set(event.pointerId, point);
    if (pointers.current.size === 2) {
      const distance = pinchDistance();
      if (gesture.current.pinch > 0 && distance > 0) {
        const [a, b] = [...pointers.current.values()];
        zoomAt(distance / gesture.current.pinch, (a!.x + b!.x) / 2, (a!.y + b!.y) / 2);
      }
      gesture.current.pinch = distance;
      gesture.current.moved += 10;
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
    click(point.x, point.y);
  }

  function click(px: number, py: number) {
    const { scale, x, y } = view.current;
    const mapX = (px - x) / scale;
    const mapY = (py - y) / scale;
    const pitch = store.spacing * scale;
    const seat = grid.current?.nearest(mapX, mapY, store.spacing * (pitch >= PICKABLE_PITCH ? 0.6 : 1.5)) ?? -1;
    if (seat >= 0 && pitch >= PICKABLE_PITCH) return props.current.onSeatClick(seat);
    const hit = props.current.sections.find((section) => section.polygon && insidePolygon(section.polygon, mapX, mapY));
    const sectionId = hit?.id ?? (seat >= 0 ? store.sections[store.sectionOf[seat]!]?.sectionId : undefined);
    if (!sectionId) return;
    const range = store.sections.find((section) => section.sectionId === sectionId);
    if (range && range.count > 0) {
      // From afar a click zooms into the section, so the next click can pick a seat.
      fitTo({ x: range.minX - store.spacing, y: range.minY - store.spacing, width: range.maxX - range.minX + store.spacing * 2, height: range.maxY - range.minY + store.spacing * 2 }, 24);
    }
    props.current.onSectionClick(sectionId);
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

  return (
    <div className="seat-map">
      <div className="seat-map-canvas" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`Seat map: ${available} of ${store.size} seats available. Use the seat list below to choose seats with a keyboard or screen reader.`}
          data-testid="seat-map"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={(event) => pointers.current.delete(event.pointerId)}
        />
        <div className="seat-map-controls">
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
            {zoomLabel}
          </span>
        </div>
      </div>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch" style={{ background: COLORS.available }} /> Available
        </li>
        <li>
          <span className="swatch" style={{ background: COLORS.taken }} /> Taken
        </li>
        <li>
          <span className="swatch" style={{ background: COLORS.mine }} /> Yours
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
