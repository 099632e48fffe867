/**
 * Seats from afar, written straight into pixels. Zoomed out, an arena's 18,000 seats are squares of a
 * few pixels each: as canvas paths (one rect per seat, then a fill) they cost the first frame most of
 * its time at a phone's CPU speed, while writing each square's few pixels into one buffer and
 * drawing that buffer once costs a few milliseconds. Squares are snapped to device pixels (no
 * anti-aliasing, which a 2 px square does not need). Up close, where seats are circles with marks
 * and outlines, the map draws paths as before.
 */

/** A colour as one 32-bit pixel of an ImageData buffer (RGBA bytes in memory order, whatever the machine's endianness). */
export function pixelOf(hex: string, alpha = 1): number {
  const bytes = new Uint8ClampedArray(4);
  const value = Number.parseInt(hex.slice(1), 16);
  bytes[0] = (value >> 16) & 0xff;
  bytes[1] = (value >> 8) & 0xff;
  bytes[2] = value & 0xff;
  bytes[3] = Math.round(alpha * 255);
  return new Uint32Array(bytes.buffer)[0]!;
}

/**
 * Fills the square from (left, top) to (right, bottom), in device pixels, clipped to a `width` ×
 * `height` buffer; a square thinner than a pixel still covers one.
 */
export function fillSquare(pixels: Uint32Array, width: number, height: number, left: number, top: number, right: number, bottom: number, pixel: number): void {
  let x0 = Math.round(left);
  let y0 = Math.round(top);
  let x1 = Math.max(x0 + 1, Math.round(right));
  let y1 = Math.max(y0 + 1, Math.round(bottom));
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > width) x1 = width;
  if (y1 > height) y1 = height;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = x0; x < x1; x++) pixels[row + x] = pixel;
  }
}

/** One frame's seat pixels: begin, fill squares, then draw over the canvas. The buffer is kept between frames. */
export class SeatPixels {
  private layer: HTMLCanvasElement | null = null;
  private image: ImageData | null = null;
  pixels = new Uint32Array(0);
  width = 0;
  height = 0;

  /** Starts a frame of `width` × `height` device pixels, all transparent. */
  begin(deviceWidth: number, deviceHeight: number): void {
    // A hidden map has a 0 × 0 canvas, and ImageData cannot be empty.
    const width = Math.max(1, deviceWidth);
    const height = Math.max(1, deviceHeight);
    if (!this.image || this.width !== width || this.height !== height) {
      this.layer ??= document.createElement("canvas");
      this.layer.width = width;
      this.layer.height = height;
      this.image = new ImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
      this.width = width;
      this.height = height;
    } else {
      this.pixels.fill(0);
    }
  }

  /** Draws the frame's pixels over what `context` holds, one device pixel for one. */
  end(context: CanvasRenderingContext2D): void {
    if (!this.layer || !this.image) return;
    this.layer.getContext("2d")!.putImageData(this.image, 0, 0);
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.globalAlpha = 1;
    context.drawImage(this.layer, 0, 0);
    context.restore();
  }
}
