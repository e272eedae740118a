import { isEndReason, type EndReason } from "../session/end-reason";

// "Why am I signed out?", on the sign-in page. The proxy asks Redis once when a
// browser comes to /login with a well-formed cookie whose session is gone
// (store.endReason: the marker the ending left, or "expired" without one), and
// hands the reason to the page in a request header that it always overwrites, so
// a client cannot put words on the page. Works without JavaScript: a reload of a
// page of a revoked session lands here with its reason.

const END_HEADER = "x-session-ended";

export const END_MESSAGES: Record<EndReason, string | undefined> = {
  revoked: "You were signed out from another device.",
  admin: "An administrator signed you out.",
  expired: "Your session expired. Sign in again.",
  "signed-out": "You signed out.",
  // The same browser signed in again: its new cookie replaced this one; nothing to tell.
  replaced: undefined,
};

/** Removes whatever a client sent under the header's name (the proxy does it on every request). */
export function dropEndNotice(headers: Headers): void {
  headers.delete(END_HEADER);
}

export function setEndNotice(headers: Headers, reason: EndReason): void {
  headers.set(END_HEADER, reason);
}

/** The message for the page, if the proxy found an ended session behind this request's cookie. */
export function endNoticeOf(headers: Headers): string | undefined {
  const reason = headers.get(END_HEADER);
  return isEndReason(reason) ? END_MESSAGES[reason] : undefined;
}
