/**
 * The signer remembers tokens it accepted (auth.tokens.ts) so a fan's next request skips the HMAC. A
 * remembered token must answer exactly what a fresh verification answers: the same viewer while it
 * lives, null from the millisecond after its `exp` on, and forged or altered tokens are never
 * accepted, however often they are sent. Checked against a signer that remembers nothing (`kept: 0`).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenSigner, type Viewer } from "../../src/auth/auth.tokens.js";

const SECRET = "verified-tokens-test-secret-0123456789";
const fan: Viewer = { id: "4b8e7c2a-1f0d-4c3e-9a5b-6d7e8f901234", role: "FAN", organizationId: null, sessionVersion: 3 };

afterEach(() => {
  vi.useRealTimers();
});

describe("remembered tokens", () => {
  it("answer as a fresh verification does, and hand out a viewer of their own each time", async () => {
    const remembering = createTokenSigner(SECRET, 600);
    const fresh = createTokenSigner(SECRET, 600, { kept: 0 });
    const token = await remembering.sign(fan);
    const first = await remembering.verify(token);
    expect(first).toEqual(fan);
    first!.id = "changed by a caller";
    for (let i = 0; i < 3; i++) {
      expect(await remembering.verify(token)).toEqual(fan);
      expect(await remembering.verify(token)).toEqual(await fresh.verify(token));
    }
    // Another key's signer refuses it, remembered here or not.
    expect(await createTokenSigner("another-secret-0123456789abcdef", 600).verify(token)).toBeNull();
  });

  it("refuse a token from the millisecond after its exp, as fast-jwt does", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-03T10:00:00.000Z"));
    const remembering = createTokenSigner(SECRET, 60);
    const fresh = createTokenSigner(SECRET, 60, { kept: 0 });
    const token = await remembering.sign(fan);
    expect(await remembering.verify(token)).toEqual(fan);
    const expiresAt = new Date("2026-12-03T10:01:00.000Z").getTime();
    vi.setSystemTime(expiresAt);
    expect(await fresh.verify(token)).toEqual(fan);
    expect(await remembering.verify(token)).toEqual(fan);
    vi.setSystemTime(expiresAt + 1);
    expect(await fresh.verify(token)).toBeNull();
    expect(await remembering.verify(token)).toBeNull();
    expect(await remembering.verify(token)).toBeNull();
  });

  it("never accept an altered or forged token, even after the genuine one was remembered", async () => {
    const remembering = createTokenSigner(SECRET, 600);
    const token = await remembering.sign(fan);
    expect(await remembering.verify(token)).toEqual(fan);
    const [header, payload, signature] = token.split(".");
    const admin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "ADMIN" })).toString("base64url");
    const forged = await createTokenSigner("not-the-secret-0123456789abcdef", 600).sign({ ...fan, role: "ADMIN" });
    for (const bad of [`${header}.${admin}.${signature}`, `${token}x`, `${header}.${payload}.`, forged, `${token} `]) {
      expect(await remembering.verify(bad)).toBeNull();
      expect(await remembering.verify(bad)).toBeNull();
    }
    expect(await remembering.verify(token)).toEqual(fan);
  });

  it("with room for 2 tokens, 5 fans in turn still verify, forgotten and remembered alike", async () => {
    const remembering = createTokenSigner(SECRET, 600, { kept: 2 });
    const fans = Array.from({ length: 5 }, (_, index) => ({ ...fan, id: `${fan.id.slice(0, -1)}${index}` }));
    const tokens = await Promise.all(fans.map((viewer) => remembering.sign(viewer)));
    for (let round = 0; round < 2; round++) {
      for (const [index, token] of tokens.entries()) expect(await remembering.verify(token)).toEqual(fans[index]);
    }
  });
});
