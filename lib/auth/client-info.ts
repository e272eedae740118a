import { headers } from "next/headers";
import { readClientAddress } from "../http/client-address";
import { logEvent } from "../log";

export type ClientInfo = { ip: string; userAgent: string | null };

let warned = false;

/**
 * The client as the front door (server.ts) saw it: the socket's peer, or, behind
 * proxies named in TRUST_PROXY, the right-most address they did not write. The
 * same address feeds the rate limits, the session's `ip` and the logs. A request
 * that did not come through the front door (the app started with a bare `next
 * start`) has no trustworthy address: it is "unknown", so every such client
 * shares one rate-limit bucket rather than choosing its own.
 */
export function clientInfoFrom(requestHeaders: Headers): ClientInfo {
  const address = readClientAddress(requestHeaders);
  if (address === undefined && !warned) {
    warned = true;
    logEvent("client_address_unknown", { hint: "serve the app with server.ts (npm start) so the client's address is known" });
  }
  return { ip: address ?? "unknown", userAgent: requestHeaders.get("user-agent") };
}

export async function currentClientInfo(): Promise<ClientInfo> {
  return clientInfoFrom(await headers());
}
