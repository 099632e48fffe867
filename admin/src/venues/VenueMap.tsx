/**
 * A whole venue's seats drawn in one SVG, fast enough for an arena (~19,000 seats) to redraw as the
 * builder's form changes. Each seat is not an element: a group of seats of one colour is ONE <path>
 * made of zero-length segments ("M x y h0") with a round line cap as wide as a seat, so the browser
 * draws thousands of dots from one element (canvas-like batching, but still vector and zoomable).
 * Clicks are hit-tested in map units against the pickable seats (nearest within a seat's width).
 * What changes as you type (`overlay`: the builder's preview, the selection) is a second SVG stacked on
 * the still one with the same viewBox, on its own compositing layer: while the venue's bounds stay the
 * same, a keystroke repaints the preview's seats, not the arena's other 19,000.
 */
import { Box } from "@mui/material";
import { memo, useMemo, useRef, type MouseEvent } from "react";

export interface SeatGroup {
  key: string;
  color: string;
  /** Flat map coordinates: x0, y0, x1, y1, … */
  points: number[];
}

export interface MapLabel {
  key: string;
  x: number;
  y: number;
  text: string;
}

export interface MapMark {
  key: string;
  x: number;
  y: number;
  color: string;
}

export interface PickableSeat {
  id: string;
  x: number;
  y: number;
}

interface Props {
  /** Seats that rarely change (the venue's). */
  groups: SeatGroup[];
  /** Seats that change as the user types (the builder's preview). */
  overlay?: SeatGroup[];
  labels?: MapLabel[];
  /** Ringed seats (the selection, refused seats). */
  marks?: MapMark[];
  /** Seat diameter in map units. */
  seatSize: number;
  pickable?: PickableSeat[];
  onSeatClick?(id: string, event: MouseEvent): void;
  label: string;
  height?: number;
}

/** One path's `d` for many seats. Coordinates are already rounded to 0.01 by the generator and the API. */
function dotsPath(points: number[]): string {
  const parts: string[] = new Array(points.length / 2);
  for (let index = 0; index < points.length; index += 2) parts[index / 2] = `M${points[index]} ${points[index + 1]}h0`;
  return parts.join("");
}

const SeatPath = memo(function SeatPath({ group, seatSize }: { group: SeatGroup; seatSize: number }) {
  const d = useMemo(() => dotsPath(group.points), [group.points]);
  return <path d={d} stroke={group.color} strokeWidth={seatSize} strokeLinecap="round" fill="none" data-group={group.key} data-seat-count={group.points.length / 2} />;
});

/** Median distance between consecutive seats of a list (seats of a row come together): a seat's width. */
export function typicalSpacing(points: { x: number; y: number }[]): number {
  const distances: number[] = [];
  for (let index = 1; index < points.length && distances.length < 400; index++) {
    const distance = Math.hypot(points[index]!.x - points[index - 1]!.x, points[index]!.y - points[index - 1]!.y);
    if (distance > 0) distances.push(distance);
  }
  if (distances.length === 0) return 1;
  distances.sort((a, b) => a - b);
  return distances[Math.floor(distances.length / 2)]!;
}

export function VenueMap({ groups, overlay = [], labels = [], marks = [], seatSize, pickable = [], onSeatClick, label, height = 560 }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const box = useMemo(() => {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const take = (x: number, y: number) => {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    };
    for (const group of [...groups, ...overlay]) for (let index = 0; index < group.points.length; index += 2) take(group.points[index]!, group.points[index + 1]!);
    for (const mark of marks) take(mark.x, mark.y);
    if (minX === Infinity) return { x: -10, y: -10, width: 20, height: 20 };
    const pad = seatSize * 3;
    return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
  }, [groups, overlay, marks, seatSize]);
  const seatCount = [...groups, ...overlay].reduce((sum, group) => sum + group.points.length / 2, 0);

  function click(event: MouseEvent<SVGSVGElement>) {
    if (!onSeatClick || !svg.current || pickable.length === 0) return;
    const matrix = svg.current.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    let best: PickableSeat | null = null;
    let bestDistance = seatSize * 0.75;
    for (const seat of pickable) {
      const distance = Math.hypot(seat.x - point.x, seat.y - point.y);
      if (distance < bestDistance) {
        best = seat;
        bestDistance = distance;
      }
    }
    if (best) onSeatClick(best.id, event);
  }

  const fontSize = Math.max(box.width, box.height) / 40;
  const viewBox = `${box.x} ${box.y} ${box.width} ${box.height}`;
  const layer = { position: "absolute", inset: 0, display: "block", willChange: "transform" } as const;
  return (
    <Box sx={{ position: "relative", height, border: 1, borderColor: "divider", borderRadius: 1, bgcolor: "#fbfbfd", overflow: "hidden" }}>
      <svg viewBox={viewBox} preserveAspectRatio="xMidYMid meet" width="100%" height={height} style={layer} aria-hidden="true">
        {groups.map((group) => (
          <SeatPath key={group.key} group={group} seatSize={seatSize} />
        ))}
      </svg>
      <svg
        ref={svg}
        role="img"
        aria-label={label}
        data-seat-count={seatCount}
        viewBox={viewBox}
        preserveAspectRatio="xMidYMid meet"
        width="100%"
        height={height}
        onClick={click}
        style={{ ...layer, cursor: onSeatClick ? "pointer" : "default" }}
      >
        {overlay.map((group) => (
          <SeatPath key={group.key} group={group} seatSize={seatSize} />
        ))}
        {marks.map((mark) => (
          <circle key={mark.key} cx={mark.x} cy={mark.y} r={seatSize * 0.9} fill="none" stroke={mark.color} strokeWidth={seatSize * 0.35} />
        ))}
        {labels.map((text) => (
          <text key={text.key} x={text.x} y={text.y} fontSize={fontSize} textAnchor="middle" fill="#1f2a44" opacity={0.75} style={{ pointerEvents: "none", fontFamily: "sans-serif" }}>
            {text.text}
          </text>
        ))}
      </svg>
    </Box>
  );
}
