import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import next from "next";
import { startRuntime } from "./lib/root/build";
import { logEvent } from "./lib/runtime";
import { parseConfig, type Config } from "./lib/runtime/config";
import { startProcessStats } from "./lib/runtime/process-stats";
import { clientAddressHeader, peerIsTrustedProxy, resolveClientAddress } from "./lib/web/client-address";
import { watchOutages } from "./lib/web/outage-status";
import { newStampSecret } from "./lib/web/stamp";
import { attachTeaching } from "./teaching"; // teaching

// The app's front door: one Node HTTP server in front of Next.js. It builds what
// the process runs on (lib/root/build.ts: the composition root) before it
// listens. `next start` keeps whatever X-Forwarded-For a client sends, and Next.js
// gives pages no access to the socket, so the client's address is decided here,
// where the socket is, and handed on in a header only this process can write
// (lib/web/stamp.ts).
// Usage: tsx server.ts [--dev] [--port N] [--hostname H]

const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

/** Decides the client's address and rewrites the headers Next.js would otherwise believe. */
function admit(request: IncomingMessage, { trustProxy }: Config, stampSecret: Buffer): void {
  const peer = request.socket.remoteAddress ?? "unknown";
  const forwardedFor = request.headers["x-forwarded-for"];
  const address = resolveClientAddress(peer, Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, trustProxy);
  // From a peer we do not trust, X-Forwarded-* headers are the client's own words:
  // dropped, so Next.js derives host, proto and port from the connection itself.
  if (!peerIsTrustedProxy(peer, trustProxy)) for (const name of FORWARDED_HEADERS) delete request.headers[name];
  const [name, value] = clientAddressHeader(stampSecret, address);
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

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const hostname = argument("hostname") ?? "0.0.0.0";
  const port = Number(argument("port") ?? process.env.PORT ?? 3000);
  const config = parseConfig(process.env);
  const stampSecret = newStampSecret();
  // Each request is served inside it, so that a server action can add a response header (lib/web/action-response.ts).
  const currentResponse = new AsyncLocalStorage<ServerResponse>();
  const teaching = attachTeaching(config); // teaching
  await startRuntime(config, {
    stampSecret,
    currentResponse,
    observers: teaching?.observers, // teaching
    extensions: { teaching }, // teaching
  });
  if (config.processStatsIntervalMs !== undefined) startProcessStats(config.processStatsIntervalMs, logEvent);
  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const serve = (request: IncomingMessage, response: ServerResponse): void => void handle(request, response);
  // A page that fails because a store stopped answering goes out as 503, not 500 (lib/web/outage-status.ts).
  const withOutageStatus = watchOutages(logEvent);

  const listener: RequestListener = (request, response) => {
    // Cookies are Secure: tell browsers to come back over https only.
    if (config.secureCookies) response.setHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
    // A path with a broken percent-escape ("/api/sessions/%E0%A4%A") makes Next.js'
    // router fail with a bare 500 before any app code runs: answered 400 here.
    if (!decodablePath(request.url)) {
      response.writeHead(400, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end("Bad request: the path is not valid percent-encoding.\n");
      return;
    }
    admit(request, config, stampSecret);
    currentResponse.run(response, () =>
      withOutageStatus(request, response, () => {
        if (teaching) return teaching.serve(request, response, () => handle(request, response)); // teaching
        serve(request, response);
      }),
    );
  };
  // TLS_CERT_FILE + TLS_KEY_FILE: HTTPS here, for a machine with no TLS proxy in front (device-bound sessions need a secure origin).
  const { tls } = config;
  const server = tls ? createTlsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, listener) : createServer(listener);
  server.listen(port, hostname, () => {
    const scheme = tls ? "https" : "http";
    console.log(`> Ready on ${scheme}://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (${dev ? "development" : "production"})`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
