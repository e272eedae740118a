import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { guarded, type RedisClient } from "../redis/client";
import { defineAppScripts } from "../session";

// Sign-in attempts are counted in Redis before the password is checked, so even a
// burst of parallel guesses cannot pass the limit: the sixth attempt in a window is
// refused without ever reaching argon2. A success clears the email+IP counter and
// gives its attempt back to the other two, so only failures add up.
//
//   ratelimit:login:account:<sha256(email, ip)>   failures of one email from one IP
//   ratelimit:login:ip:<sha256(ip)>               failures from one IP, all emails
//   ratelimit:login:email:<sha256(email)>         failures of one email from all IPs
// The third stops a guess spread over many addresses. Since a stranger can fill it
// on purpose, a browser that already holds a live session of that user is not
// held back by it (docs/security.md, "Brute force").
//
// A session holder proving the password again (confirm, password change, account
// deletion) is counted apart, whatever the address it comes from, under the
// user's own hash tag: a stolen session must not buy unlimited guesses by
// rotating addresses, and strangers cannot fill these counters (they need the
// session), so the legitimate holder is never locked out by them:
//   session:{<uid>}:guesses:<session id>       failures of that session
//   session:{<uid>}:guesses:user:<user_id>     failures of all the user's sessions
// plus the per-IP counter above.
// Keys hold hashes, not emails or addresses, and every counter has a TTL. Each
// counter is its own key and its own command: no command spans two keys, so the
// counters may live on different nodes of a Redis Cluster.

/** Key names hold hashes of what they count (emails, addresses), never the values. */
export const digest = (...parts: string[]): string => createHash("sha256").update(parts.join("\n")).digest("base64url");

/**
 * What an address counts as: an IPv4 address itself, an IPv6 address by the
 * prefix it belongs to (RATE_LIMIT_IPV6_PREFIX, /64 by default: one host usually
 * holds a whole /64, and 2^64 addresses counted one by one would be no limit).
 * The address comes canonical from the front door (lib/web/client-address.ts).
 */
export function addressBucket(address: string, ipv6PrefixBits: number): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const part = (text: string): number[] => (text ? text.split(":").map((group) => parseInt(group, 16)) : []);
  const [front, back] = [part(head), part(tail)];
  const groups = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  const masked = groups.map((group, i) => {
    const kept = Math.min(16, Math.max(0, ipv6PrefixBits - i * 16));
    return kept === 0 ? 0 : group & (0xffff << (16 - kept)) & 0xffff;
  });
  return `${new URL(`http://[${masked.map((group) => group.toString(16)).join(":")}]/`).hostname.slice(1, -1)}/${ipv6PrefixBits}`;
}

export type LoginLimits = { perAccount: number; perIp: number; acrossIps: number; windowMs: number; ipv6PrefixBits: number };

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; limit: "account" | "ip" | "email" | "session" | "user" };

/** `holdsSession`: the client already holds a live session of this email's user. */
export type AttemptContext = { holdsSession: boolean };

/** Failures from one address (an IPv6 prefix), whatever the email: sign-ins and password proofs alike. */
function addressCounterKey(address: string, ipv6PrefixBits: number): string {
  return `ratelimit:login:ip:${digest(addressBucket(address, ipv6PrefixBits))}`;
}

export function loginCounterKeys(email: string, address: string, ipv6PrefixBits = 64): { account: string; ip: string; email: string } {
  const normalized = email.trim().toLowerCase();
  return {
    account: `ratelimit:login:account:${digest(normalized, addressBucket(address, ipv6PrefixBits))}`,
    ip: addressCounterKey(address, ipv6PrefixBits),
    email: `ratelimit:login:email:${digest(normalized)}`,
  };
}

/** The counters of a session holder's password proofs (see above). */
export function ownPasswordCounterKeys(owner: { id: number; uid: string }, sessionId: string, ip: string, ipv6PrefixBits = 64): { session: string; user: string; ip: string } {
  return {
    session: `session:{${owner.uid}}:guesses:${sessionId}`,
    user: `session:{${owner.uid}}:guesses:user:${owner.id}`,
    ip: addressCounterKey(ip, ipv6PrefixBits),
  };
}

export function createLoginLimiter(client: RedisClient, limits: LoginLimits, readyTimeoutMs: number) {
  defineAppScripts(client); // the counters' Lua (countAttempt, returnAttempt) lives with every other script

  const count = (key: string): Promise<[number, number]> => client.countAttempt(key, limits.windowMs);

  /** Counts this attempt and says whether it may go on to the password check. */
  async function attempt(email: string, ip: string, context: AttemptContext = { holdsSession: false }): Promise<AttemptVerdict> {
    const keys = loginCounterKeys(email, ip, limits.ipv6PrefixBits);
    const [[accountAttempts, accountTtl], [ipAttempts, ipTtl], [emailAttempts, emailTtl]] = await guarded(client, readyTimeoutMs, () =>
      Promise.all([count(keys.account), count(keys.ip), context.holdsSession ? Promise.resolve<[number, number]>([0, 0]) : count(keys.email)]),
    );
    if (accountAttempts > limits.perAccount) return { allowed: false, retryAfterMs: accountTtl, limit: "account" };
    if (ipAttempts > limits.perIp) return { allowed: false, retryAfterMs: ipTtl, limit: "ip" };
    if (emailAttempts > limits.acrossIps) return { allowed: false, retryAfterMs: emailTtl, limit: "email" };
    return { allowed: true };
  }

  /** After a successful sign-in: the email+IP failures are forgiven, the other counters get this attempt back. */
  async function succeeded(email: string, ip: string, context: AttemptContext = { holdsSession: false }): Promise<void> {
    const keys = loginCounterKeys(email, ip, limits.ipv6PrefixBits);
    await guarded(client, readyTimeoutMs, () =>
      Promise.all([client.del(keys.account), client.returnAttempt(keys.ip), context.holdsSession ? 0 : client.returnAttempt(keys.email)]),
    );
  }

  /**
   * A session holder's password proof: at most `perAccount` failures per session
   * and `acrossIps` per user (all their sessions), whatever the addresses, and
   * `perIp` per address, within the window.
   */
  async function attemptOwnPassword(owner: { id: number; uid: string }, sessionId: string, ip: string): Promise<AttemptVerdict> {
    const keys = ownPasswordCounterKeys(owner, sessionId, ip, limits.ipv6PrefixBits);
    const [[sessionAttempts, sessionTtl], [userAttempts, userTtl], [ipAttempts, ipTtl]] = await guarded(client, readyTimeoutMs, () =>
      Promise.all([count(keys.session), count(keys.user), count(keys.ip)]),
    );
    if (sessionAttempts > limits.perAccount) return { allowed: false, retryAfterMs: sessionTtl, limit: "session" };
    if (userAttempts > limits.acrossIps) return { allowed: false, retryAfterMs: userTtl, limit: "user" };
    if (ipAttempts > limits.perIp) return { allowed: false, retryAfterMs: ipTtl, limit: "ip" };
    return { allowed: true };
  }

  /** After a right password: the session's failures are forgiven, the user's and the address's counters get this attempt back. */
  async function ownPasswordSucceeded(owner: { id: number; uid: string }, sessionId: string, ip: string): Promise<void> {
    const keys = ownPasswordCounterKeys(owner, sessionId, ip, limits.ipv6PrefixBits);
    await guarded(client, readyTimeoutMs, () => Promise.all([client.del(keys.session), client.returnAttempt(keys.user), client.returnAttempt(keys.ip)]));
  }

  return { attempt, succeeded, attemptOwnPassword, ownPasswordSucceeded };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
