import type { Activity } from "@/lib/session";

/** One line of "Recent activity" in words. An expired session is named by its sign-in line, when that is still in the log. */
export function activityText(event: Activity, all: Activity[]): string {
  switch (event.type) {
    case "signed-in":
      return `Signed in on ${event.device ?? "a device"}${event.ip ? ` from ${event.ip}` : ""}`;
    case "signed-out":
      return `Signed out on ${event.device ?? "a device"}`;
    case "revoked":
      return `${event.device ?? "A device"} was signed out${event.by ? ` from ${event.by}` : ""}`;
    case "password-changed":
      return `Password changed${event.by ? ` on ${event.by}` : ""}; other devices were signed out`;
    case "admin-signed-out":
      return `An administrator signed out ${event.count ?? 0} ${event.count === 1 ? "session" : "sessions"}`;
    case "device-bound":
      return `${sessionDevice(event, all) ?? "A device"} bound its session to its key`;
    case "binding-refused":
      return `A device-binding request for ${sessionDevice(event, all) ?? "a session"} was refused: ${BINDING_REFUSALS[event.why ?? ""] ?? "it could not be verified"}`;
    case "expired": {
      const device = sessionDevice(event, all);
      return `Session expired${device ? ` on ${device}` : ""}`;
    }
  }
}

/** The device of the session a line is about: its own, else the one its sign-in line named. */
function sessionDevice(event: Activity, all: Activity[]): string | undefined {
  return event.device ?? all.find((other) => other.type === "signed-in" && other.session === event.session)?.device;
}

/** lib/session/binding.ts: BindingRefusal, in words. */
const BINDING_REFUSALS: Record<string, string> = {
  malformed: "its signed proof was malformed",
  "wrong-key": "it was signed with the wrong key",
  challenge: "its challenge was unknown, expired or already used",
  "already-bound": "the session is already bound to another key",
  gone: "the session has ended",
};
