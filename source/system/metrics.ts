/**
 * Reads per-unit metrics from cgroupfs (kernel doc: admin-guide/cgroup-v2.rst).
 * Files only: no process is spawned, so it is cheap enough for every refresh tick;
 * the reader keeps the files it reads open between samples (cgroup-files.ts, proc-rss.ts).
 *
 * Memory is `memory.current`. Where the memory controller is not enabled (seen
 * in containers: the file is absent) it falls back to the summed RSS (proc(5),
 * /proc/PID/statm) of every process in the cgroup and its children, and marks the
 * figure approximate.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {findCgroup2Mount, parseCpuStat, parseMemoryCurrent, parseProcs, type CgroupSample} from '../core/cgroup.js';
import {CgroupFiles, FdBudget, readCgroupPlain, type CgroupFilesOptions, type CgroupReading} from './cgroup-files.js';
import {ProcessRss, readStatm, systemPageSize} from './proc-rss.js';

/** Reads cgroup samples. */
export interface MetricsReader {
	/**
	 * Samples each cgroup.
	 * @param groups map key (usually a unit name) → absolute cgroupfs directory, normalised (as path.join gives it)
	 * @param partial these are some of the groups sampled before, not all: the files of the
	 *   others stay open for a later sample (by default, files of groups not asked are closed)
	 * @returns map key → sample, in the order asked; a missing directory gives `exists: false`, never an error
	 */
	sample(groups: ReadonlyMap<string, string>, partial?: boolean): Map<string, CgroupSample>;
	/** Releases what is held between samples (open fds); a later sample opens again. Fakes may leave it out. */
	close?(): void;
}

/**
 * Options: another clock, /proc and page size (bytes; the system's, from /proc/self/auxv)
 * for tests, and the limits of the files kept open ({@link CgroupFilesOptions}).
 */
export type MetricsOptions = Readonly<{nowMs?: () => number; procRoot?: string; pageSize?: number} & CgroupFilesOptions>;

/** RSS of one process, bytes; null when unknown. */
type RssOf = (pid: number) => number | null;

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
 * Summed RSS (bytes) of the processes directly in `dir`, plus the figure of each child
 * cgroup: the one in `figures` if measured in this sampling, else the child's summed RSS.
 * @param procs cgroup.procs text of `dir` when already read
 * @returns null when nothing could be read
 */
function summedRss(dir: string, rssOf: RssOf, figures: Figures, procs: string | null = null): number | null {
	if (figures.has(dir)) return figures.get(dir) ?? null;
	let total: number | null = null;
	const add = (value: number | null) => {
		if (value !== null) total = (total ?? 0) + value;
	};
	for (const pid of parseProcs(procs ?? readText(`${dir}/cgroup.procs`) ?? '')) add(rssOf(pid));
	// Not path.join: it normalises again on every tick; the directories asked for are already normal (path.join'd).
	for (const child of childCgroups(dir)) add(summedRss(`${dir}/${child}`, rssOf, figures));
	figures.set(dir, total);
	return total;
}

/**
 * Names of the child cgroups of `dir`. kernfs gives a directory a link count of 2 plus
 * its subdirectories (fs/kernfs/inode.c, kernfs_refresh_inode), so a count of 2 spares
 * the readdir: one stat instead of open, getdents and close on every tick.
 */
function childCgroups(dir: string): string[] {
	try {
		if (statSync(dir).nlink === 2) return [];
		return readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
	} catch {
		return [];
	}
}

/** The sample of one reading; records the memory figure in `figures`. */
function toSample(reading: CgroupReading, dir: string, atMs: number, rssOf: RssOf, figures: Figures): CgroupSample {
	if (!reading) return {exists: false, inode: null, usageUsec: null, memoryBytes: null, memoryApprox: false, atMs};
	const current = reading.memoryCurrent === null ? null : parseMemoryCurrent(reading.memoryCurrent);
	const approx = current === null;
	const memoryBytes = approx ? summedRss(dir, rssOf, figures, reading.cgroupProcs) : current;
	figures.set(dir, memoryBytes);
	return {exists: true, inode: reading.inode, usageUsec: reading.cpuStat === null ? null : parseCpuStat(reading.cpuStat), memoryBytes, memoryApprox: approx, atMs};
}

/**
 * Samples one cgroup directory with plain reads (stat, then open/read/close of each file).
 * @param pageSize bytes per page, for /proc/PID/statm
 */
export function sampleCgroup(dir: string, atMs: number, procRoot = '/proc', pageSize = systemPageSize()): CgroupSample {
	return toSample(readCgroupPlain(dir), dir, atMs, (pid) => readStatm(`${procRoot}/${pid}/statm`, pageSize), new Map());
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
	const budget = new FdBudget(options.maxOpenFiles ?? 4096);
	const files = new CgroupFiles(options, budget);
	const processes = new ProcessRss(options.procRoot ?? '/proc', options.pageSize ?? systemPageSize(), budget);
	const rssOf = (pid: number) => processes.rssBytes(pid);
	return {
		sample(groups, partial = false) {
			const atMs = now();
			const figures: Figures = new Map();
			const byKey = new Map<string, CgroupSample>();
			// Children before parents: a slice without memory.current sums its units' figures instead of reading /proc again.
			const ordered = [...groups].map(([key, dir]) => ({key, dir, depth: depth(dir)})).sort((a, b) => b.depth - a.depth);
			for (const {key, dir} of ordered) byKey.set(key, toSample(files.read(dir), dir, atMs, rssOf, figures));
			if (!partial) {
				files.endSampling();
				processes.endSampling();
			}
			const result = new Map<string, CgroupSample>();
			for (const key of groups.keys()) result.set(key, byKey.get(key)!);
			return result;
		},
		close() {
			files.close();
			processes.close();
		},
	};
}

/** Finds the cgroup2 mount point from /proc/self/mountinfo; `/sys/fs/cgroup` when not found. */
export function detectCgroupRoot(mountinfoFile = '/proc/self/mountinfo'): string {
	return findCgroup2Mount(readText(mountinfoFile) ?? '') ?? '/sys/fs/cgroup';
}
