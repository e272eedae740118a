import { runtime } from "../runtime";

// A server action can set cookies (next/headers) but no other response header,
// and the sign-in action must send one: DBSC's Secure-Session-Registration
// (device-binding.ts). The front door (server.ts) serves every request inside
// runtime().currentResponse, an AsyncLocalStorage that follows the request
// through Next.js, so an action can add a header before Next.js writes the head.

/** Adds a header to the response of the request being served. False where there is none to add to (headers already sent, or no front door). */
export function setResponseHeader(name: string, value: string): boolean {
  const response = runtime().currentResponse.getStore();
  if (!response || response.headersSent) return false;
  response.setHeader(name, value);
  return true;
}
