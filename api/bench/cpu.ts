/**
 * CPU time per unit of work, read from /proc (Linux only), for the processes a benchmark drives: its
 * rate alone moves by a quarter between runs of the same code on a shared machine, while the CPU each
 * part spends per hold moves far less, so it is what tells two versions apart.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The kernel's clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

export type ProcessGroups = Record<string, readonly number[]>;

export interface CpuSample {
  /** CPU ticks (user + system) per group, summed over its processes that were alive. */
  groups: Record<string, number>;
  /** The machine's busy, stolen (taken by the hypervisor for other guests) and total ticks, all cores (/proc/stat). */
  busy: number;
  steal: number;
  total: number;
}

export function cpuAccountingAvailable(): boolean {
  try {
    readFileSync("/proc/stat", "utf8");
    return true;
  } catch {
    return false;
  }
}

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards); null once the process is gone. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

function processTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0; // utime, stime (fields 14 and 15 of the line)
}

/** A process and all its descendants (an API's primary and its workers, a load generator's threads are one pid). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const fields = /^\d+$/.test(entry) ? statFields(entry) : null;
    if (!fields) continue; // not a process, or exited while listed
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/**
 * CPU ticks of a process's children that have exited and been waited for (cutime + cstime): how a
 * load generator run as a child process (wrk) is counted, since its own /proc entry is gone once it ends.
 */
export function exitedChildrenTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[13]) + Number(fields[14]) : 0; // cutime, cstime (fields 16 and 17 of the line)
}

export function sampleCpu(groups: ProcessGroups): CpuSample {
  const sums: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) sums[name] = pids.reduce((sum, pid) => sum + processTicks(pid), 0);
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const steal = cpu[7] ?? 0;
  const total = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { groups: sums, busy: total - idle - steal, steal, total };
}

/**
 * "API 137 µs, PostgreSQL 138 µs, … per hold; machine 78% busy, 1% stolen" between two samples. Time
 * stolen by the hypervisor slows everything in a run alike: a run with much of it is not comparable.
 */
export function describeCpu(before: CpuSample, after: CpuSample, units: number, unit: string): string {
  const parts = Object.keys(after.groups).map((name) => {
    const micros = (((after.groups[name] ?? 0) - (before.groups[name] ?? 0)) / TICKS_PER_SECOND / units) * 1e6;
    return `${name} ${micros.toFixed(0)} µs`;
  });
  const total = Math.max(1, after.total - before.total);
  const busy = (100 * (after.busy - before.busy)) / total;
  const stolen = (100 * (after.steal - before.steal)) / total;
  return `CPU per ${unit}: ${parts.join(", ")}; machine ${busy.toFixed(0)}% busy, ${stolen.toFixed(0)}% stolen`;
}

/**
 * How late the idle machine wakes a sleeping process: for `ms`, this process sleeps 1 ms at a time
 * and notes every wake-up 5 ms or more late. On the machine these figures come from, a thread asleep
 * on an idle core woke ~10-15 ms late about twice a second (with a kernel memory-sampling thread,
 * kdamond, sampling every 500 ms), while a thread that keeps running was never stopped: servers wait
 * in epoll between requests, so each late wake-up lands on whatever requests are in flight, and
 * latency tails include it whatever the product does. Printed with the figures so that runs on
 * different machines compare.
 */
export async function measureLateWakeups(ms = 3_000): Promise<string> {
  const late: number[] = [];
  const started = performance.now();
  while (performance.now() - started < ms) {
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1));
    const overslept = performance.now() - before - 1;
    if (overslept >= 5) late.push(overslept);
  }
  if (late.length === 0) return `late wake-ups on the idle machine: none of 5 ms or more in ${(ms / 1000).toFixed(0)} s`;
  const sorted = [...late].sort((a, b) => a - b);
  return (
    `late wake-ups on the idle machine: ${((late.length * 1000) / ms).toFixed(1)}/s of 5 ms or more ` +
    `(median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, longest ${sorted.at(-1)!.toFixed(1)} ms)`
  );
}
