import { describe, expect, it } from "vitest";
import { peerIsTrustedProxy, resolveClientAddress } from "../lib/web/client-address";
import { parseTrustProxy } from "../lib/runtime/config";

const none = parseTrustProxy(undefined);

describe("resolveClientAddress", () => {
  it("believes the socket alone when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.7", none)).toBe("127.0.0.1");
    expect(resolveClientAddress("::ffff:203.0.113.9", "198.51.100.7, 10.0.0.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("::1", undefined, none)).toBe("::1");
    for (const off of ["", "0", "false", "off"]) expect(parseTrustProxy(off)).toEqual({ kind: "none" });
  });

  it("with a hop count takes the entry the last trusted hop wrote, never one further left", () => {
    const oneHop = parseTrustProxy("1");
    // A client forges "198.51.100.7"; the proxy appends the address it saw.
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7, 203.0.113.9", oneHop)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", "203.0.113.9", oneHop)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7, 203.0.113.9, 10.0.0.3", parseTrustProxy("2"))).toBe("203.0.113.9");
    // Fewer entries than hops: the left-most there is.
    expect(resolveClientAddress("10.0.0.2", "203.0.113.9", parseTrustProxy("5"))).toBe("203.0.113.9");
  });

  it("with a list takes the right-most address that is not a trusted proxy", () => {
    const trust = parseTrustProxy("10.0.0.0/8, ::1, 192.0.2.1");
    expect(resolveClientAddress("10.1.2.3", "198.51.100.7, 203.0.113.9, 10.0.0.3", trust)).toBe("203.0.113.9");
    expect(resolveClientAddress("::1", "203.0.113.9", trust)).toBe("203.0.113.9");
    // The peer is not a proxy of ours: its X-Forwarded-For is the client's own words.
    expect(resolveClientAddress("203.0.113.50", "198.51.100.7", trust)).toBe("203.0.113.50");
    // A forged chain of trusted-looking addresses ends at the left-most.
    expect(resolveClientAddress("10.0.0.1", "10.9.9.9, 10.8.8.8", trust)).toBe("10.9.9.9");
  });

  it("stops at an entry that is not an address, keeping the last good one", () => {
    const trust = parseTrustProxy("10.0.0.0/8");
    expect(resolveClientAddress("10.0.0.1", "198.51.100.7, not-an-ip", trust)).toBe("10.0.0.1");
    expect(resolveClientAddress("10.0.0.1", "203.0.113.9, 10.0.0.2, <script>", trust)).toBe("10.0.0.1");
  });

  it("knows which peers are proxies", () => {
    expect(peerIsTrustedProxy("10.0.0.1", none)).toBe(false);
    expect(peerIsTrustedProxy("10.0.0.1", parseTrustProxy("1"))).toBe(true);
    expect(peerIsTrustedProxy("::ffff:10.0.0.1", parseTrustProxy("10.0.0.0/8"))).toBe(true);
    expect(peerIsTrustedProxy("203.0.113.9", parseTrustProxy("10.0.0.0/8"))).toBe(false);
  });

  it("refuses a TRUST_PROXY it cannot read", () => {
    expect(() => parseTrustProxy("proxy.internal")).toThrow();
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow();
  });
});
