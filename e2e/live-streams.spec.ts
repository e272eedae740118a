import { expect, test } from "./support/test";
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { apiLogin, bearer } from "./support/api";
import { mainUrl, proxiedUrl } from "./support/env";
import { tagOf, userChannelOf } from "./support/keys";
import { withRedis } from "./support/redis";
import { closeContexts } from "./support/contexts";
import { freshUser, signUp, type Credentials } from "./support/users";

// Tabs of one user open their live stream on one instance, then go away: one
// subscription and one subscriber connection carry them all, and nothing of them
// (listener, subscription, stream, connection) is left afterwards. And nobody
// holds the instance's sockets: at most 10 streams per session, 50 per user and
// 200 per client address at once, each counted in /api/health.

type Live = { channels: number; listeners: number; streams: number };

async function liveOf(request: import("@playwright/test").APIRequestContext, base = mainUrl()): Promise<Live> {
  return ((await (await request.get(`${base}/api/health`)).json()) as { live: Live }).live;
}

function openStream(token: string, base = mainUrl(), forwardedFor?: string): Promise<{ request: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...bearer(token), ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) };
    const request = httpRequest(`${base}/api/live`, { headers, agent: false });
    request.on("response", (response) => resolve({ request, response }));
    request.on("error", reject);
    request.end();
  });
}

async function refusal(stream: { request: ClientRequest; response: IncomingMessage }): Promise<{ status: number; error: string }> {
  let body = "";
  for await (const chunk of stream.response) body += String(chunk);
  stream.request.destroy();
  return { status: stream.response.statusCode ?? 0, error: (JSON.parse(body) as { error: string }).error };
}

const connectedClients = (info: string): number => Number(/connected_clients:(\d+)/.exec(info)?.[1]);

test("50 open streams of one user share one subscription, a 51st is refused, and none leaves anything behind", async ({ page, request }) => {
  test.setTimeout(120_000);
  const user = await signUp(page, freshUser("streams"));
  await page.goto("about:blank"); // the browser's own stream closes
  // 6 sessions (API sign-ins) of one user: 10 streams each is the most one session may hold.
  const logins = [];
  for (let i = 0; i < 6; i++) logins.push(await apiLogin(request, user));
  const tokens = logins.map((login) => login.token);
  const channel = userChannelOf(tagOf(tokens[0]), logins[0].user.id);
  await expect.poll(() => liveOf(request)).toEqual({ channels: 0, listeners: 0, streams: 0 });

  await withRedis(async (redis) => {
    const streams = [await openStream(tokens[0])];
    await expect.poll(async () => (await redis.pubsub("NUMSUB", channel))[1]).toBe(1);
    const clientsWithOne = connectedClients(await redis.info("clients"));
    for (let i = 1; i < 50; i++) streams.push(await openStream(tokens[Math.floor(i / 10)]));
    for (const { response } of streams) expect(response.statusCode).toBe(200);
    await expect.poll(() => liveOf(request)).toEqual({ channels: 1, listeners: 50, streams: 50 });
    expect((await redis.pubsub("NUMSUB", channel))[1]).toBe(1);
    expect(connectedClients(await redis.info("clients"))).toBe(clientsWithOne);

    // An 11th stream of one session, and a 51st of the user (from a session that holds none), are refused.
    expect(await refusal(await openStream(tokens[0]))).toEqual({ status: 429, error: "at most 10 live streams per session" });
    expect(await refusal(await openStream(tokens[5]))).toEqual({ status: 429, error: "at most 50 live streams per user" });

    for (const { request: stream } of streams) stream.destroy();
    await expect.poll(() => liveOf(request)).toEqual({ channels: 0, listeners: 0, streams: 0 });
    await expect.poll(async () => (await redis.pubsub("NUMSUB", channel))[1]).toBe(0);
    // The instance's one subscriber connection stays for the next tab; nothing per stream is left.
    expect(connectedClients(await redis.info("clients"))).toBe(clientsWithOne);
  });
});

test("one client address holds at most 200 streams, whatever accounts it signs in as (behind TRUST_PROXY=1)", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const base = proxiedUrl();
  const address = "198.51.100.77";
  // 5 accounts × 4 sessions × 10 streams = 200, from one address; one more from a sixth account is refused.
  const tokens: string[] = [];
  for (let u = 0; u < 6; u++) {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${100 + u}` } });
    const user: Credentials = await signUp(await context.newPage(), freshUser("address-streams"), base);
    await closeContexts(context);
    for (let s = 0; s < (u < 5 ? 4 : 1); s++) {
      const response = await request.post(`${base}/api/auth/login`, { data: user, headers: { "x-forwarded-for": `192.0.2.${u * 10 + s + 1}` } });
      expect(response.status()).toBe(200);
      tokens.push(((await response.json()) as { token: string }).token);
    }
  }
  const streams = [];
  for (let i = 0; i < 200; i++) streams.push(await openStream(tokens[Math.floor(i / 10)], base, address));
  for (const { response } of streams) expect(response.statusCode).toBe(200);
  await expect.poll(() => liveOf(request, base)).toMatchObject({ channels: 5, streams: 200 });
  expect(await refusal(await openStream(tokens[20], base, address))).toEqual({ status: 429, error: "at most 200 live streams per address" });
  // The same account from another address is served.
  const elsewhere = await openStream(tokens[20], base, "198.51.100.78");
  expect(elsewhere.response.statusCode).toBe(200);
  for (const { request: stream } of [...streams, elsewhere]) stream.destroy();
  await expect.poll(() => liveOf(request, base)).toEqual({ channels: 0, listeners: 0, streams: 0 });
});
