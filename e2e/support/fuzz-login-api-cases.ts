import { fuzzEmail, fuzzPassword } from "./fuzz-credentials";
import { asLatin1, percentEncodeControls } from "./fuzz-encoding";
import { pickFamily, type FuzzCase, type World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { FAMILIES, fuzzValue, type Family } from "./fuzz-values";

// Cases against POST /api/auth/login: fuzzed JSON bodies, and the signer's own
// sign-in with extra fields.

function jsonLoginBody(rng: Rng, world: World, family: Family): { body: Buffer | Buffer[]; contentType?: string } {
  const email = (): unknown => fuzzEmail(rng, world, family);
  const password = (): unknown => fuzzPassword(rng, world, family);
  const variant = rng.weighted({
    object: 30,
    extra: 6,
    proto: 4,
    duplicate: 4,
    nested: 4,
    scalar: 4,
    garbage: 10,
    truncated: 6,
    oversized: 4,
    chunked: 3,
    bom: 2,
    utf16: 2,
    invalidUtf8: 3,
    empty: 2,
  });
  const contentType = rng.weighted({
    "application/json": 10,
    "text/plain": 1,
    none: 1,
    "application/json; charset=utf-16": 1,
    "multipart/form-data; boundary=x": 1,
    "application/x-www-form-urlencoded": 1,
  });
  const type = contentType === "none" ? undefined : contentType;
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");
  switch (variant) {
    case "object":
      return { body: json({ email: email(), password: password() }), contentType: type };
    case "extra":
      return {
        body: json({
          email: email(),
          password: password(),
          isAdmin: true,
          userId: 1,
          token: rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : ["x"]),
          next: "//evil.example",
        }),
        contentType: type,
      };
    case "proto":
      return {
        body: Buffer.from(
          rng.pick([
            `{"__proto__":{"isAdmin":true,"email":"a@b.example"},"email":${JSON.stringify(email())},"password":${JSON.stringify(password())}}`,
            `{"constructor":{"prototype":{"isAdmin":true}},"email":${JSON.stringify(email())},"password":"x"}`,
            `{"email":{"__proto__":{"toString":"x"}},"password":{"valueOf":1}}`,
          ]),
          "utf8",
        ),
        contentType: type,
      };
    case "duplicate":
      return {
        body: Buffer.from(`{"email":"x","email":${JSON.stringify(email())},"password":${JSON.stringify(password())},"password":"y"}`, "utf8"),
        contentType: type,
      };
    case "nested": {
      const depth = rng.between(100, 4000);
      const objects = Math.min(depth, 800);
      const text = rng.chance(0.5) ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"email":'.repeat(objects)}1${"}".repeat(objects)}`;
      return { body: Buffer.from(text), contentType: type };
    }
    case "scalar":
      return { body: Buffer.from(rng.pick(["null", "1", '"alice"', "true", "[]", "{}", "-0", "1e999", '"\\ud800"'])), contentType: type };
    case "garbage":
      return { body: Buffer.from(asLatin1(fuzzValue(family, rng, world.secrets)), "latin1"), contentType: type };
    case "truncated": {
      const text = JSON.stringify({ email: email(), password: password() });
      return { body: Buffer.from(text.slice(0, rng.int(text.length)), "utf8"), contentType: type };
    }
    case "oversized":
      return {
        body: json({ email: `fz-${rng.bytes(4).toString("hex")}@fuzz.example`, password: "x".repeat(rng.between(8200, 20000)) }),
        contentType: type,
      };
    case "chunked": {
      // No Content-Length: the route must stop reading at 8 KiB by itself.
      const chunk = Buffer.from("x".repeat(1024));
      const chunks = Array.from({ length: rng.between(1, 24) }, () => chunk);
      return { body: [Buffer.from('{"email":"a@fuzz.example","password":"'), ...chunks, Buffer.from('"}')], contentType: type };
    }
    case "bom":
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ email: email(), password: password() })]), contentType: type };
    case "utf16":
      const text = JSON.stringify({ email: `fz-${rng.bytes(4).toString("hex")}@fuzz.example`, password: "x" });
      return { body: Buffer.from(text, "utf16le"), contentType: type };
    case "invalidUtf8":
      const invalid = rng.bytes(rng.between(1, 30)).map((b) => b | 0x80);
      return { body: Buffer.concat([Buffer.from('{"email":"'), invalid, Buffer.from('@fuzz.example","password":"x"}')]), contentType: type };
    case "empty":
      return { body: Buffer.from(rng.pick(["", " ", "\n", "\r\n\r\n"])), contentType: type };
  }
}

export function apiLoginCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES);
  const { body, contentType } = jsonLoginBody(rng, world, family);
  const headers: Record<string, string> = {};
  if (contentType) headers["content-type"] = contentType;
  if (rng.chance(0.3)) headers.origin = rng.pick([world.origin, "https://evil.example"]);
  if (rng.chance(0.1)) {
    headers["user-agent"] = percentEncodeControls(asLatin1(fuzzValue(family === "real-token" ? "lua" : family, rng, world.secrets)));
  }
  return {
    index,
    family,
    target: "POST /api/auth/login",
    request: { method: "POST", path: "/api/auth/login", headers, body },
    expect: { kind: "login-api" },
  };
}

export function signerJsonCase(index: number, world: World): FuzzCase {
  const body = Buffer.from(
    JSON.stringify({
      email: world.signer.email,
      password: world.signer.password,
      isAdmin: true,
      is_admin: "1",
      userId: 1,
      user_id: 1,
      role: "admin",
    }),
  );
  return {
    index,
    family: "sql",
    target: "POST /api/auth/login as the signer, with extra fields",
    request: { method: "POST", path: "/api/auth/login", headers: { "content-type": "application/json" }, body },
    expect: { kind: "signer-json" },
    authenticates: true,
    lane: "signer",
  };
}
