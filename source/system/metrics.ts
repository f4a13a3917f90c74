/**
 * Reads per-unit metrics from cgroupfs (kernel doc: admin-guide/cgroup-v2.rst).
 * Files only: no process is spawned, so it is cheap enough for every refresh tick;
 * the reader keeps cpu.stat and memory.current open between samples (see cgroup-files.ts).
 *
 * Memory is `memory.current`. Where the memory controller is not enabled (seen
 * in containers: the file is absent) it falls back to the summed VmRSS of every
 * process in the cgroup and its children, and marks the figure approximate.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {posix as path} from 'node:path';
import {performance} from 'node:perf_hooks';
import {findCgroup2Mount, parseCpuStat, parseMemoryCurrent, parseProcs, parseVmRss, type CgroupSample} from '../core/cgroup.js';
import {CgroupFiles, readCgroupPlain, type CgroupFilesOptions, type CgroupReading} from './cgroup-files.js';

/** Reads cgroup samples. */
export interface MetricsReader {
	/**
	 * Samples each cgroup.
	 * @param groups map key (usually a unit name) → absolute cgroupfs directory, normalised (as path.join gives it)
	 * @returns map key → sample, in the order asked; a missing directory gives `exists: false`, never an error
	 */
	sample(groups: ReadonlyMap<string, string>): Map<string, CgroupSample>;
	/** Releases what is held between samples (open fds); a later sample opens again. Fakes may leave it out. */
	close?(): void;
}

/** Options: another clock and another /proc for tests, and the fd cache's limits ({@link CgroupFilesOptions}). */
export type MetricsOptions = Readonly<{nowMs?: () => number; procRoot?: string} & CgroupFilesOptions>;

function readText(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

/**
 * Memory figure (bytes, or null when unknown) of each cgroup directory measured within
 * one sampling: memory.current where it was read, else summed RSS. A slice sums these
 * figures of its children instead of reading their processes again.
 */
type Figures = Map<string, number | null>;

/**
 * Summed VmRSS (bytes) of the processes directly in `dir`, plus the figure of each child
 * cgroup: the one in `figures` if measured in this sampling, else the child's summed RSS.
 * @returns null when nothing could be read
 */
function summedRss(dir: string, procRoot: string, figures: Figures): number | null {
	if (figures.has(dir)) return figures.get(dir) ?? null;
	let total: number | null = null;
	const add = (value: number | null) => {
		if (value !== null) total = (total ?? 0) + value;
	};
	for (const pid of parseProcs(readText(path.join(dir, 'cgroup.procs')) ?? '')) add(parseVmRss(readText(path.join(procRoot, String(pid), 'status')) ?? ''));
	let children: string[] = [];
	try {
		children = readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
	} catch {
		children = [];
	}
	// Not path.join: it normalises again on every tick; the directories asked for are already normal (path.join'd).
	for (const child of children) add(summedRss(`${dir}/${child}`, procRoot, figures));
	figures.set(dir, total);
	return total;
}

/** The sample of one reading; records the memory figure in `figures`. */
function toSample(reading: CgroupReading, dir: string, atMs: number, procRoot: string, figures: Figures): CgroupSample {
	if (!reading) return {exists: false, inode: null, usageUsec: null, memoryBytes: null, memoryApprox: false, atMs};
	const current = reading.memoryCurrent === null ? null : parseMemoryCurrent(reading.memoryCurrent);
	const approx = current === null;
	const memoryBytes = approx ? summedRss(dir, procRoot, figures) : current;
	figures.set(dir, memoryBytes);
	return {exists: true, inode: reading.inode, usageUsec: reading.cpuStat === null ? null : parseCpuStat(reading.cpuStat), memoryBytes, memoryApprox: approx, atMs};
}

/**
 * Samples one cgroup directory with plain reads (stat, then open/read/close of each file).
 * @param figures memory figures already measured in this sampling, by directory ({@link MetricsReader.sample} shares one)
 */
export function sampleCgroup(dir: string, atMs: number, procRoot = '/proc', figures: Figures = new Map()): CgroupSample {
	return toSample(readCgroupPlain(dir), dir, atMs, procRoot, figures);
}

/** Number of `/` in a path. */
function depth(dir: string): number {
	let n = 0;
	for (let i = dir.indexOf('/'); i !== -1; i = dir.indexOf('/', i + 1)) n++;
	return n;
}

/** MetricsReader on the real cgroupfs; call close() when done to release its fds. */
export function createMetricsReader(options: MetricsOptions = {}): MetricsReader {
	const now = options.nowMs ?? (() => performance.now());
	const procRoot = options.procRoot ?? '/proc';
	const files = new CgroupFiles(options);
	return {
		sample(groups) {
			const atMs = now();
			const figures: Figures = new Map();
			const byKey = new Map<string, CgroupSample>();
			// Children before parents: a slice without memory.current sums its units' figures instead of reading /proc again.
			const ordered = [...groups].map(([key, dir]) => ({key, dir, depth: depth(dir)})).sort((a, b) => b.depth - a.depth);
			for (const {key, dir} of ordered) byKey.set(key, toSample(files.read(dir), dir, atMs, procRoot, figures));
			files.endSampling();
			const result = new Map<string, CgroupSample>();
			for (const key of groups.keys()) result.set(key, byKey.get(key)!);
			return result;
		},
		close: () => files.close(),
	};
}

/** Finds the cgroup2 mount point from /proc/self/mountinfo; `/sys/fs/cgroup` when not found. */
export function detectCgroupRoot(mountinfoFile = '/proc/self/mountinfo'): string {
	return findCgroup2Mount(readText(mountinfoFile) ?? '') ?? '/sys/fs/cgroup';
}
