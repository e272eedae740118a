import type { ScriptName } from "../../lib/session";
import { scriptCommands } from "../commands";

// The pattern as a sequence diagram, drawn as inline SVG (no external asset, no
// inline style: the Content-Security-Policy allows neither). Lanes are the parts
// a request passes through; arrows are the calls, top to bottom in time. An arrow
// to Redis names its script; the commands in brackets are read from the script's
// Lua (teaching/commands.ts), not written here.

const LANES = ["Browser", "proxy.ts", "page / action", "Redis"] as const;
type Lane = (typeof LANES)[number];

type Message = { from: Lane; to: Lane; label: string } | { section: string };

/** `EVALSHA createSession (GET, HSET, PEXPIREAT, ZADD, …)`: the script and the commands its Lua sends. */
const script = (name: ScriptName, times = ""): string => `EVALSHA ${name}${times} (${scriptCommands(name).join(", ")})`;

const MESSAGES: Message[] = [
  { section: "1 · sign in" },
  { from: "Browser", to: "page / action", label: "POST email + password (server action)" },
  { from: "page / action", to: "Redis", label: script("countAttempt", " ×3") },
  { from: "page / action", to: "Redis", label: script("createSession") },
  { from: "page / action", to: "Browser", label: "Set-Cookie: token (HttpOnly), redirect" },
  { section: "2 · each request" },
  { from: "Browser", to: "proxy.ts", label: "GET /page, cookie: token" },
  { from: "proxy.ts", to: "Redis", label: `${script("validateSession")}, no users DB` },
  { from: "proxy.ts", to: "page / action", label: "the session, in a stamped header" },
  { from: "page / action", to: "Browser", label: "the page (no second round trip)" },
  { section: "3 · sign out · 4 · devices" },
  { from: "page / action", to: "Redis", label: script("revokeSessions") },
  { from: "page / action", to: "Redis", label: `${script("indexRead")}, then HGETALL each (pipeline)` },
  { section: "5 · expiry" },
  { from: "Redis", to: "Redis", label: "the TTL ends: Redis deletes the hash by itself" },
];

const LANE_WIDTH = 190;
const ROW_HEIGHT = 30;
const TOP = 40;

const x = (lane: Lane): number => 95 + LANES.indexOf(lane) * LANE_WIDTH;

export function SequenceDiagram() {
  const height = TOP + MESSAGES.length * ROW_HEIGHT + 20;
  const width = 95 * 2 + (LANES.length - 1) * LANE_WIDTH;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="sequence-title" className="w-full text-slate-700">
      <title id="sequence-title">Sequence diagram: sign in, each request, sign out, devices and expiry between the browser, proxy.ts, the page or action, and Redis</title>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      {LANES.map((lane) => (
        <g key={lane}>
          <rect x={x(lane) - 70} y={4} width={140} height={24} rx={6} fill="white" stroke="currentColor" />
          <text x={x(lane)} y={20} textAnchor="middle" fontSize={12} fontWeight={600} fill="currentColor">
            {lane}
          </text>
          <line x1={x(lane)} y1={28} x2={x(lane)} y2={height - 8} stroke="currentColor" strokeOpacity={0.3} strokeDasharray="4 4" />
        </g>
      ))}
      {MESSAGES.map((message, i) => {
        const y = TOP + i * ROW_HEIGHT + 10;
        if ("section" in message) {
          return (
            <text key={i} x={8} y={y + 4} fontSize={11} fontWeight={700} className="fill-red-600">
              {message.section}
            </text>
          );
        }
        const [from, to] = [x(message.from), x(message.to)];
        const self = from === to;
        return (
          <g key={i}>
            {self ? (
              <path d={`M ${from} ${y} h 40 v 12 h -38`} fill="none" stroke="currentColor" markerEnd="url(#arrow)" />
            ) : (
              <line x1={from} y1={y + 6} x2={to} y2={y + 6} stroke="currentColor" markerEnd="url(#arrow)" />
            )}
            <text x={self ? from - 8 : (from + to) / 2} y={y} textAnchor={self ? "end" : "middle"} fontSize={10.5} fill="currentColor">
              {message.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
