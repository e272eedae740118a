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
    case "expired": {
      const device = event.device ?? all.find((other) => other.type === "signed-in" && other.session === event.session)?.device;
      return `Session expired${device ? ` on ${device}` : ""}`;
    }
  }
}
