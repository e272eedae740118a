import { expect, type APIRequestContext } from "@playwright/test";
import type { Redis } from "ioredis";
import { mainUrl } from "./env";
import type { Credentials } from "./users";

// Calls of the JSON API, as a non-browser client makes them.

export type LoginReply = { token: string; expiresAt: string; user: { id: number; email: string; isAdmin: boolean } };

export async function apiLogin(request: APIRequestContext, user: Credentials, userAgent = "curl/8.5.0", baseUrl = mainUrl()): Promise<LoginReply> {
  const response = await request.post(`${baseUrl}/api/auth/login`, {
    data: { email: user.email, password: user.password },
    headers: { "user-agent": userAgent },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as LoginReply;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** How many commands Redis has processed so far (INFO itself counts once per call). */
export async function commandsProcessed(client: Redis): Promise<number> {
  const info = await client.info("stats");
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}
