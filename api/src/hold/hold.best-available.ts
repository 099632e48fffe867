/**
 * Best available seats in one seated section: pure functions over the section's layout and the set of
 * free seats, so they are tested without a database.
 *
 * - Contiguous seats in one row first. Seats are adjacent when their numbers are consecutive; a gap
 *   in numbering (an aisle) ends a block like the row's end does.
 * - Blocks are scored by closeness to the stage (mean precomputed stage distance) and centrality
 *   (distance of the block's centre from the centre of its row block), lower is better.
 * - A block that would leave a single free seat between taken seats or at a row end is only chosen when
 *   no other block of that size exists.
 * - Only when no block fits the whole quantity: the best split, largest groups first.
 */
export interface LayoutSeat {
  id: string;
  number: number;
  x: number;
  y: number;
  stageDistance: number;
}

export interface LayoutRow {
  label: string;
  /** Seats in number order. */
  seats: LayoutSeat[];
}

/** Weight of off-centre distance against stage distance (both in venue map units). */
const CENTRALITY_WEIGHT = 0.5;

interface Window {
  seats: LayoutSeat[];
  strands: number;
  score: number;
}

/** Runs of consecutively numbered seats of a row (the blocks a group can sit in together). */
export function physicalBlocks(row: LayoutRow): LayoutSeat[][] {
  const blocks: LayoutSeat[][] = [];
  let current: LayoutSeat[] = [];
  for (const seat of row.seats) {
    const previous = current[current.length - 1];
    if (previous && seat.number !== previous.number + 1) {
      blocks.push(current);
      current = [];
    }
    current.push(seat);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function bestWindow(rows: readonly LayoutRow[], isFree: (seatId: string) => boolean, size: number): Window | null {
  let best: Window | null = null;
  for (const row of rows) {
    for (const block of physicalBlocks(row)) {
      const centre = block[Math.floor((block.length - 1) / 2)]!;
      let runStart = 0;
      for (let index = 0; index <= block.length; index++) {
        if (index < block.length && isFree(block[index]!.id)) continue;
        const runLength = index - runStart;
        for (let offset = 0; offset + size <= runLength; offset++) {
          const seats = block.slice(runStart + offset, runStart + offset + size);
          const left = offset;
          const right = runLength - size - offset;
          const strands = (left === 1 ? 1 : 0) + (right === 1 ? 1 : 0);
          const middle = { x: (seats[0]!.x + seats[seats.length - 1]!.x) / 2, y: (seats[0]!.y + seats[seats.length - 1]!.y) / 2 };
          const stage = seats.reduce((sum, seat) => sum + seat.stageDistance, 0) / seats.length;
          const score = stage + CENTRALITY_WEIGHT * Math.hypot(middle.x - centre.x, middle.y - centre.y);
          if (!best || (strands > 0 ? 1 : 0) < (best.strands > 0 ? 1 : 0) || ((strands > 0) === (best.strands > 0) && score < best.score)) {
            best = { seats, strands, score };
          }
        }
        runStart = index + 1;
      }
    }
  }
  return best;
}

function longestRun(rows: readonly LayoutRow[], isFree: (seatId: string) => boolean): number {
  let longest = 0;
  for (const row of rows) {
    for (const block of physicalBlocks(row)) {
      let run = 0;
      for (const seat of block) {
        run = isFree(seat.id) ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
    }
  }
  return longest;
}

/** The best `quantity` free seats of a section, or null when fewer are free. */
export function chooseBestAvailable(rows: readonly LayoutRow[], free: ReadonlySet<string>, quantity: number): string[] | null {
  const taken = new Set<string>();
  const isFree = (seatId: string) => free.has(seatId) && !taken.has(seatId);
  const chosen: string[] = [];
  let remaining = quantity;
  while (remaining > 0) {
    const size = Math.min(remaining, longestRun(rows, isFree));
    if (size === 0) return null;
    const window = bestWindow(rows, isFree, size)!;
    for (const seat of window.seats) {
      chosen.push(seat.id);
      taken.add(seat.id);
    }
    remaining -= size;
  }
  return chosen;
}
