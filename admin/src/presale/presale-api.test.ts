/** How a verified-fan file is cut into requests, and the panel's documents against the API schema. */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { csvPieces, PRESALE_DOCUMENTS } from "./presale-api";

describe("csvPieces", () => {
  it("repeats the header in every piece and numbers each piece's first line so data lines keep their file numbers", () => {
    const lines = ["Name,Email", ...Array.from({ length: 7 }, (_, index) => `Fan ${index + 2},fan${index + 2}@example.test`)];
    const pieces = csvPieces(`\uFEFF${lines.join("\r\n")}\r\n\r\n`, 1_000, 3);
    expect(pieces.map((piece) => piece.csv.split("\n")[0])).toEqual(["Name,Email", "Name,Email", "Name,Email"]);
    // Data line k of the file is at index k - firstLine of its piece (the header at index 0).
    for (const piece of pieces) {
      piece.csv
        .trim()
        .split("\n")
        .slice(1)
        .forEach((line, index) => expect(line).toContain(`fan${piece.firstLine + 1 + index}@`));
    }
    expect(pieces.reduce((rows, piece) => rows + piece.csv.trim().split("\n").length - 1, 0)).toBe(7);
  });

  it("a file without a header line is cut as it is, numbered from line 1", () => {
    const pieces = csvPieces("a@example.test\nb@example.test\nc@example.test", 1_000, 2);
    expect(pieces).toEqual([
      { csv: "a@example.test\nb@example.test\n", firstLine: 1 },
      { csv: "c@example.test\n", firstLine: 3 },
    ]);
  });

  it("keeps every piece under its size and loses no line of a large file", () => {
    const text = Array.from({ length: 50_000 }, (_, index) => `fan-${index}@example.test`).join("\n");
    const pieces = csvPieces(`email\n${text}`);
    expect(pieces.every((piece) => piece.csv.length <= 60_000 + 10)).toBe(true);
    expect(pieces.flatMap((piece) => piece.csv.trim().split("\n").slice(1))).toHaveLength(50_000);
  });
});

describe("documents against api/schema.graphql", () => {
  const schema = buildSchema(readFileSync(new URL("../../../api/schema.graphql", import.meta.url), "utf8"));
  for (const [field, document] of Object.entries(PRESALE_DOCUMENTS)) {
    it(`${field} is valid`, () => expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]));
  }
});
