/**
 * Host CPU use from the kernel's per-CPU time counters, read through node:os
 * (`os.cpus()` reads /proc/stat; libuv, no process spawned). systeminformation's
 * `currentLoad()` is not used for this: on Linux it runs `cat /proc/stat | grep
 * cpu` through a shell on every call, i.e. one process per refresh tick.
 */
import os from 'node:os';

/** Busy and total CPU time summed over all CPUs, ms. */
export type CpuTimes = Readonly<{busyMs: number; totalMs: number}>;

/** Sums `os.cpus()`-style time counters (user, nice, sys, irq count as busy; idle does not). */
export function sumCpuTimes(cpus: ReadonlyArray<{times: Readonly<{user: number; nice: number; sys: number; idle: number; irq: number}>}>): CpuTimes {
	let busyMs = 0;
	let totalMs = 0;
	for (const {times} of cpus) {
		const busy = times.user + times.nice + times.sys + times.irq;
		busyMs += busy;
		totalMs += busy + times.idle;
	}
	return {busyMs, totalMs};
}

/**
 * Host CPU use between two readings, in percent of ONE core (a 4-core host
 * fully busy shows 400), like the per-unit figures. Null when no time passed.
 */
export function hostCpuPercent(previous: CpuTimes, current: CpuTimes, cpuCount: number): number | null {
	const total = current.totalMs - previous.totalMs;
	const busy = current.busyMs - previous.busyMs;
	if (total <= 0 || busy < 0) return null;
	return Math.round((busy / total) * cpuCount * 1000) / 10;
}

/**
 * A sampler: each call returns the host CPU use since the previous call
 * (null on the first call).
 */
export function createHostCpuSampler(read: () => ReturnType<typeof os.cpus> = () => os.cpus()): () => number | null {
	let previous: CpuTimes | null = null;
	return () => {
		const cpus = read();
		const current = sumCpuTimes(cpus);
		const result = previous === null ? null : hostCpuPercent(previous, current, cpus.length);
		previous = current;
		return result;
	};
}
