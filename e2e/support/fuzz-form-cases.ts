import { fuzzEmail, fuzzPassword } from "./fuzz-credentials";
import { asLatin1, forFormUrlEncoded, percentEncodeControls } from "./fuzz-encoding";
import { ALL_BUT_REAL, pickFamily, type FuzzCase, type World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { FAMILIES, fuzzValue, type Family } from "./fuzz-values";
import { jsActionParts, multipartBody, noJsActionParts, type Part } from "./server-actions";

// Cases against the sign-in form (POST /login): fuzzed form posts with or without a
// server action, and the signer's own sign-in with a fuzzed `next`.

function formValue(value: unknown, family: Family): string | Buffer {
  if (typeof value !== "string") return JSON.stringify(value) ?? "";
  return family === "bytes" ? Buffer.from(asLatin1(value), "latin1") : value;
}

export function formCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES);
  const fields: [string, string | Buffer][] = [
    ["email", formValue(fuzzEmail(rng, world, family), family)],
    ["password", formValue(fuzzPassword(rng, world, family), family)],
    ["next", formValue(fuzzValue(family, rng, world.secrets), family)],
  ];
  if (rng.chance(0.15)) fields.push([asLatin1(fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets)).slice(0, 200), "x"]);
  const variant = rng.weighted({
    "no-action multipart": 2,
    "no-action urlencoded": 2,
    "bogus Next-Action": 3,
    "bogus action field": 2,
    "real action (JS)": 3,
    "real action (no JS)": 3,
  });
  const headers: Record<string, string> = { origin: world.origin };
  let parts: Part[];
  switch (variant) {
    case "no-action urlencoded": {
      const body = fields.map(([name, value]) => `${forFormUrlEncoded(name, rng)}=${forFormUrlEncoded(value.toString("latin1"), rng)}`).join("&");
      return {
        index,
        family,
        target: `POST /login ${variant}`,
        request: {
          method: "POST",
          path: "/login",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: Buffer.from(body, "latin1"),
        },
        expect: { kind: "form" },
      };
    }
    case "no-action multipart":
      parts = fields.map(([name, value]) => ({ name, value }));
      break;
    case "bogus Next-Action": {
      const id = rng.chance(0.5) ? rng.bytes(21).toString("hex") : fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets);
      headers["next-action"] = percentEncodeControls(asLatin1(id)).slice(0, 4000);
      headers.accept = "text/x-component";
      parts = rng.chance(0.5) ? jsActionParts(world.signInHiddenFields, fields) : fields.map(([name, value]) => ({ name, value }));
      break;
    }
    case "bogus action field": {
      const id = rng.chance(0.5)
        ? rng.bytes(21).toString("hex")
        : asLatin1(fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets)).slice(0, 300);
      const hidden: [string, string][] = rng.chance(0.5)
        ? [[`$ACTION_ID_${id}`, ""]]
        : world.signInHiddenFields.map(([name, value]) => [name, name.endsWith(":0") ? JSON.stringify({ id, bound: "$@1" }) : value]);
      parts = noJsActionParts(hidden, fields);
      break;
    }
    case "real action (JS)":
      headers["next-action"] = world.signInActionId;
      headers.accept = "text/x-component";
      parts = jsActionParts(world.signInHiddenFields, fields);
      break;
    case "real action (no JS)":
      parts = noJsActionParts(world.signInHiddenFields, fields);
      break;
  }
  if (rng.chance(0.1)) {
    const file = Buffer.from(asLatin1(fuzzValue(family, rng, world.secrets)), "latin1");
    parts.push({ name: "email", value: file, filename: "x.txt", contentType: "text/plain" });
  }
  const { body, contentType } = multipartBody(parts, rng.bytes(8).toString("hex"));
  return {
    index,
    family,
    target: `POST /login ${variant}`,
    request: { method: "POST", path: "/login", headers: { ...headers, "content-type": contentType }, body },
    expect: { kind: "form" },
  };
}

export function signInCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES, { traversal: 8, percent: 2, crlf: 1.5, unicode: 1.5 });
  const next = fuzzValue(family, rng, world.secrets);
  const fields: [string, string][] = [
    ["next", next],
    ["email", world.signer.email],
    ["password", world.signer.password],
  ];
  const js = rng.chance(0.5);
  const headers: Record<string, string> = { origin: world.origin };
  if (js) {
    headers["next-action"] = world.signInActionId;
    headers.accept = "text/x-component";
  }
  const parts = js ? jsActionParts(world.signInHiddenFields, fields) : noJsActionParts(world.signInHiddenFields, fields);
  const { body, contentType } = multipartBody(parts, rng.bytes(8).toString("hex"));
  return {
    index,
    family,
    target: `POST /login sign-in with a fuzzed next (${js ? "JS" : "no JS"})`,
    request: { method: "POST", path: "/login", headers: { ...headers, "content-type": contentType }, body },
    expect: { kind: "sign-in" },
    authenticates: true,
    lane: "signer",
  };
}
