import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { step } from "./log";

// Finds a program, installing its Debian package when that is possible and
// allowed: running as root on Debian/Ubuntu with apt-get. Anywhere else it stops
// with a message saying what to install, never silently doing something else.

export function findProgram(name: string): string | undefined {
  const result = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = result.stdout.trim();
  return result.status === 0 && path ? path : undefined;
}

let aptUpdated = false;

export function canInstallWithApt(): boolean {
  return process.getuid?.() === 0 && existsSync("/etc/debian_version") && findProgram("apt-get") !== undefined;
}

/** Returns the program's path, or an explanation of why it is missing and cannot be installed here. */
export function ensureProgram(program: string, debianPackage: string): { path: string } | { missing: string } {
  const found = findProgram(program);
  if (found) return { path: found };
  if (!canInstallWithApt()) {
    return { missing: `${program} is not installed. Install it (Debian/Ubuntu: sudo apt-get install ${debianPackage}; macOS: brew install ${debianPackage === "redis-server" ? "redis" : debianPackage}).` };
  }
  step(`${program} is missing: installing the Debian package ${debianPackage} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    if (!aptUpdated) execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
    execFileSync("apt-get", ["install", "-y", "-qq", debianPackage], { stdio: "inherit", env });
  } catch {
    return { missing: `apt-get could not install ${debianPackage}. Install it by hand and try again.` };
  }
  const installed = findProgram(program);
  return installed ? { path: installed } : { missing: `${debianPackage} was installed but ${program} is still not on PATH.` };
}
