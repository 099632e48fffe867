import { describe, expect, it } from "vitest";
import { addressBucket, canonical, clientAddress, trustedProxies, type ClientRequest } from "../../src/platform/client-address.js";
import { loadConfig } from "../../src/platform/config.js";

const request = (peer: string | undefined, forwardedFor?: string | string[]): ClientRequest => ({
  socket: { remoteAddress: peer },
  headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor as string },
});

const none = trustedProxies([]);
const proxy = trustedProxies(["10.0.0.0/8", "fd00::/8"]);

describe("client address", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("203.0.113.7"), none)).toBe("203.0.113.7");
    expect(clientAddress(request("203.0.113.7", "198.51.100.1"), none)).toBe("203.0.113.7");
    expect(clientAddress(request("127.0.0.1", "198.51.100.1, 198.51.100.2"), none)).toBe("127.0.0.1");
  });

  it("ignores a spoofed X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientAddress(request("203.0.113.7", "10.0.0.5"), proxy)).toBe("203.0.113.7");
    expect(clientAddress(request("203.0.113.7", "198.51.100.1, 10.0.0.5"), proxy)).toBe("203.0.113.7");
  });

  it("takes the hop a trusted proxy appended", () => {
    expect(clientAddress(request("10.0.0.2", "198.51.100.1"), proxy)).toBe("198.51.100.1");
  });

  it("walks from the right to the first hop that is not a trusted proxy, ignoring what the client wrote left of it", () => {
    // client wrote 192.0.2.66 itself; its real address 198.51.100.1 was appended by the outer proxy 10.1.1.1
    expect(clientAddress(request("10.0.0.2", "192.0.2.66, 198.51.100.1, 10.1.1.1"), proxy)).toBe("198.51.100.1");
    // a client pretending to be a trusted proxy gets no further than its own address
    expect(clientAddress(request("10.0.0.2", "10.9.9.9, 198.51.100.1"), proxy)).toBe("198.51.100.1");
  });

  it("takes the leftmost hop when every hop is a trusted proxy", () => {
    expect(clientAddress(request("10.0.0.2", "10.0.0.9, 10.0.0.3"), proxy)).toBe("10.0.0.9");
  });

  it("handles IPv6 peers and hops, written in one canonical form", () => {
    expect(clientAddress(request("fd00::2", "2001:DB8:0:0::1"), proxy)).toBe("2001:db8::1");
    expect(clientAddress(request("2001:db8::7", "198.51.100.1"), proxy)).toBe("2001:db8::7");
    expect(clientAddress(request("fd00::2", "fd00::3, 198.51.100.1"), proxy)).toBe("198.51.100.1");
  });

  it("matches IPv4-mapped IPv6 peers against IPv4 ranges and answers them as IPv4", () => {
    expect(clientAddress(request("::ffff:127.0.0.1"), none)).toBe("127.0.0.1");
    expect(clientAddress(request("::ffff:127.0.0.1", "198.51.100.1"), trustedProxies(["127.0.0.1/32"]))).toBe("198.51.100.1");
    expect(clientAddress(request("::ffff:10.0.0.2", "::ffff:198.51.100.1"), proxy)).toBe("198.51.100.1");
    expect(clientAddress(request("::ffff:203.0.113.7", "198.51.100.1"), proxy)).toBe("203.0.113.7");
  });

  it("falls back to the trusted proxy that reported a malformed hop", () => {
    expect(clientAddress(request("10.0.0.2", "not-an-address"), proxy)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", "198.51.100.1:4711"), proxy)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", "198.51.100.1, not-an-address, 10.0.0.3"), proxy)).toBe("10.0.0.3");
    expect(clientAddress(request("10.0.0.2", " , ,"), proxy)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", ""), proxy)).toBe("10.0.0.2");
  });

  it("reads repeated X-Forwarded-For headers as one list", () => {
    expect(clientAddress(request("10.0.0.2", ["192.0.2.66", "198.51.100.1"]), proxy)).toBe("198.51.100.1");
  });

  it("gives each spelling its canonical form however often it is asked, and past the size of its memory", () => {
    const spellings: [string, string][] = [
      ["::ffff:203.0.113.7", "203.0.113.7"],
      ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
      ["203.0.113.7", "203.0.113.7"],
      ["not an address", "not an address"],
    ];
    for (let round = 0; round < 3; round++) for (const [spelling, form] of spellings) expect(canonical(spelling)).toBe(form);
    // More distinct addresses than are remembered: each is still answered right, the first ones again too.
    for (let n = 0; n < 12_000; n++) expect(canonical(`::ffff:10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`)).toBe(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
    for (const [spelling, form] of spellings) expect(canonical(spelling)).toBe(form);
  });

  it("answers unknown for a socket that has already gone", () => {
    expect(clientAddress(request(undefined, "198.51.100.1"), proxy)).toBe("unknown");
  });

  it("reads TRUSTED_PROXIES as a comma-separated list and refuses an entry that is not an address or range", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: " 10.0.0.0/8, fd00::/8 ,172.28.0.2" }).trustedProxies).toEqual(["10.0.0.0/8", "fd00::/8", "172.28.0.2"]);
    expect(() => loadConfig({ TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("address bucket of per-address limits", () => {
  it("is an IPv4 address itself", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 of an IPv6 address, so one subscriber cannot take a fresh address per attempt", () => {
    expect(addressBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(addressBucket("fe80::1%eth0")).toBe("fe80::/64");
  });

  it("leaves anything else as it is", () => {
    expect(addressBucket("unknown")).toBe("unknown");
  });
});
