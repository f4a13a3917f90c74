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

/** Summed RSS per cgroup directory, within one sampling (a slice reuses its units' sums). */
type RssCache = Map<string, number | null>;

/** Summed VmRSS (bytes) of the processes in `dir` and its child cgroups; null when no process could be read. */
function summedRss(dir: string, procRoot: string, cache: RssCache = new Map()): number | null {
	const cached = cache.get(dir);
	if (cached !== undefined || cache.has(dir)) return cached ?? null;
	let total: number | null = null;
	const add = (value: number | null) => {
		if (value !== null) total = (total ?? 0) + value;
	};
	for (const pid of parseProcs(readText(path.join(dir, 'cgroup.procs')) ?? '')) add(parseVmRss(readText(path.join(procRoot, String(pid), 'status')) ?? ''));
	let entries: string[] = [];
	try {
		entries = readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
	} catch {
		entries = [];
	}
	for (const child of entries) add(summedRss(path.join(dir, child), procRoot, cache));
	cache.set(dir, total);
	return total;
}

/**
 * Samples one cgroup directory.
 * @param cache summed RSS already computed in this sampling, by directory (shared by one {@link MetricsReader.sample} call)
 */
export function sampleCgroup(dir: string, atMs: number, procRoot = '/proc', cache: RssCache = new Map()): CgroupSample {
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
		memoryBytes: approx ? summedRss(dir, procRoot, cache) : memory,
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
			// Units first, then slices: a slice without memory.current sums its units' figures instead of reading /proc again.
			const cache: RssCache = new Map();
			const ordered = [...groups].sort(([, a], [, b]) => b.split('/').length - a.split('/').length);
			for (const [key, dir] of ordered) result.set(key, sampleCgroup(dir, atMs, procRoot, cache));
			return result;
		},
	};
}

/** Finds the cgroup2 mount point from /proc/self/mountinfo; `/sys/fs/cgroup` when not found. */
export function detectCgroupRoot(mountinfoFile = '/proc/self/mountinfo'): string {
	return findCgroup2Mount(readText(mountinfoFile) ?? '') ?? '/sys/fs/cgroup';
}
