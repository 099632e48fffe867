/**
 * Where a webhook may go, and the POST itself.
 *
 * SSRF guard: a partner chooses the URL, and the API process POSTs to it from inside our network, so an
 * endpoint could aim at a database, a cloud metadata service (169.254.169.254) or the API itself. An
 * endpoint URL is refused unless it is http(s) (https only, in production) and every address its host
 * resolves to is public unicast: ipaddr.js classifies each address, and anything it does not call
 * `unicast` (private, loopback, link-local, unique-local, CGNAT, multicast, unspecified, broadcast,
 * reserved, and IPv6 forms that embed an IPv4 address such as 6to4, Teredo and NAT64) is refused.
 * IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
 *
 * The check runs when an endpoint is registered and again before every delivery, and the delivery
 * connects to the very address that was checked (http.request's `lookup` answers it), not to whatever
 * a second DNS lookup would say: a host that resolves to a public address for the check and to
 * 127.0.0.1 a moment later (DNS rebinding) cannot steer the request. TLS still verifies the
 * certificate for the URL's host name. Redirects are not followed (Standard Webhooks: a 3xx is a
 * failure), so a public endpoint cannot bounce the request inward either.
 *
 * WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=true (development and tests, whose receivers listen on 127.0.0.1)
 * lifts the address rule and the https rule; the lookup and pinning stay.
 */
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export interface AddressPolicy {
  /** WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: any address, and plain http even in production. */
  allowPrivate: boolean;
  production: boolean;
}

/** A URL that passed the guard, with the address it resolved to (the one to connect to). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type TargetCheck = { ok: true; target: CheckedTarget } | { ok: false; reason: string };

export const MAX_URL_LENGTH = 2_000;

/** Public unicast, as ipaddr.js classifies it (the IPv4 inside an IPv4-mapped IPv6 address is what is judged). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

/** The URL's form alone: scheme, no credentials, a host; https in production. */
export function checkUrlForm(raw: string, policy: AddressPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "the URL is not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "the URL must be http or https" };
  if (url.protocol === "http:" && policy.production && !policy.allowPrivate) return { ok: false, reason: "the URL must be https" };
  if (url.username || url.password) return { ok: false, reason: "the URL must not carry a user name or password" };
  if (!url.hostname) return { ok: false, reason: "the URL has no host" };
  return { ok: true, url };
}

/** Resolves the URL's host and checks every address it has; the first one is the one to connect to. */
export async function checkTarget(raw: string, policy: AddressPolicy, signal?: AbortSignal): Promise<TargetCheck> {
  const form = checkUrlForm(raw, policy);
  if (!form.ok) return form;
  const url = form.url;
  // WHATWG URL keeps IPv6 literals in brackets and normalises odd IPv4 forms (0x7f.1 → 127.0.0.1).
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: { address: string; family: number }[];
  try {
    addresses = await abortable(lookup(host, { all: true, verbatim: true }), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, reason: `the host ${host} could not be resolved` };
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} could not be resolved` };
  if (!policy.allowPrivate) {
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) return { ok: false, reason: `the host ${host} resolves to ${refused.address}, a private or reserved address; webhooks go to public addresses only` };
  }
  const first = addresses[0]!;
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export type PostOutcome = { status: number } | { error: string };

/**
 * POSTs `body` to the checked target, connecting to its checked address; resolves with the answer's
 * status once its headers arrive (the body is not read), or with the error (refused, reset, TLS,
 * aborted by `signal`). Never follows a redirect, never keeps the connection.
 */
export function postTo(target: CheckedTarget, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<PostOutcome> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    // net.connect may ask for every address (autoSelectFamily): answer the checked one either way.
    if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const { url } = target;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = client.request(
      {
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        signal,
      },
      (response) => {
        settle({ status: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on("error", (error) => settle({ error: signal.aborted ? "timed out" : error.message || String(error) }));
    request.end(body);
  });
}
