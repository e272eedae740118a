"use client";

import { useEffect, useState } from "react";

// A key's remaining TTL, counting down in the browser from the PTTL the server
// read. The server also says when it read it: with clocks that roughly agree the
// count starts from that moment (so a slow page load does not add to it), with
// clocks far apart from when the page appeared.

const CLOCKS_AGREE_WITHIN_MS = 5_000;

function remainingSeconds(expiresAt: number): number {
  return Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
}

export function TtlCountdown({ pttlMs, readAt }: { pttlMs: number; readAt: number }) {
  const [seconds, setSeconds] = useState(Math.round(pttlMs / 1000));
  useEffect(() => {
    const start = Math.abs(Date.now() - readAt) < CLOCKS_AGREE_WITHIN_MS ? readAt : Date.now();
    const expiresAt = start + pttlMs;
    const tick = (): void => setSeconds(remainingSeconds(expiresAt));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [pttlMs, readAt]);
  if (pttlMs < 0) return <span>{pttlMs === -1 ? "no TTL" : "gone"}</span>;
  return <span data-ttl>{seconds === 0 ? "expired" : `${seconds} s`}</span>;
}
