/**
 * Seat-map geometry for the seeded venues, as pure data. One coordinate space per venue, in map
 * units (about 10 cm), y growing away from the top of the map; the stage sits at the top.
 *
 * Seated tiers are rows of elliptical arcs around a centre, cut into angular wedges (sections) with
 * aisles between them — the shape of a real arena bowl or a theatre's curved rows. Seats in a row are
 * numbered 1..n in increasing angle, so neighbours in a row have consecutive numbers (best-available and
 * the orphan-seat rule rely on that).
 */

export interface Point {
  x: number;
  y: number;
}

export interface SeatSpec {
  number: number;
  x: number;
  y: number;
  stageDistance: number;
}

export interface RowSpec {
  label: string;
  sortOrder: number;
  seats: SeatSpec[];
}

export interface SectionSpec {
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  capacity: number;
  /** Price multiplier relative to the event's base price. */
  priceFactor: number;
  shape: { polygon: [number, number][]; label: [number, number] };
  rows: RowSpec[];
}

export interface VenueLayout {
  stage: Point;
  map: { width: number; height: number; origin: Point; stage: { x: number; y: number; width: number; height: number } };
  sections: SectionSpec[];
}

interface TierSpec {
  center: Point;
  /** Semi-axes of the first row's arc. */
  radiusX: number;
  radiusY: number;
  rowDepth: number;
  rowCount: number;
  rowLabel: (index: number) => string;
  seatWidth: number;
  /** Degrees, 0 = +x, 90 = down the map (away from the stage). */
  wedges: { name: string; startDeg: number; endDeg: number; priceFactor: number }[];
  aisleDeg: number;
}

const DEG = Math.PI / 180;
const round = (value: number) => Math.round(value * 10) / 10;

function onEllipse(center: Point, radiusX: number, radiusY: number, angle: number): Point {
  return { x: center.x + radiusX * Math.cos(angle), y: center.y + radiusY * Math.sin(angle) };
}

function arcLength(center: Point, radiusX: number, radiusY: number, start: number, end: number): number {
  const steps = 48;
  let length = 0;
  let previous = onEllipse(center, radiusX, radiusY, start);
  for (let step = 1; step <= steps; step++) {
    const next = onEllipse(center, radiusX, radiusY, start + ((end - start) * step) / steps);
    length += Math.hypot(next.x - previous.x, next.y - previous.y);
    previous = next;
  }
  return length;
}

function tierSections(tier: TierSpec, stage: Point): SectionSpec[] {
  return tier.wedges.map((wedge) => {
    const start = (wedge.startDeg + tier.aisleDeg / 2) * DEG;
    const end = (wedge.endDeg - tier.aisleDeg / 2) * DEG;
    const rows: RowSpec[] = [];
    for (let index = 0; index < tier.rowCount; index++) {
      const radiusX = tier.radiusX + index * tier.rowDepth;
      const radiusY = tier.radiusY + index * tier.rowDepth;
      const count = Math.floor(arcLength(tier.center, radiusX, radiusY, start, end) / tier.seatWidth);
      const seats: SeatSpec[] = [];
      for (let k = 0; k < count; k++) {
        const point = onEllipse(tier.center, radiusX, radiusY, start + ((end - start) * (k + 0.5)) / count);
        seats.push({
          number: k + 1,
          x: round(point.x),
          y: round(point.y),
          stageDistance: round(Math.hypot(point.x - stage.x, point.y - stage.y)),
        });
      }
      rows.push({ label: tier.rowLabel(index), sortOrder: index, seats });
    }
    const outerX = tier.radiusX + tier.rowCount * tier.rowDepth;
    const outerY = tier.radiusY + tier.rowCount * tier.rowDepth;
    const innerX = tier.radiusX - tier.rowDepth / 2;
    const innerY = tier.radiusY - tier.rowDepth / 2;
    const polygon: [number, number][] = [];
    for (let step = 0; step <= 6; step++) {
      const point = onEllipse(tier.center, innerX, innerY, start + ((end - start) * step) / 6);
      polygon.push([round(point.x), round(point.y)]);
    }
    for (let step = 6; step >= 0; step--) {
      const point = onEllipse(tier.center, outerX, outerY, start + ((end - start) * step) / 6);
      polygon.push([round(point.x), round(point.y)]);
    }
    const middle = onEllipse(tier.center, (innerX + outerX) / 2, (innerY + outerY) / 2, (start + end) / 2);
    return {
      name: wedge.name,
      kind: "SEATED" as const,
      capacity: rows.reduce((sum, row) => sum + row.seats.length, 0),
      priceFactor: wedge.priceFactor,
      shape: { polygon, label: [round(middle.x), round(middle.y)] },
      rows,
    };
  });
}

function generalAdmission(
  name: string,
  capacity: number,
  priceFactor: number,
  box: { x: number; y: number; width: number; height: number },
): SectionSpec {
  const { x, y, width, height } = box;
  return {
    name,
    kind: "GENERAL_ADMISSION",
    capacity,
    priceFactor,
    shape: {
      polygon: [
        [x, y],
        [x + width, y],
        [x + width, y + height],
        [x, y + height],
      ],
      label: [x + width / 2, y + height / 2],
    },
    rows: [],
  };
}

/** Evenly split [from, to] degrees into `count` named wedges. */
function wedges(
  from: number,
  to: number,
  count: number,
  name: (index: number) => string,
  priceFactor: (middleDeg: number) => number,
) {
  const size = (to - from) / count;
  return Array.from({ length: count }, (_, index) => ({
    name: name(index),
    startDeg: from + index * size,
    endDeg: from + (index + 1) * size,
    priceFactor: priceFactor(from + (index + 0.5) * size),
  }));
}

const letters = (index: number) =>
  index < 26 ? String.fromCharCode(65 + index) : `A${String.fromCharCode(65 + index - 26)}`;

/** Angular distance from straight-on (90° = facing the stage from the far end). */
const centrality = (deg: number) => Math.abs(((deg % 360) + 360) % 360 - 90);

/**
 * An end-stage arena: a floor standing area in front of the stage, a lower bowl of 20 sections
 * (101–120) and an upper bowl of 24 sections (201–224) wrapping around the floor, with the sections
 * behind the stage left out. About 19,000 seats plus 2,500 standing.
 */
export function arenaLayout(): VenueLayout {
  const stage = { x: 0, y: -215 };
  const center = { x: 0, y: 0 };
  // The bowl covers 305° → 595° (i.e. 235° the next turn), leaving the 70° behind the stage empty.
  const lowerBowl = tierSections(
    {
      center,
      radiusX: 260,
      radiusY: 330,
      rowDepth: 9,
      rowCount: 18,
      rowLabel: letters,
      seatWidth: 5,
      aisleDeg: 1.2,
      wedges: wedges(305, 595, 20, (i) => String(101 + i), (deg) => (centrality(deg) < 90 ? 1.6 : 1.3)),
    },
    stage,
  );
  const upperBowl = tierSections(
    {
      center,
      radiusX: 440,
      radiusY: 510,
      rowDepth: 10,
      rowCount: 23,
      rowLabel: (i) => String(i + 1),
      seatWidth: 5,
      aisleDeg: 1,
      wedges: wedges(300, 600, 24, (i) => String(201 + i), (deg) => (centrality(deg) < 90 ? 0.9 : 0.7)),
    },
    stage,
  );
  return {
    stage,
    map: {
      width: 1500,
      height: 1560,
      origin: { x: -750, y: -760 },
      stage: { x: -110, y: -250, width: 220, height: 60 },
    },
    sections: [
      generalAdmission("Floor", 2500, 1.2, { x: -170, y: -180, width: 340, height: 420 }),
      ...lowerBowl,
      ...upperBowl,
    ],
  };
}

/** A proscenium theatre: stalls, dress circle and upper circle, each split left/centre/right. */
export function theatreLayout(options: { scale?: number } = {}): VenueLayout {
  const scale = options.scale ?? 1;
  const stage = { x: 0, y: -150 };
  const center = { x: 0, y: -260 };
  const split = (tier: string, factor: number) => [
    { name: `${tier} Right`, startDeg: 55, endDeg: 75, priceFactor: factor * 0.85 },
    { name: `${tier} Centre`, startDeg: 75, endDeg: 105, priceFactor: factor },
    { name: `${tier} Left`, startDeg: 105, endDeg: 125, priceFactor: factor * 0.85 },
  ];
  const tiers: TierSpec[] = [
    {
      center,
      radiusX: 130,
      radiusY: 130,
      rowDepth: 9,
      rowCount: Math.round(20 * scale),
      rowLabel: letters,
      seatWidth: 5,
      aisleDeg: 1.5,
      wedges: split("Stalls", 1.4),
    },
    {
      center,
      radiusX: 330,
      radiusY: 330,
      rowDepth: 9,
      rowCount: Math.round(8 * scale),
      rowLabel: (i) => `D${i + 1}`,
      seatWidth: 5,
      aisleDeg: 1.5,
      wedges: split("Dress Circle", 1.2),
    },
    {
      center,
      radiusX: 420,
      radiusY: 420,
      rowDepth: 9,
      rowCount: Math.round(9 * scale),
      rowLabel: (i) => `U${i + 1}`,
      seatWidth: 5,
      aisleDeg: 1.5,
      wedges: split("Upper Circle", 0.7),
    },
  ];
  return {
    stage,
    map: { width: 800, height: 560, origin: { x: -400, y: -200 }, stage: { x: -120, y: -190, width: 240, height: 40 } },
    sections: tiers.flatMap((tier) => tierSections(tier, stage)),
  };
}

/** A standing-room club: a main floor and a balcony, both general admission. */
export function clubLayout(): VenueLayout {
  return {
    stage: { x: 0, y: -100 },
    map: { width: 400, height: 320, origin: { x: -200, y: -130 }, stage: { x: -80, y: -125, width: 160, height: 30 } },
    sections: [
      generalAdmission("Main Floor", 1200, 1, { x: -150, y: -90, width: 300, height: 200 }),
      generalAdmission("Balcony", 300, 1.2, { x: -180, y: 120, width: 360, height: 60 }),
    ],
  };
}

/** An outdoor amphitheatre: reserved seating on a fan of arcs, with a general-admission lawn behind. */
export function amphitheatreLayout(): VenueLayout {
  const stage = { x: 0, y: -100 };
  const seated = tierSections(
    {
      center: stage,
      radiusX: 70,
      radiusY: 70,
      rowDepth: 9,
      rowCount: 24,
      rowLabel: (i) => String(i + 1),
      seatWidth: 5,
      aisleDeg: 2,
      wedges: [
        { name: "Reserved Right", startDeg: 35, endDeg: 70, priceFactor: 1.1 },
        { name: "Reserved Centre", startDeg: 70, endDeg: 110, priceFactor: 1.3 },
        { name: "Reserved Left", startDeg: 110, endDeg: 145, priceFactor: 1.1 },
      ],
    },
    stage,
  );
  return {
    stage,
    map: { width: 760, height: 560, origin: { x: -380, y: -140 }, stage: { x: -70, y: -130, width: 140, height: 40 } },
    sections: [...seated, generalAdmission("Lawn", 4000, 0.6, { x: -330, y: 210, width: 660, height: 200 })],
  };
}

export function seatCount(layout: VenueLayout): number {
  return layout.sections.reduce(
    (sum, section) => sum + section.rows.reduce((rowSum, row) => rowSum + row.seats.length, 0),
    0,
  );
}
