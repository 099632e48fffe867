/**
 * Where row labels went in this frame, in screen pixels, so that one label never covers another.
 * A label's box is estimated from its length (bold digits and capitals are about 0.65 em wide), which
 * needs no text measuring per label; boxes are kept in 64 px buckets, so a check looks at a few.
 */
export class LabelSpace {
  private readonly buckets = new Map<number, number[]>();
  constructor(private readonly fontSize: number) {}

  /** Takes the space for a label of `length` characters centred on (x, y); false (and nothing taken) if a label already there overlaps it. */
  claim(x: number, y: number, length: number): boolean {
    const half = (length * this.fontSize * 0.65) / 2 + 1;
    const bx = Math.floor(x / 64);
    const by = Math.floor(y / 64);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const placed = this.buckets.get((bx + dx) * 0x10000 + by + dy);
        if (!placed) continue;
        for (let i = 0; i < placed.length; i += 3) {
          if (Math.abs(placed[i]! - x) < placed[i + 2]! + half && Math.abs(placed[i + 1]! - y) < this.fontSize * 0.9) return false;
        }
      }
    }
    const key = bx * 0x10000 + by;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(x, y, half);
    else this.buckets.set(key, [x, y, half]);
    return true;
  }
}
