// A page's form as a browser without JavaScript sees and submits it: the form's
// own attributes and every named input of the rendered HTML, hidden ones with
// the values the server put there. Nothing here knows how the framework encodes
// its actions; whatever the hidden fields hold is posted back as it came, the way
// a browser does.

export type HtmlForm = {
  /** The form's action attribute ("" posts back to the page's own URL). */
  action: string;
  method: string;
  enctype: "multipart/form-data" | "application/x-www-form-urlencoded";
  /** Every named input in document order, with the value it was rendered with. */
  fields: [string, string][];
};

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag)?.[1];
  return value === undefined ? undefined : unescapeHtml(value);
}

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|quot|amp|lt|gt|apos);/gi, (entity, code: string) => {
    const named: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };
    if (code[0] !== "#") return named[code.toLowerCase()] ?? entity;
    return String.fromCodePoint(code[1].toLowerCase() === "x" ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
  });
}

/** The first form of the page, or undefined when it has none. */
export function readForm(html: string): HtmlForm | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) return undefined;
  const open = `<form ${match[1]}>`;
  const fields: [string, string][] = [];
  for (const tag of match[2].match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(tag, "name");
    if (name !== undefined) fields.push([name, attribute(tag, "value") ?? ""]);
  }
  const enctype = attribute(open, "enctype")?.toLowerCase() === "multipart/form-data" ? "multipart/form-data" : "application/x-www-form-urlencoded";
  return { action: attribute(open, "action") ?? "", method: (attribute(open, "method") ?? "GET").toUpperCase(), enctype, fields };
}

/**
 * The entries a user's submission sends: the rendered fields with `values` typed
 * into them (a name the form lacks is added at the end, as a crafted page could).
 */
export function fillForm(form: HtmlForm, values: Record<string, string>): [string, string][] {
  const entries: [string, string][] = form.fields.map(([name, value]) => [name, Object.hasOwn(values, name) ? values[name] : value]);
  for (const [name, value] of Object.entries(values)) if (!form.fields.some(([field]) => field === name)) entries.push([name, value]);
  return entries;
}

/** The body a browser sends for these entries, with the standard encoders (undici's FormData and URLSearchParams). */
export async function encodeForm(entries: [string, string][], enctype: HtmlForm["enctype"]): Promise<{ body: Buffer; contentType: string }> {
  if (enctype === "application/x-www-form-urlencoded") {
    return { body: Buffer.from(new URLSearchParams(entries).toString(), "utf8"), contentType: enctype };
  }
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  const response = new Response(data);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") ?? enctype };
}
