// The arrows of the code map (README, "Map of the code"), checked on every
// `npm test`: app/, proxy.ts, server.ts → lib/web, lib/account → lib/session →
// lib/redis; the composition root (lib/root/build.ts) builds everything and is
// called by server.ts (and the tests and the bench) alone; the teaching layer may
// import anything, nothing in lib/ imports it. Every folder has its rule, and
// every file of lib/ is in a folder, so no import hides between them. A new
// import against them fails the run.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycles",
      comment: "Folders depend one way: no two folders may import each other, however indirectly.",
      severity: "error",
      scope: "folder",
      from: { path: "^(app|lib|teaching)/" },
      to: { circular: true },
    },
    {
      name: "lib-files-live-in-folders",
      comment: "Every file of lib/ sits in a folder with a rule of its own.",
      severity: "error",
      from: { path: "^lib/[^/]+$" },
      to: {},
    },
    {
      name: "redis-is-the-floor",
      comment: "lib/redis (the client factory and its one observer hook) imports nothing of the app.",
      severity: "error",
      from: { path: "^lib/redis/" },
      to: { path: "^(app|lib/(?!redis/)|teaching|proxy\\.ts|server\\.ts)" },
    },
    {
      name: "session-core-is-self-contained",
      comment: "lib/session, the core a reader copies, needs lib/redis alone: no Next.js, React, users database, limits, trace or web side.",
      severity: "error",
      from: { path: "^lib/session/" },
      to: { path: "^(app|lib/(?!(session|redis)/)|teaching|proxy\\.ts|server\\.ts)|node_modules/(next|react)/" },
    },
    {
      name: "session-has-one-entry",
      comment: "Outside lib/session, only its entry (lib/session/index.ts) is imported.",
      severity: "error",
      from: { pathNot: "^lib/session/" },
      to: { path: "^lib/session/(?!index\\.ts$)" },
    },
    {
      name: "the-root-is-called-at-start",
      comment: "The composition root (lib/root/build.ts) is called by server.ts, and by the tests and the bench that build runtimes of their own.",
      severity: "error",
      from: { pathNot: "^(server\\.ts|lib/root/|test/|bench/)" },
      to: { path: "^lib/root/build\\.ts$" },
    },
    {
      name: "runtime-accessor-imports-types-only",
      comment: "lib/runtime/index.ts hands the runtime out; it loads nothing, so what imports it stays small.",
      severity: "error",
      from: { path: "^lib/runtime/index\\.ts$" },
      to: { path: "^(app|lib|teaching)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "lib-does-not-know-teaching",
      comment: "The teaching layer is removable: nothing in lib/ (nor the gate) imports it.",
      severity: "error",
      from: { path: "^(lib/|proxy\\.ts)" },
      to: { path: "^teaching/" },
    },
    {
      name: "lib-does-not-know-app",
      comment: "Nothing in lib/ or teaching/ imports a page, component or route of app/ (teaching/ is mounted there, not the other way round).",
      severity: "error",
      from: { path: "^(lib|teaching)/" },
      to: { path: "^app/" },
    },
    {
      name: "flows-do-not-know-the-web",
      comment: "lib/account (sign-in, sign-up, password, changes of a user) works for pages and API alike: no Next.js plumbing, no web side.",
      severity: "error",
      from: { path: "^lib/account/" },
      to: { path: "^(lib/(web|live)|app|teaching)/|node_modules/(next|react)/" },
    },
    {
      name: "limits-and-live-stand-on-the-core",
      comment: "lib/limits and lib/live use Redis and the session core, nothing above them.",
      severity: "error",
      from: { path: "^lib/(limits|live)/" },
      to: { path: "^(lib/(web|account|db|root)|app|teaching)/" },
    },
    {
      name: "db-is-a-leaf",
      comment: "lib/db stores users; it imports no other part of the app.",
      severity: "error",
      from: { path: "^lib/db/" },
      to: { path: "^(app|lib/(?!db/)|teaching)" },
    },
    {
      name: "api-for-route-handlers-only",
      comment: "lib/web/api.ts (JSON answers, withSession) serves the route handlers of app/ alone.",
      severity: "error",
      from: { pathNot: "^(app/(\\(teaching\\)/)?api/|lib/web/api\\.ts$)" },
      to: { path: "^lib/web/api\\.ts$" },
    },
    {
      name: "test-layers-keep-to-themselves",
      comment: "test/, e2e/, bench/ and soak/ may import product code, scripts/lib and the shared hostile inputs (fuzz/), never each other's internals.",
      severity: "error",
      from: { path: "^(test|e2e|bench|soak)/" },
      to: { path: "^(test|e2e|bench|soak)/", pathNot: "^$1/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "^(\\.next|\\.test-runs)/" },
  },
};
