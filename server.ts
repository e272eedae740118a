import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { config } from "./lib/config";
import { clientAddressHeader, peerIsTrustedProxy, resolveClientAddress } from "./lib/http/client-address";
import { watchPendingEndings } from "./lib/auth/user-changes";
import { outageMessage } from "./lib/outage";
import { runtime } from "./lib/runtime";
import { isTraced, traceRequest } from "./lib/trace/request";

// The app's front door: one Node HTTP server in front of Next.js. `next start`
// keeps whatever X-Forwarded-For a client sends, and Next.js gives pages no
// access to the socket, so the client's address is decided here, where the socket
// is, and handed on in a header only this process can write (lib/http/stamp.ts).
// Usage: tsx server.ts [--dev] [--port N] [--hostname H]

const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

/** Decides the client's address and rewrites the headers Next.js would otherwise believe. */
function admit(request: IncomingMessage): void {
  const { trustProxy } = config();
  const peer = request.socket.remoteAddress ?? "unknown";
  const forwardedFor = request.headers["x-forwarded-for"];
  const address = resolveClientAddress(peer, Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, trustProxy);
  // From a peer we do not trust, X-Forwarded-* headers are the client's own words:
  // dropped, so Next.js derives host, proto and port from the connection itself.
  if (!peerIsTrustedProxy(peer, trustProxy)) for (const name of FORWARDED_HEADERS) delete request.headers[name];
  const [name, value] = clientAddressHeader(address);
  request.headers[name] = value;
}

function decodablePath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? "/").split("?")[0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the runtime now, not at the first request (it reads the users database's
 * id), then ends the sessions a Redis failure left pending (user-changes.ts). A
 * users database that cannot answer yet is no reason not to start: requests
 * answer 503 while it is tried again every second. Anything else stops the process.
 */
async function startRuntime(): Promise<void> {
  try {
    watchPendingEndings(await runtime());
  } catch (error) {
    if (outageMessage(error) === undefined) throw error;
    console.error(JSON.stringify({ event: "database_unavailable_at_start", message: error instanceof Error ? error.message : String(error) }));
    setTimeout(() => void startRuntime().catch(() => undefined), 1000).unref();
  }
}

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const hostname = argument("hostname") ?? "0.0.0.0";
  const port = Number(argument("port") ?? process.env.PORT ?? 3000);
  const { secureCookies, showRedisTrace } = config();
  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  await startRuntime();

  createServer((request, response) => {
    // Cookies are Secure: tell browsers to come back over https only.
    if (secureCookies) response.setHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
    // A path with a broken percent-escape ("/api/sessions/%E0%A4%A") makes Next.js'
    // router fail with a bare 500 before any app code runs: answered 400 here.
    if (!decodablePath(request.url)) {
      response.writeHead(400, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end("Bad request: the path is not valid percent-encoding.\n");
      return;
    }
    admit(request);
    // SHOW_REDIS_TRACE: the request's Redis commands are collected for "Redis behind this page".
    if (showRedisTrace && isTraced(request.url)) traceRequest(request, response, () => handle(request, response));
    else void handle(request, response);
  }).listen(port, hostname, () => {
    console.log(`> Ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (${dev ? "development" : "production"})`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
