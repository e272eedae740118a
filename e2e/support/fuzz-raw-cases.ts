import { asLatin1, forQuery } from "./fuzz-encoding";
import { ALL_BUT_REAL, PROTECTED_PAGES, SESSION_COOKIE_NAME, pickFamily, type Expectation, type FuzzCase, type World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { fuzzValue, unknownToken } from "./fuzz-values";
import { rawHttp } from "./fuzz-wire";

// Cases sent over a raw socket: bytes HTTP does not allow, and odd but parseable framing.

/** A byte that makes a header value invalid wherever it sits. */
function forcedInvalid(rng: Rng): string {
  return rng.pick([
    "\x00",
    "\rx",
    "x\n",
    String.fromCharCode(rng.pick([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31])),
    "\x7f",
    "\r\n folded",
    "\r\nnot a header line",
    "\r\n\x00",
  ]);
}

export function rawCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ALL_BUT_REAL);
  const base = asLatin1(fuzzValue(family, rng, world.secrets)).replace(/[\r\n]/g, "").slice(0, 2000);
  const at = rng.int(base.length + 1);
  const bad = forcedInvalid(rng);
  const value = `${base.slice(0, at)}${bad}${base.slice(at)}`;
  const where = rng.weighted({ cookie: 3, authorization: 3, target: 2, "header name": 1, "content-type": 1, smuggle: 1 });
  let raw: Buffer;
  let expect: Expectation = { kind: "raw-invalid" };
  switch (where) {
    case "cookie":
      raw = rawHttp(world.origin, "GET", rng.pick(PROTECTED_PAGES), [["Cookie", `${SESSION_COOKIE_NAME}=${value}`]]);
      break;
    case "authorization":
      raw = rawHttp(world.origin, "GET", rng.pick(["/api/me", "/api/sessions"]), [["Authorization", `Bearer ${value}`]]);
      break;
    case "target": {
      const query = forQuery(base, rng).encoded.replace(/[\x80-\xff]/g, "");
      const byte = String.fromCharCode(rng.pick([0, 1, 8, 11, 27, 127, 0x80, 0xa0, 0xe9, 0xff]));
      raw = rawHttp(world.origin, "GET", `/login?next=${query.slice(0, at)}${byte}${query.slice(at)}`, []);
      break;
    }
    case "header name": {
      const separator = rng.pick([..."()<>@,;\\\"/[]?={}", " x", "\x00", "\x01", "\x7f", "\xe9"]);
      const name = `X-Fuzz${separator}`;
      raw = rawHttp(world.origin, "GET", "/login", [[name, base.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "") || "x"]]);
      break;
    }
    case "content-type":
      const body = Buffer.from('{"email":"a@fuzz.example","password":"x"}');
      raw = rawHttp(world.origin, "POST", "/api/auth/login", [["Content-Type", `application/json${value}`]], body);
      break;
    default: {
      // Odd but parseable framing: the server may answer anything but a 5xx.
      expect = { kind: "raw-any" };
      const token = unknownToken(rng);
      const host = new URL(world.origin).host;
      const start = (request: string): string => `${request} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`;
      const body = '{"email":"a@fuzz.example","password":"x"}';
      raw = Buffer.from(
        rng.pick([
          `${start("GET /devices")}Cookie: ${SESSION_COOKIE_NAME}=${token}\r\nX-Injected: ${base.replace(/[\x00-\x1f\x7f]/g, "")}\r\n\r\n`,
          `${start("POST /api/auth/login")}Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
          `${start("POST /api/auth/login")}Content-Length: ${body.length}\r\nContent-Length: 3\r\n\r\n${body}`,
          `${start("POST /api/auth/login")}Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n` +
            `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
          `${start("GET /api/me")}Authorization: Bearer ${token}\r\nAuthorization: Bearer ${token}x\r\n\r\n`,
          `GET /login HTTP/1.0\r\n\r\n`,
          `GET /devices HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
          `${start("GET //evil.example/")}\r\n`,
          `${start("GET /devices")}X-Forwarded-Host: evil.example\r\n\r\n`,
        ]),
        "latin1",
      );
    }
  }
  return { index, family, target: `raw ${where}`, raw, expect };
}
