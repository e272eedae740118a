import { describe, expect, it } from "vitest";
import { addressBucket } from "../lib/limits/login";
import { canonicalAddress, peerIsTrustedProxy, resolveClientAddress } from "../lib/web/client-address";
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

describe("canonicalAddress: one text per address, whoever wrote it", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["203.0.113.7:4711", "203.0.113.7"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:DB8:0:0::1", "2001:db8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:CB00:7107", "203.0.113.7"],
    ["[::ffff:203.0.113.7]:80", "203.0.113.7"],
    ["unknown", "unknown"],
    ["203.0.113.7:99999999", "203.0.113.7:99999999"],
  ])("%s → %s", (text, canonical) => {
    expect(canonicalAddress(text)).toBe(canonical);
  });

  it("lets a proxy's entries with ports and brackets through the walk (one attacker cannot make every client the proxy)", () => {
    const oneHop = parseTrustProxy("1");
    expect(resolveClientAddress("10.0.0.2", "203.0.113.7:4711", oneHop)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.0.0.2", "[2001:DB8::1]:443", oneHop)).toBe("2001:db8::1");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7, [2001:db8::9]:1", oneHop)).toBe("2001:db8::9");
    expect(resolveClientAddress("10.0.0.2", "198.51.100.7:80, [2001:db8::9]:1", parseTrustProxy("2"))).toBe("198.51.100.7");
  });
});

describe("addressBucket: what a rate limit counts", () => {
  it("counts IPv4 by address and IPv6 by its /64 (or the prefix configured)", () => {
    expect(addressBucket("203.0.113.7", 64)).toBe("203.0.113.7");
    expect(addressBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64)).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2::1", 64)).toBe(addressBucket("2001:db8:1:2:ffff::9", 64));
    expect(addressBucket("2001:db8:1:3::1", 64)).not.toBe(addressBucket("2001:db8:1:2::1", 64));
    expect(addressBucket("2001:db8:1:2:3:4:5:6", 48)).toBe("2001:db8:1::/48");
    expect(addressBucket("2001:db8:1:2:3:4:5:6", 56)).toBe("2001:db8:1::/56");
    expect(addressBucket("2001:db8:1:2ff:3:4:5:6", 56)).toBe("2001:db8:1:200::/56");
    expect(addressBucket("2001:db8::5", 128)).toBe("2001:db8::5/128");
    expect(addressBucket("::1", 64)).toBe("::/64");
  });
});
