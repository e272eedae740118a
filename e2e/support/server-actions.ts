import { readFileSync } from "node:fs";
import { join } from "node:path";

// Server actions as a client sends them, built by hand: the production build's
// manifest says which id belongs to which exported function, and the sign-in
// page's own HTML holds the hidden fields its no-JavaScript form posts.

type ManifestEntry = { filename?: string; exportedName?: string };

/** The id of a server action in the production build (.next/server/server-reference-manifest.json). */
export function serverActionId(filename: string, exportedName: string, root = process.cwd()): string {
  const path = join(root, ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as { node: Record<string, ManifestEntry> };
  const ids = Object.entries(manifest.node)
    .filter(([, entry]) => entry.filename === filename && entry.exportedName === exportedName)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`Expected one server action ${exportedName} from ${filename} in ${path}, found ${ids.length}`);
  return ids[0];
}

const ENTITIES: Record<string, string> = { "&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#x27;": "'", "&#39;": "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(?:quot|amp|lt|gt|#x27|#39);/g, (entity) => ENTITIES[entity]);
}

/** The hidden inputs of the first form on a page, in order ($ACTION_REF_1, $ACTION_1:0, …), as [name, value]. */
export function hiddenFormFields(html: string): [string, string][] {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  const fields: [string, string][] = [];
  for (const tag of form.match(/<input\b[^>]*>/g) ?? []) {
    if (!/\btype="hidden"/.test(tag)) continue;
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name === undefined) continue;
    fields.push([unescapeHtml(name), unescapeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? "")]);
  }
  return fields;
}

/** The action id a progressively enhanced form carries in its `$ACTION_n:0` field. */
export function actionIdOfForm(fields: [string, string][]): string | undefined {
  const reference = fields.find(([name]) => /^\$ACTION_\d+:0$/.test(name));
  if (!reference) return undefined;
  try {
    return (JSON.parse(reference[1]) as { id?: string }).id;
  } catch {
    return undefined;
  }
}

export type Part = { name: string; value: string | Buffer; filename?: string; contentType?: string };

/**
 * A multipart/form-data body. Values go out as UTF-8 (a string) or byte for byte
 * (a Buffer). The boundary is chosen so that it appears in no value.
 */
export function multipartBody(parts: Part[], boundaryHint = "fuzzboundary"): { body: Buffer; contentType: string } {
  const values = parts.map((part) => (Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, "utf8")));
  let boundary = `----${boundaryHint}`;
  while (values.some((value) => value.includes(boundary)) || parts.some((part) => part.name.includes(boundary))) boundary += "x";
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    // Names escaped as browsers do (", CR, LF), and the other control bytes too: a part header must stay a header.
    const name = part.name.replace(/["\x00-\x1f\x7f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename.replace(/["\x00-\x1f\x7f]/g, "")}"`;
    head += "\r\n";
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, "latin1"), values[i], Buffer.from("\r\n", "latin1"));
  });
  chunks.push(Buffer.from(`--${boundary}--\r\n`, "latin1"));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The fields of a sign-in as the browser posts them when JavaScript runs: React
 * sends the action's arguments `(previousState, formData)` as field "0"
 * (`[{}, "$K1"]`: an empty state, then the form under the prefix `_1_`).
 */
export function jsActionParts(hidden: [string, string][], fields: [string, string | Buffer][]): Part[] {
  return [
    ...hidden.map(([name, value]) => ({ name: `_1_${name}`, value })),
    ...fields.map(([name, value]) => ({ name: `_1_${name}`, value })),
    { name: "0", value: '[{},"$K1"]' },
  ];
}

/** The fields of a sign-in as the browser posts them without JavaScript (the form's hidden fields, then the inputs). */
export function noJsActionParts(hidden: [string, string][], fields: [string, string | Buffer][]): Part[] {
  return [...hidden.map(([name, value]) => ({ name, value })), ...fields.map(([name, value]) => ({ name, value }))];
}
