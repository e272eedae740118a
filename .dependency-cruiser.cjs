// The arrows of the code map (README, "Map of the code"), checked on every
// `npm test`: app/ and proxy.ts → lib/auth → lib/session → lib/redis, with
// lib/api for route handlers only. A new import against them fails the run.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      comment: "Folders depend one way: no two folders may import each other, however indirectly.",
      severity: "error",
      scope: "folder",
      from: { path: "^(app|lib)/" },
      to: { circular: true },
    },
    {
      name: "session-is-redis-only",
      comment: "lib/session is the Redis store: no Next.js, no React, nothing of the web side or the users database.",
      severity: "error",
      from: { path: "^lib/session/" },
      to: { path: "^(app|lib/(auth|api|db|http)|proxy\\.ts|server\\.ts)|node_modules/(next|react)/" },
    },
    {
      name: "auth-does-not-know-the-api",
      comment: "lib/auth is the web side of sessions for pages and handlers alike; the API's JSON shapes stay in lib/api.",
      severity: "error",
      from: { path: "^lib/auth/" },
      to: { path: "^(lib/api|app)/" },
    },
    {
      name: "api-for-route-handlers-only",
      comment: "lib/api is used by app/api/** alone.",
      severity: "error",
      from: { pathNot: "^(app/api/|lib/api/)" },
      to: { path: "^lib/api/" },
    },
    {
      name: "lib-does-not-know-app",
      comment: "Nothing in lib/ imports a page, component or route.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^app/" },
    },
    {
      name: "db-is-a-leaf",
      comment: "lib/db stores users; it imports neither sessions nor the web side.",
      severity: "error",
      from: { path: "^lib/db/" },
      to: { path: "^lib/(auth|api|session|http)/" },
    },
    {
      name: "http-is-a-leaf",
      comment: "lib/http (client address, stamped headers) is used by server.ts, the config and lib/auth; it imports no other part of the app.",
      severity: "error",
      from: { path: "^lib/http/" },
      to: { path: "^(app|lib/(?!http/))" },
    },
    {
      name: "trace-is-a-leaf",
      comment: "lib/trace (the Redis trace) is hooked into the client by lib/redis.ts and read by server.ts and a component; it imports nothing of the app but lib/http (the stamp).",
      severity: "error",
      from: { path: "^lib/trace/" },
      to: { path: "^(app|lib/(?!(trace|http)/))" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "^\\.next/" },
  },
};
