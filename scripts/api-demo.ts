// A small API client: signs in, lists the account's sessions, signs out.
//   npx tsx scripts/api-demo.ts            (against npm start on :3000)
//   BASE=http://localhost:3100 EMAIL=bob@example.com PASSWORD=bob-demo-pass npx tsx scripts/api-demo.ts

const BASE = process.env.BASE ?? "http://localhost:3000";
const EMAIL = process.env.EMAIL ?? "alice@example.com";
const PASSWORD = process.env.PASSWORD ?? "alice-demo-pass";

type Listed = { id: string; current: boolean; browser: string; os: string; ip: string; lastSeenAt: string };

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${BASE}${path}`, { ...init, headers: { "user-agent": "api-demo/1.0", ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function main(): Promise<void> {
  const login = await call("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const { token, expiresAt } = (await login.json()) as { token: string; expiresAt: string };
  console.log(`Signed in as ${EMAIL}; the session ends at ${expiresAt} unless used.`);
  const auth = { authorization: `Bearer ${token}` };

  const { sessions } = (await (await call("/api/sessions", { headers: auth })).json()) as { sessions: Listed[] };
  console.log(`${sessions.length} active session(s):`);
  for (const s of sessions) {
    console.log(`  ${s.current ? "*" : " "} ${s.browser} on ${s.os} from ${s.ip}, last active ${s.lastSeenAt}`);
  }

  await call("/api/auth/logout", { method: "POST", headers: auth });
  const after = await fetch(`${BASE}/api/me`, { headers: auth });
  console.log(`Signed out; the token now gets ${after.status}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
