/**
 * Reads per-unit metrics from cgroupfs (kernel doc: admin-guide/cgroup-v2.rst).
 * Files only: no process is spawned, so it is cheap enough for every refresh tick.
 *
 * Memory is `memory.current`. Where the memory controller is not enabled (seen
 * in containers: the file is absent) it falls back to the summed VmRSS of every
 * process in the cgroup and its children, and marks the figure approximate.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {posix as path} from 'node:path';
import {performance} from 'node:perf_hooks';
import {findCgroup2Mount, parseCpuStat, parseMemoryCurrent, parseProcs, parseVmRss, type CgroupSample} from '../core/cgroup.js';

/** Reads cgroup samples. */
export interface MetricsReader {
	/**
	 * Samples each cgroup.
	 * @param groups map key (usually a unit name) → absolute cgroupfs directory
	 * @returns map key → sample; a missing directory gives `exists: false`, never an error
	 */
	sample(groups: ReadonlyMap<string, string>): Map<string, CgroupSample>;
}

/** Options for tests: another clock and another /proc. */
export type MetricsOptions = Readonly<{nowMs?: () => number; procRoot?: string}>;

function readText(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

/** Summed VmRSS (bytes) of the processes in `dir` and its child cgroups; null when no process could be read. */
function summedRss(dir: string, procRoot: string): number | null {
	let total: number | null = null;
	const visit = (d: string) => {
		for (const pid of parseProcs(readText(path.join(d, 'cgroup.procs')) ?? '')) {
			const rss = parseVmRss(readText(path.join(procRoot, String(pid), 'status')) ?? '');
			if (rss !== null) total = (total ?? 0) + rss;
		}
		let entries: string[] = [];
		try {
			entries = readdirSync(d, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
		} catch {
			return;
		}
		for (const child of entries) visit(path.join(d, child));
	};
	visit(dir);
	return total;
}

/** Samples one cgroup directory. */
export function sampleCgroup(dir: string, atMs: number, procRoot = '/proc'): CgroupSample {
	let inode: number;
	try {
		inode = statSync(dir).ino;
	} catch {
		return {exists: false, inode: null, usageUsec: null, memoryBytes: null, memoryApprox: false, atMs};
	}
	const cpu = readText(path.join(dir, 'cpu.stat'));
	const current = readText(path.join(dir, 'memory.current'));
	const memory = current === null ? null : parseMemoryCurrent(current);
	const approx = memory === null;
	return {
		exists: true,
		inode,
		usageUsec: cpu === null ? null : parseCpuStat(cpu),
		memoryBytes: approx ? summedRss(dir, procRoot) : memory,
		memoryApprox: approx,
		atMs,
	};
}

/** MetricsReader on the real cgroupfs. */
export function createMetricsReader(options: MetricsOptions = {}): MetricsReader {
	const now = options.nowMs ?? (() => performance.now());
	const procRoot = options.procRoot ?? '/proc';
	return {
		sample(groups) {
			const atMs = now();
			const result = new Map<string, CgroupSample>();
			for (const [key, dir] of groups) result.set(key, sampleCgroup(dir, atMs, procRoot));
			return result;
		},
	};
}

/** Finds the cgroup2 mount point from /proc/self/mountinfo; `/sys/fs/cgroup` when not found. */
export function detectCgroupRoot(mountinfoFile = '/proc/self/mountinfo'): string {
	return findCgroup2Mount(readText(mountinfoFile) ?? '') ?? '/sys/fs/cgroup';
}
