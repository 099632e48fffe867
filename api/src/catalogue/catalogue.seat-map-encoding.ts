/**
 * The seat map's compact positions. Seats of a section come in row then number order, so neighbours
 * sit a seat pitch apart: a position in tenths of a map unit, sent as the step from the previous
 * seat's, is a short integer that repeats along a row, and compresses about three times better than
 * the position itself (one decimal as a JSON float: 84 KB br for the seeded 19,000-seat arena, 25 KB
 * with steps; docs/PERFORMANCE.md). Rounding to 0.1 map unit is what the positions are stored with.
 */

/** `values` (map units) as steps in tenths of a map unit: the first rounded absolute, each next the difference from the previous rounded value. */
export function tenthSteps(values: readonly number[]): number[] {
  const steps = new Array<number>(values.length);
  let previous = 0;
  for (let index = 0; index < values.length; index++) {
    const tenths = Math.round(values[index]! * 10);
    steps[index] = tenths - previous;
    previous = tenths;
  }
  return steps;
}

/** The inverse of tenthSteps: positions in map units (to 0.1). */
export function fromTenthSteps(steps: readonly number[]): number[] {
  const values = new Array<number>(steps.length);
  let tenths = 0;
  for (let index = 0; index < steps.length; index++) {
    tenths += steps[index]!;
    values[index] = tenths / 10;
  }
  return values;
}
