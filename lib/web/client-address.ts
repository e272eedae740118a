import { isIP } from "node:net";
import type { TrustProxy } from "../runtime/config";
import { stampValue, verifyStamp } from "./stamp";

// Who is the client? The socket's peer address, unless that peer is a proxy the
// operator trusts (TRUST_PROXY); then the right-most X-Forwarded-For entry that no
// trusted proxy wrote. Everything left of it was written by the client and is never
// believed: a forged "X-Forwarded-For: 198.51.100.7" moves nothing.

/** An IPv4 client on an IPv6 socket shows up as ::ffff:203.0.113.7. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

function isTrusted(address: string, trust: TrustProxy): boolean {
  if (trust.kind !== "list") return false;
  const family = isIP(address);
  return family !== 0 && trust.list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Whether the socket's peer is a proxy of ours (then its X-Forwarded-* headers are believed). */
export function peerIsTrustedProxy(peer: string, trust: TrustProxy): boolean {
  return trust.kind === "hops" ? trust.hops > 0 : isTrusted(normalizeAddress(peer), trust);
}

/**
 * The client's address from the socket peer and the X-Forwarded-For header.
 * The chain is read right to left: the peer, then what each proxy appended. Only
 * an entry written by a trusted proxy is believed; an entry that is not an IP
 * address ends the walk at the last good one.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const peerAddress = normalizeAddress(peer);
  if (trust.kind === "none" || !forwardedFor) return peerAddress;
  // Right to left: [peer, the entry the peer wrote, the entry before it, …].
  const chain = [peerAddress, ...forwardedFor.split(",").map(normalizeAddress).reverse()];
  let chosen = peerAddress;
  for (let i = 0; i < chain.length; i++) {
    const address = chain[i];
    if (i > 0 && isIP(address) === 0) break;
    chosen = address;
    const trusted = trust.kind === "hops" ? i < trust.hops : isTrusted(address, trust);
    if (!trusted) break;
  }
  return chosen;
}

// The front door (server.ts) hands the address to the app in this header, stamped
// so that a client who sends the header itself is not believed.
const CLIENT_ADDRESS_HEADER = "x-client-address";
const CLIENT_ADDRESS_STAMP = "client-address";

export function clientAddressHeader(secret: Buffer, address: string): [name: string, value: string] {
  return [CLIENT_ADDRESS_HEADER, stampValue(secret, CLIENT_ADDRESS_STAMP, address)];
}

/** The address the front door decided, or undefined when the request did not come through it. */
export function readClientAddress(secret: Buffer, headers: Headers): string | undefined {
  return verifyStamp(secret, CLIENT_ADDRESS_STAMP, headers.get(CLIENT_ADDRESS_HEADER));
}

export type ClientInfo = { ip: string; userAgent: string | null };

/**
 * The client as the front door (server.ts) saw it: the socket's peer, or, behind
 * proxies named in TRUST_PROXY, the right-most address they did not write. The
 * same address feeds the rate limits, the session's `ip` and the logs. Without
 * the front door's stamped header the address is "unknown", so such clients
 * share one rate-limit bucket rather than each choosing its own.
 */
export function clientInfoFrom(secret: Buffer, requestHeaders: Headers): ClientInfo {
  return { ip: readClientAddress(secret, requestHeaders) ?? "unknown", userAgent: requestHeaders.get("user-agent") };
}
