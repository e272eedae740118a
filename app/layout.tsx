import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "next-redis-sessions",
  description: "Web sessions stored in Redis, done right.",
};

/** `trace`: "Redis behind this page" (app/@trace, the teaching layer), below every page. */
export default function RootLayout({
  children,
  trace, // teaching
}: {
  children: ReactNode;
  trace: ReactNode; // teaching
}) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
        {trace /* teaching */}
      </body>
    </html>
  );
}
