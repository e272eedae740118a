import http from "node:http";
import net from "node:net";

// HTTP for the hostile-input spec, below Playwright's request fixture: Node's own client with
// a keep-alive pool (thousands of requests, a fixed number in flight), and a bare
// TCP socket for bytes no HTTP client will send (CR, LF, NUL inside a header…).
// Both connect to 127.0.0.1 (where `server.ts --hostname 127.0.0.1` listens) and send
// `Host: localhost:<port>`, so the app sees the same origin as Playwright's baseURL.

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export type OutgoingRequest = {
  method: string;
  /** Path and query, sent as is (Node refuses only bytes outside 0x21-0xff). */
  path: string;
  headers: Record<string, string>;
  /** One buffer is sent with a Content-Length; several are sent chunked, without one. */
  body?: Buffer | Buffer[];
};

export type HttpClient = {
  host: string;
  send(request: OutgoingRequest, timeoutMs?: number): Promise<Reply>;
  close(): void;
};

export function createHttpClient(port: number, maxSockets: number): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const host = `localhost:${port}`;

  function send(request: OutgoingRequest, timeoutMs = 30_000): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string | number> = { host, ...request.headers };
      const single = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (single) headers["content-length"] = single.length;
      let req: http.ClientRequest;
      try {
        // A generous maxHeaderSize: a redirect may echo a 16 KB path in Location and Refresh.
        const { method, path } = request;
        req = http.request({ host: "127.0.0.1", port, method, path, headers, agent, setHost: false, maxHeaderSize: 256 * 1024 });
      } catch (error) {
        reject(error); // a header or path Node refuses: the generator routed a value to the wrong client
        return;
      }
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      });
      if (Array.isArray(request.body)) {
        for (const chunk of request.body) req.write(chunk);
        req.end();
      } else {
        req.end(single);
      }
    });
  }

  return { host, send, close: () => agent.destroy() };
}

/**
 * The bytes of a request for `sendRaw`, headers written as given (CR, LF, NUL and
 * all). The given headers go last, so a line break inside one cannot swallow Host
 * or Connection.
 */
export function rawRequest(host: string, method: string, target: string, headers: [string, string][], body?: Buffer): Buffer {
  let head = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`;
  if (body) head += `Content-Length: ${body.length}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), body ?? Buffer.alloc(0)]);
}

export type RawReply = { statusLine: string; status: number; head: string; bytes: number };

/**
 * Writes `bytes` to a fresh connection and reads until the server closes it (the
 * request should carry `Connection: close`). Resolves with the first status line.
 */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 15_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      if (chunks.length === 0) {
        reject(error ?? new Error("connection closed without an answer"));
        return;
      }
      const headEnd = text.indexOf("\r\n\r\n");
      const head = headEnd >= 0 ? text.slice(0, headEnd) : text;
      const statusLine = head.split("\r\n")[0];
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!match) reject(new Error(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 80))}`));
      else resolve({ statusLine, status: Number(match[1]), head, bytes: text.length });
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => finish());
    socket.on("close", () => finish());
    // A reset after the answer was written is fine; before it, it is a failure.
    socket.on("error", (error) => finish(error));
    socket.on("connect", () => socket.write(bytes));
  });
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** At most `limit` holders at once (for requests that must not pile up, such as sign-ins of one account). */
export function semaphore(limit: number): <T>(run: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing holder hands its slot over
    try {
      return await run();
    } finally {
      const nextHolder = waiting.shift();
      if (nextHolder) nextHolder();
      else active--;
    }
  };
}
