import { isIP } from "node:net";
import type { TrustProxy } from "../runtime/config";
import { stampValue, verifyStamp } from "./stamp";

// Who is the client? The socket's peer address, unless that peer is a proxy the
// operator trusts (TRUST_PROXY); then the right-most X-Forwarded-For entry that no
// trusted proxy wrote. Everything left of it was written by the client and is never
// believed: a forged "X-Forwarded-For: 198.51.100.7" moves nothing.

/**
 * One text per address, whoever wrote it: the port some proxies append
 * (`203.0.113.7:4711`, `[2001:db8::1]:443`) and the brackets go, the zone id
 * (`%eth0`) goes, IPv6 takes its canonical form (lower case, zeros compressed:
 * `2001:DB8:0:0::1` is `2001:db8::1`), and an IPv4 client on an IPv6 socket
 * (`::ffff:203.0.113.7`) is IPv4. Anything that is not an address comes back
 * trimmed, and fails the isIP check of whoever reads it.
 */
export function canonicalAddress(text: string): string {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.replace(/%[\w.-]+$/, "");
  if (isIP(address) === 4) return address;
  if (isIP(address) !== 6) return text.trim();
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

function isTrusted(address: string, trust: TrustProxy): boolean {
  if (trust.kind !== "list") return false;
  const family = isIP(address);
  return family !== 0 && trust.list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Whether the socket's peer is a proxy of ours (then its X-Forwarded-* headers are believed). */
export function peerIsTrustedProxy(peer: string, trust: TrustProxy): boolean {
  return trust.kind === "hops" ? trust.hops > 0 : isTrusted(canonicalAddress(peer), trust);
}

/**
 * The client's address from the socket peer and the X-Forwarded-For header.
 * The chain is read right to left: the peer, then what each proxy appended, each
 * entry in its canonical form (a port or brackets do not end the walk). Only an
 * entry written by a trusted proxy is believed; an entry that is not an IP
 * address ends the walk at the last good one.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const peerAddress = canonicalAddress(peer);
  if (trust.kind === "none" || !forwardedFor) return peerAddress;
  // Right to left: [peer, the entry the peer wrote, the entry before it, …].
  const chain = [peerAddress, ...forwardedFor.split(",").map(canonicalAddress).reverse()];
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
