// Reads a JSON request body of at most `maxBytes`, without ever buffering more
// than that, and says in plain words what is wrong when it is not usable.

/**
 * JSON only: an HTML form from another site cannot send it, so a cross-site form
 * cannot make the server run argon2. Checked before the body is even read.
 */
export function declaresJson(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase() === "application/json";
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  const tooLarge = { ok: false, message: `Request body is larger than ${maxBytes} bytes` } as const;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return tooLarge;
  if (!request.body) return { ok: false, message: "Request body is missing: send JSON" };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge;
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { ok: false, message: "Request body is missing: send JSON" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: "Request body is not valid JSON" };
  }
}
