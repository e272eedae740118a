import { integer } from "./format";
import type { HttpTargetName } from "./http";
import type { BenchResults } from "./results";
import type { Summary } from "./stats";
import type { VariantName } from "./variants";

// docs/benchmarks.svg: horizontal bars (median, with a whisker from the slowest to
// the fastest run) for the validation variants at each concurrency and for the
// HTTP targets. Plain SVG strings: no chart package for a dozen rectangles.

type Bar = { label: string; value: Summary; color: string };
/** marker: a dashed line at a target (e.g. 0.85 × HGETALL), so the chart shows which bars reach it. */
type Panel = { title: string; unit: string; bars: Bar[]; marker?: { value: number; label: string } };

const COLORS = { limit: "#94a3b8", product: "#2563eb", alternative: "#f97316", diagnostic: "#cbd5e1" } as const;

const WIDTH = 960;
const LABEL_WIDTH = 350;
const BAR_AREA = 470;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const PANEL_TITLE = 34;
const PANEL_GAP = 24;

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function panelSvg(panel: Panel, top: number): { svg: string; height: number } {
  const max = Math.max(...panel.bars.map((bar) => bar.value.max)) || 1;
  const x = (value: number): number => LABEL_WIDTH + (value / max) * BAR_AREA;
  const parts = [`<text x="16" y="${top + 22}" class="title">${escapeXml(panel.title)}</text>`];
  panel.bars.forEach((bar, i) => {
    const y = top + PANEL_TITLE + i * (BAR_HEIGHT + BAR_GAP);
    const mid = y + BAR_HEIGHT / 2;
    parts.push(
      `<text x="${LABEL_WIDTH - 10}" y="${mid + 4}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(bar.value.median) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${bar.color}" rx="2"/>`,
      `<line x1="${x(bar.value.min).toFixed(1)}" x2="${x(bar.value.max).toFixed(1)}" y1="${mid}" y2="${mid}" class="whisker"/>`,
      `<text x="${(x(bar.value.max) + 6).toFixed(1)}" y="${mid + 4}" class="value">${integer(bar.value.median)} ${panel.unit}</text>`,
    );
  });
  const height = PANEL_TITLE + panel.bars.length * (BAR_HEIGHT + BAR_GAP);
  if (panel.marker && Number.isFinite(panel.marker.value)) {
    const mx = x(panel.marker.value).toFixed(1);
    parts.push(
      `<line x1="${mx}" x2="${mx}" y1="${top + PANEL_TITLE - 4}" y2="${top + height - BAR_GAP + 2}" class="marker"/>`,
      `<text x="${mx}" y="${top + height + 10}" class="target" text-anchor="middle">${escapeXml(panel.marker.label)}</text>`,
    );
  }
  return { svg: parts.join("\n  "), height };
}

const SHORT_LABELS: Record<VariantName, string> = {
  get: "raw GET (limit)",
  hgetall: "raw HGETALL (limit)",
  validate: "validateSession() — this app",
  connect_redis: "connect-redis get + touch",
  naive: "naive HGETALL + EXPIRE",
  script_only: "diagnostic: the script alone",
  hgetall_app_client: "diagnostic: HGETALL, app client options",
};

const HTTP_BARS: { name: HttpTargetName; label: string; color: string }[] = [
  { name: "guarded", label: "/ signed in (session checked)", color: COLORS.product },
  { name: "open", label: "/login (no check)", color: COLORS.limit },
  { name: "api_me", label: "GET /api/me (bearer)", color: COLORS.product },
  { name: "no_cookie", label: "no cookie → 303 /login", color: COLORS.diagnostic },
];

export function chartSvg(results: BenchResults): string {
  const panels: Panel[] = Object.entries(results.validation).map(([concurrency, variants]) => ({
    title: `Session validation, concurrency ${concurrency.slice(1)}: operations per second`,
    unit: "ops/s",
    bars: (Object.keys(SHORT_LABELS) as VariantName[]).flatMap((name) => {
      const figures = variants[name];
      return figures ? [{ label: SHORT_LABELS[name], value: figures.opsPerSec, color: COLORS[figures.role as keyof typeof COLORS] }] : [];
    }),
    marker: { value: 0.85 * (variants.hgetall?.opsPerSec.median ?? Number.NaN), label: "target: 0.85 × HGETALL" },
  }));
  panels.push({
    title: `HTTP, production server, ${results.http.connections} connections: requests per second`,
    unit: "req/s",
    bars: HTTP_BARS.map((bar) => ({ label: bar.label, value: results.http.targets[bar.name].reqPerSec, color: bar.color })),
    marker: { value: 0.95 * results.http.targets.open.reqPerSec.median, label: "0.95 × /login" },
  });

  let top = 44;
  const bodies: string[] = [];
  for (const panel of panels) {
    const { svg, height } = panelSvg(panel, top);
    bodies.push(svg);
    top += height + PANEL_GAP;
  }
  const { machine } = results.meta;
  const footer = `${results.meta.date.slice(0, 10)} · ${results.meta.mode} run · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node} · Redis ${machine.redis} · bars: median of ${results.meta.repetitions} runs, whiskers: slowest to fastest`;
  const height = top + 24;
  const legend = (Object.entries(COLORS) as [keyof typeof COLORS, string][])
    .map(([role, color], i) => {
      const lx = 520 + i * 100;
      return `<rect x="${lx}" y="14" width="12" height="12" fill="${color}" rx="2"/><text x="${lx + 17}" y="24" class="label">${role === "product" ? "this app" : role}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
  <style>
    .heading { font-size: 17px; font-weight: 600; fill: #0f172a; }
    .title { font-size: 14px; font-weight: 600; fill: #1e293b; }
    .label { font-size: 12px; fill: #334155; }
    .value { font-size: 12px; fill: #0f172a; }
    .note { font-size: 11px; fill: #64748b; }
    .whisker { stroke: #0f172a; stroke-width: 1.5; }
    .target { font-size: 11px; fill: #dc2626; }
    .marker { stroke: #dc2626; stroke-width: 1.5; stroke-dasharray: 4 3; }
  </style>
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="16" y="26" class="heading">next-redis-sessions: npm run bench</text>
  ${legend}
  ${bodies.join("\n  ")}
  <text x="16" y="${height - 10}" class="note">${escapeXml(footer)}</text>
</svg>
`;
}
