import { expect, test } from "./support/test";
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { apiLogin, bearer } from "./support/api";
import { mainUrl } from "./support/env";
import { tagOf, userChannelOf } from "./support/keys";
import { withRedis } from "./support/redis";
import { freshUser, signUp } from "./support/users";

// 200 tabs of one user open their live stream on one instance, then go away:
// one subscription and one subscriber connection carry them all, and nothing of
// them (listener, subscription, connection) is left afterwards.

type Live = { channels: number; listeners: number };

async function liveOf(request: import("@playwright/test").APIRequestContext): Promise<Live> {
  return ((await (await request.get(`${mainUrl()}/api/health`)).json()) as { live: Live }).live;
}

function openStream(token: string): Promise<{ request: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${mainUrl()}/api/live`, { headers: bearer(token), agent: false });
    request.on("response", (response) => resolve({ request, response }));
    request.on("error", reject);
    request.end();
  });
}

const connectedClients = (info: string): number => Number(/connected_clients:(\d+)/.exec(info)?.[1]);

test("200 open streams share one subscription and leave no listener, subscription or connection behind", async ({ page, request }) => {
  test.setTimeout(120_000);
  const user = await signUp(page, freshUser("streams"));
  await page.goto("about:blank"); // the browser's own stream closes
  // 20 sessions (API sign-ins) of one user, 10 streams each: the most one session may hold.
  const logins = [];
  for (let i = 0; i < 20; i++) logins.push(await apiLogin(request, user));
  const tokens = logins.map((login) => login.token);
  const channel = userChannelOf(tagOf(tokens[0]), logins[0].user.id);
  await expect.poll(() => liveOf(request)).toEqual({ channels: 0, listeners: 0 });

  await withRedis(async (redis) => {
    const streams = [await openStream(tokens[0])];
    await expect.poll(async () => (await redis.pubsub("NUMSUB", channel))[1]).toBe(1);
    const clientsWithOne = connectedClients(await redis.info("clients"));
    for (let i = 1; i < 200; i++) streams.push(await openStream(tokens[Math.floor(i / 10)]));
    for (const { response } of streams) expect(response.statusCode).toBe(200);
    await expect.poll(() => liveOf(request)).toEqual({ channels: 1, listeners: 200 });
    expect((await redis.pubsub("NUMSUB", channel))[1]).toBe(1);
    expect(connectedClients(await redis.info("clients"))).toBe(clientsWithOne);

    // An 11th stream of one session is refused.
    const extra = await openStream(tokens[0]);
    expect(extra.response.statusCode).toBe(429);
    extra.request.destroy();

    for (const { request: stream } of streams) stream.destroy();
    await expect.poll(() => liveOf(request)).toEqual({ channels: 0, listeners: 0 });
    await expect.poll(async () => (await redis.pubsub("NUMSUB", channel))[1]).toBe(0);
    // The instance's one subscriber connection stays for the next tab; nothing per stream is left.
    expect(connectedClients(await redis.info("clients"))).toBe(clientsWithOne);
  });
});
