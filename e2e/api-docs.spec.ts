import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mainUrl } from "./support/env";

// The curl cycle of docs/api.md, run verbatim (only BASE points at the test server), so
// the documentation cannot drift from what the API does.

function documentedCycle(): string {
  const page = readFileSync(join(process.cwd(), "docs", "api.md"), "utf8");
  const match = /<!-- api-cycle -->\s*```sh\n([\s\S]*?)```/.exec(page);
  if (!match) throw new Error("docs/api.md has no ```sh block after <!-- api-cycle -->");
  return match[1];
}

test("the API cycle of docs/api.md works as written", () => {
  const output = execFileSync("bash", ["-euo", "pipefail", "-c", documentedCycle()], {
    env: { ...process.env, BASE: mainUrl() },
    encoding: "utf8",
  });
  const lines = output.trim().split("\n");
  expect(lines[0]).toMatch(/^\{"user":\{"id":\d+,"email":"alice@example.com","isAdmin":false\},"session":\{"id":"[\w-]{43}"/);
  expect(lines[1]).toMatch(/^\{"sessions":\[\{"id":"[\w-]{43}","current":true,"browser":"curl /);
  expect(lines.slice(2)).toEqual(["204", "401", "204", "401"]);
});
