"use client";

import { useState, useSyncExternalStore } from "react";
import type { TraceGroup, TraceRow } from "./rows";

// "Redis behind this page": every command this page's request sent, read from
// the real client through the request's trace (teaching/trace). The page carries only
// the trace's id; the rows are fetched when the panel is opened, so no page
// renders a table it may never show. The panel itself is drawn in the browser
// only: the server sends no HTML for it (a page with the trace on weighs the same
// to render as one with it off), and without JavaScript, which it needs to fetch
// its rows, there is no panel rather than one that never loads.

const noSubscription = () => () => {};

type State = { status: "closed" } | { status: "loading" } | { status: "failed" } | { status: "loaded"; groups: TraceGroup[] };

export function RedisTracePanel({ traceId }: { traceId: string }) {
  const [state, setState] = useState<State>({ status: "closed" });
  // false on the server and while hydrating, true once the page runs in the browser.
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function load(): Promise<void> {
    setState({ status: "loading" });
    try {
      const response = await fetch(`/api/trace/${encodeURIComponent(traceId)}`, { cache: "no-store" });
      if (!response.ok) return setState({ status: "failed" });
      setState({ status: "loaded", groups: ((await response.json()) as { groups: TraceGroup[] }).groups });
    } catch {
      setState({ status: "failed" });
    }
  }

  if (!inBrowser) return null;
  return (
    <footer className="mx-auto max-w-3xl px-4 pb-10">
      <details
        aria-label="Redis behind this page"
        className="rounded-xl border border-slate-200 bg-white text-sm shadow-sm"
        onToggle={(event) => {
          if (event.currentTarget.open && state.status !== "loaded" && state.status !== "loading") void load();
        }}
      >
        <summary className="cursor-pointer px-4 py-3 font-medium text-slate-700">Redis behind this page</summary>
        <div className="space-y-2 border-t border-slate-200 px-4 py-3">
          {state.status === "loaded" ? (
            <TraceTable groups={state.groups} />
          ) : (
            <p role="status" className="text-xs text-slate-600">
              {state.status === "failed" ? "This page's trace is no longer kept (10 minutes): reload the page to see its commands." : "Loading…"}
            </p>
          )}
        </div>
      </details>
    </footer>
  );
}

function TraceTable({ groups }: { groups: TraceGroup[] }) {
  const total = groups.reduce((sum, group) => sum + group.rows.filter((row) => !row.insideScript).length, 0);
  return (
    <>
      <p className="text-xs text-slate-600">
        {total === 1 ? "1 command" : `${total} commands`} sent to Redis for this page, in order, timed from the call to the reply. Indented rows are the commands
        inside a script, as its source calls them (some only when needed); Redis runs them in one step. Ids in key names are cut to 8 characters; no value is shown.
      </p>
      <table className="w-full border-collapse text-left text-xs [&_td]:py-1 [&_td]:pr-3 [&_td]:align-top [&_td:nth-child(2)]:font-mono [&_td:nth-child(3)]:font-mono [&_td:nth-child(3)]:break-all [&_td:nth-child(4)]:text-right [&_td:nth-child(4)]:font-mono [&_td:nth-child(4)]:whitespace-nowrap [&_tr]:border-b [&_tr]:border-slate-100">
        <thead>
          <tr className="text-slate-500 [&_th]:py-1 [&_th]:pr-3 [&_th]:font-medium">
            <th>Step</th>
            <th>Command</th>
            <th>Key</th>
            <th className="text-right">Time</th>
          </tr>
        </thead>
        {groups.map((group, index) => (
          <tbody key={index}>
            {groups.length > 1 ? (
              <tr>
                <th colSpan={4} scope="rowgroup" className="pt-2 pb-1 font-semibold text-slate-700">
                  {group.request}
                  {index < groups.length - 1 ? " (the server action)" : " (the page it redirected to)"}
                </th>
              </tr>
            ) : null}
            {group.rows.length === 0 ? (
              <tr>
                <td colSpan={4}>No Redis command.</td>
              </tr>
            ) : (
              group.rows.map((row, i) => <Row key={i} row={row} />)
            )}
          </tbody>
        ))}
      </table>
    </>
  );
}

function Row({ row }: { row: TraceRow }) {
  if (row.insideScript !== undefined) {
    return (
      <tr className="text-slate-500">
        <td className="pl-4">↳ {row.step}</td>
        <td>{row.command}</td>
        <td>{row.key}</td>
        <td />
      </tr>
    );
  }
  return (
    <tr>
      <td>{row.step}</td>
      <td>{row.command}</td>
      <td>{row.key}</td>
      <td>{row.timeUs === undefined ? "…" : `${row.timeUs} µs`}</td>
    </tr>
  );
}
