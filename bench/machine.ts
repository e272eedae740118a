import { readdirSync, readFileSync } from "node:fs";
import { cpus, totalmem, release, platform } from "node:os";

// What the figures were measured on, and how busy the machine was with work
// other than the bench's own processes: on a shared 2-core machine another
// process's build can move a ratio by more than the effect being measured, so the
// results say how much CPU others took while each phase ran.

export type Machine = { cpu: string; cores: number; memoryGiB: number; os: string; node: string; redis: string };

export function machineInfo(redisVersion: string): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    redis: redisVersion,
  };
}

type CpuSnapshot = { at: number; busyTicks: number; ownTicks: number };

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readProcStat(pid: string): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14). A reaped child's
    // time moves into its parent's cutime/cstime, so counting both keeps the sum steady.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return { ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime };
  } catch {
    return undefined; // the process ended between readdir and read
  }
}

/** CPU ticks of this process and all of its descendants (redis-server, the app server). */
function ownTicks(): number {
  const processes = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(entry);
    if (stat) processes.set(Number(entry), stat);
  }
  const own = new Set([process.pid]);
  // Parents are listed before their children only by chance: repeat until stable.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of processes) {
      if (!own.has(pid) && own.has(ppid)) {
        own.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of own) ticks += processes.get(pid)?.ticks ?? 0;
  return ticks;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  if (platform() !== "linux") return undefined;
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  // cpu  user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { at: Date.now(), busyTicks: user + nice + system + irq + softirq + (steal ?? 0), ownTicks: ownTicks() };
}

/** Average number of cores that other processes kept busy between two snapshots. */
export function foreignCores(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined): number | null {
  if (!start || !end || end.at <= start.at) return null;
  const seconds = (end.at - start.at) / 1000;
  const foreign = end.busyTicks - start.busyTicks - (end.ownTicks - start.ownTicks);
  return Math.max(0, foreign / TICKS_PER_SECOND / seconds);
}
