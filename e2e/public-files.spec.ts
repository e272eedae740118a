import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// The files of public/ are for everyone, crawlers and the browser's own favicon
// request included, which come without a session: proxy.ts's matcher leaves them
// out, so they are served as they are instead of being sent to /login.

const FILES = [
  { path: "/robots.txt", contentType: /^text\/plain\b/ },
  { path: "/favicon.ico", contentType: /^image\/(x-icon|vnd\.microsoft\.icon)$/ },
];

for (const file of FILES) {
  test(`${file.path} is served without a session`, async ({ request }) => {
    const response = await request.get(file.path, { maxRedirects: 0 });
    expect(response.status(), "not a redirect to /login").toBe(200);
    expect(response.headers().location).toBeUndefined();
    expect(response.headers()["content-type"]).toMatch(file.contentType);
    expect((await response.body()).equals(readFileSync(join(process.cwd(), "public", file.path))), "the file itself").toBe(true);
  });
}

test("robots.txt keeps every crawler out, and favicon.ico is an icon", () => {
  const robots = readFileSync(join(process.cwd(), "public", "robots.txt"), "utf8");
  expect(robots).toMatch(/^User-agent: \*\nDisallow: \/$/m);
  // ICONDIR: reserved 0, type 1 (icon), one image or more.
  const icon = readFileSync(join(process.cwd(), "public", "favicon.ico"));
  expect([icon.readUInt16LE(0), icon.readUInt16LE(2)]).toEqual([0, 1]);
  expect(icon.readUInt16LE(4)).toBeGreaterThan(0);
});

test("a private page asked for the same way is sent to /login (the check above means something)", async ({ request }) => {
  const response = await request.get("/devices", { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(new URL(response.headers().location ?? "", response.url()).pathname).toBe("/login");
});
