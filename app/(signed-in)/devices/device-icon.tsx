// Outline icons for the devices list (inline SVG: no icon font, no emoji font needed).

const PATHS: Record<string, string> = {
  mobile: "M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Zm3 17h2",
  tablet: "M6 2h12a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Zm5 17h2",
  desktop: "M3 4h18v12H3zM8 20h8M12 16v4",
};

export function DeviceIcon({ type }: { type: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="mt-0.5 size-6 shrink-0 text-slate-500" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[type] ?? PATHS.desktop} />
    </svg>
  );
}
