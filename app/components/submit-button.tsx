"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";

const STYLES = {
  primary: "bg-slate-900 text-white hover:bg-slate-700 focus-visible:outline-slate-900",
  danger: "border border-red-200 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-600",
  quiet: "border border-slate-300 bg-white text-slate-700 hover:bg-slate-100 focus-visible:outline-slate-900",
} as const;

/** A submit button that says what it is doing while its form's action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  className = "",
}: {
  children: ReactNode;
  pendingLabel: string;
  variant?: keyof typeof STYLES;
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`rounded-md px-4 py-2 text-sm font-medium shadow-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-wait disabled:opacity-60 ${STYLES[variant]} ${className}`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}
