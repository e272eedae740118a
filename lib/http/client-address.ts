import { BlockList, isIP } from "node:net";
import { stampValue, verifyStamp } from "./stamp";

// Who is the client? The socket's peer address, unless that peer is a proxy the
// operator trusts (TRUST_PROXY); then the right-most X-Forwarded-For entry that no
// trusted proxy wrote. Everything left of it was written by the client and is never
// believed: a forged "X-Forwarded-For: 198.51.100.7" moves nothing.

export type TrustProxy =
  | { kind: "none" }
  /** The N right-most hops (the peer first) are proxies of ours. */
  | { kind: "hops"; hops: number }
  /** Peers whose address is in this list are proxies of ours. */
  | { kind: "list"; list: BlockList; text: string };

/** "1", "2"… (hop count) or "127.0.0.1,10.0.0.0/8,::1" (addresses and CIDRs); "", "0", "false" or "off" trust nobody. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? "").trim();
  if (text === "" || /^(0|false|off|no)$/i.test(text)) return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "hops", hops: Number(text) };
  const list = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
      list.addSubnet(address, bits, type);
    }
  }
  return { kind: "list", list, text };
}

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

export function clientAddressHeader(address: string): [name: string, value: string] {
  return [CLIENT_ADDRESS_HEADER, stampValue(CLIENT_ADDRESS_STAMP, address)];
}

/** The address the front door decided, or undefined when the request did not come through it. */
export function readClientAddress(headers: Headers): string | undefined {
  return verifyStamp(CLIENT_ADDRESS_STAMP, headers.get(CLIENT_ADDRESS_HEADER));
}
