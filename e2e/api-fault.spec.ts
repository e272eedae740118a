import { expect, test } from "@playwright/test";
import { pingRedis } from "../scripts/lib/redis-server";
import { bearer } from "./support/api";
import { faultRedisPort, faultUrl } from "./support/env";
import { UNKNOWN_TOKEN } from "./support/keys";

// The API of the server whose Redis is down (fault.spec.ts starts and stops it;
// outside that spec it is not running).

test("with Redis down the API answers 503 and says what is down; malformed tokens still get 401", async ({ request }) => {
  expect(await pingRedis(faultRedisPort())).toBe(false);
  const health = await request.get(`${faultUrl()}/api/health`);
  expect(health.status()).toBe(503);
  expect(await health.json()).toEqual({
    redis: "down",
    database: "ok",
    databaseKind: "sqlite",
    databaseQueries: expect.any(Number),
    live: { channels: 0, listeners: 0, streams: 0 },
  });

  const login = await request.post(`${faultUrl()}/api/auth/login`, { data: { email: "alice@example.com", password: "alice-demo-pass" } });
  expect(login.status()).toBe(503);
  expect(await login.json()).toEqual({ error: "Sessions are temporarily unavailable" });

  const wellFormed = await request.get(`${faultUrl()}/api/me`, { headers: bearer(UNKNOWN_TOKEN) });
  expect(wellFormed.status()).toBe(503);
  const malformed = await request.get(`${faultUrl()}/api/me`, { headers: bearer("nope") });
  expect(malformed.status()).toBe(401);
});
