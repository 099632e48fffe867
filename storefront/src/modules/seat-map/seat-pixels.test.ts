import { describe, expect, it } from "vitest";
import { fillSquare, pixelOf } from "./seat-pixels";

const bytesOf = (pixel: number) => [...new Uint8ClampedArray(new Uint32Array([pixel]).buffer)];

describe("seat pixels", () => {
  it("packs a colour as the RGBA bytes of one ImageData pixel", () => {
    expect(bytesOf(pixelOf("#1b7f3b"))).toEqual([0x1b, 0x7f, 0x3b, 255]);
    expect(bytesOf(pixelOf("#ff7a00", 0.28))).toEqual([0xff, 0x7a, 0x00, 71]);
  });

  it("fills a square snapped to device pixels, at least one pixel, clipped to the buffer", () => {
    const pixels = new Uint32Array(5 * 4);
    fillSquare(pixels, 5, 4, 0.6, 0.6, 2.4, 2.4, 7);
    fillSquare(pixels, 5, 4, 3.9, 3.2, 4.1, 3.4, 8);
    fillSquare(pixels, 5, 4, -1, 2.6, 0.6, 9, 9);
    expect([...pixels]).toEqual([
      0, 0, 0, 0, 0,
      0, 7, 0, 0, 0,
      0, 0, 0, 0, 0,
      9, 0, 0, 0, 8,
    ]);
  });
});
