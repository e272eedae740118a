import { headers } from "next/headers";

export type ClientInfo = { ip: string; userAgent: string | null };

/**
 * The address shown on the devices page. `next start` appends the peer address it
 * saw to X-Forwarded-For, so the last entry is the one a client cannot forge when
 * the app is reached directly. Behind a reverse proxy that is the proxy's address.
 */
export function clientInfoFrom(requestHeaders: Headers): ClientInfo {
  const forwarded = requestHeaders.get("x-forwarded-for") ?? "";
  const last = forwarded.split(",").map((part) => part.trim()).filter(Boolean).pop() ?? "unknown";
  // An IPv4 client reaching an IPv6 socket shows up as ::ffff:203.0.113.7.
  const ip = last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return { ip, userAgent: requestHeaders.get("user-agent") };
}

export async function currentClientInfo(): Promise<ClientInfo> {
  return clientInfoFrom(await headers());
}
