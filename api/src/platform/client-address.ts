/**
 * The client's address, the key of per-address rate limits (logins, registrations, waiting-room
 * joins), for HTTP requests and WebSocket upgrades alike.
 *
 * Behind a reverse proxy the socket peer is the proxy, shared by every fan. `X-Forwarded-For` is
 * believed only when the peer is a trusted proxy (TRUSTED_PROXIES): the list is walked from the right
 * (the hop the nearest proxy appended) and the first hop that is not itself a trusted proxy is the
 * client. Everything left of it was written by the client and is ignored, and from an untrusted peer
 * the header is ignored altogether, so nobody can choose their own rate-limit bucket by sending one.
 * When every hop is trusted the leftmost one is the client.
 *
 * The walk and the CIDR matching are proxy-addr's: it is the implementation of exactly this rule that
 * Express's `trust proxy` uses, maintained with Express, and it gets the IPv4-mapped IPv6 forms right
 * (a socket on a dual-stack port reports `::ffff:10.0.0.2`, which must match `10.0.0.0/8`).
 * ipaddr.js, its own dependency, then writes the answer in one canonical form, so `::ffff:203.0.113.7`
 * and `203.0.113.7`, or two spellings of one IPv6 address, share a bucket.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";

/** Whether an address is a trusted proxy (compiled once from TRUSTED_PROXIES). */
export type TrustedProxies = (address: string, hop: number) => boolean;

/** What is read of a request: the socket peer and the X-Forwarded-For header. */
export interface ClientRequest {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}

/**
 * Compiles addresses and CIDR ranges (IPv4 or IPv6; also proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`); throws on an entry that is neither. An empty list trusts nobody.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  return proxyAddr.compile([...entries]);
}

/** The client's address as a canonical string; "unknown" when the socket has already gone. */
export function clientAddress(request: ClientRequest, trust: TrustedProxies): string {
  const peer = request.socket.remoteAddress;
  if (!peer) return "unknown";
  const forwardedFor = request.headers["x-forwarded-for"];
  // No header (every request without a proxy in front): the peer is the client, and proxy-addr's
  // parsing and walk would only say so on every request of the hot path.
  if (forwardedFor === undefined) return canonical(peer);
  // proxy-addr reads only these two fields of the request.
  const chain = proxyAddr.all(
    { socket: { remoteAddress: peer }, headers: { "x-forwarded-for": Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor } } as unknown as IncomingMessage,
    trust,
  );
  let address = chain[chain.length - 1]!;
  // A hop that is not an address (a port appended, garbage): the trusted proxy that reported it is
  // the most that is known. Only that one hop can be malformed: the walk stops at it, since proxy-addr
  // never trusts what it cannot parse.
  if (isIP(address) === 0) address = chain[chain.length - 2] ?? peer;
  return canonical(address);
}

/**
 * The key of per-address limits: an IPv4 address itself, an IPv6 address's /64. One IPv6 subscriber
 * (a home, a phone) is given a whole /64 and can take a fresh address from it for every request, so
 * counting single IPv6 addresses would limit nobody.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  try {
    const parts = ipaddr.IPv6.parse(address).parts;
    return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
  } catch {
    return address;
  }
}

/**
 * Canonical forms already computed. ipaddr.js parses and prints an address on every call: ~5 µs, 2.4%
 * of the API's CPU per waiting-room join (docs/PERFORMANCE.md), spent on the same few peers again and
 * again (a connection's requests, a proxy's clients). The form is a pure function of the text, so it is
 * remembered; the map is emptied when full, so a flood of distinct addresses costs at most a re-parse.
 */
const canonicalForms = new Map<string, string>();
const MAX_CANONICAL_FORMS = 10_000;

export function canonical(address: string): string {
  let form = canonicalForms.get(address);
  if (form === undefined) {
    try {
      form = ipaddr.process(address).toString();
    } catch {
      form = address;
    }
    if (canonicalForms.size >= MAX_CANONICAL_FORMS) canonicalForms.clear();
    canonicalForms.set(address, form);
  }
  return form;
}
