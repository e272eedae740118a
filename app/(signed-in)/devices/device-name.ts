import { MAX_DEVICE_NAME_LENGTH } from "@/lib/session/record";

/** A submitted device name, trimmed and without control characters; undefined when it is too long. */
export function deviceName(value: FormDataEntryValue | null): string | undefined {
  const name = (typeof value === "string" ? value : "").replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  return [...name].length > MAX_DEVICE_NAME_LENGTH ? undefined : name;
}
