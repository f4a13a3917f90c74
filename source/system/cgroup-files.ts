/**
 * Reads a cgroup directory's cpu.stat and memory.current (and cgroup.procs where
 * memory.current is absent), keeping the files open between samples so that a
 * steady-state reading is one pread(2) per file.
 *
 * Why this works: cgroupfs files are seq_files (kernel doc:
 * Documentation/filesystems/seq_file.rst), and a read at offset 0 restarts the
 * rendering (fs/seq_file.c, seq_read_iter: "if request is to read from zero
 * offset, reset iterator"), so an fd opened once keeps giving current figures. When the
 * cgroup is removed, kernfs deactivates its files and every later read on an
 * fd opened before fails with ENODEV (fs/kernfs/file.c; checked on Linux 6.18
 * by test/unit/system/cgroup-files.test.ts on the host's cgroup2 mount).
 *
 * How a removed or recreated cgroup is seen without a stat per tick:
 * - a read that fails closes the group's fds and reopens by path: stat(2) of
 *   the directory gives `exists: false`, or the new directory's inode (a unit
 *   stopped and started again between two samples gives a new inode);
 * - every `revalidateEvery` readings the directory is stat'ed anyway, as a
 *   backstop where an unlinked file stays readable (ordinary filesystems, as in
 *   the test fixtures and benchmarks) and to notice a memory.current that
 *   appeared since (the memory controller enabled later).
 */
import {closeSync, existsSync, openSync, readFileSync, readSync, statSync} from 'node:fs';
import {posix as path} from 'node:path';

/** What one cgroup directory held at one reading; null when the directory does not exist. */
export type CgroupReading = Readonly<{
	/** Inode of the directory. */
	inode: number;
	/** cpu.stat text; null when unreadable. */
	cpuStat: string | null;
	/** memory.current text; null when absent (no memory controller) or unreadable. */
	memoryCurrent: string | null;
	/** cgroup.procs text, read only where memory.current is absent (for summed RSS); else null. */
	cgroupProcs: string | null;
}> | null;

/** How many fds may be held open at once, shared by the readers that keep files open. */
export class FdBudget {
	private used = 0;

	/** @param limit most fds held at once */
	constructor(private readonly limit: number) {}

	/** Reserves `count` fds; false (nothing reserved) when that would pass the limit. */
	take(count: number): boolean {
		if (this.used + count > this.limit) return false;
		this.used += count;
		return true;
	}

	/** Returns `count` reserved fds. */
	give(count: number): void {
		this.used -= count;
	}
}

/** Tuning of the open files. */
export type CgroupFilesOptions = Readonly<{
	/** Most fds held open at once (each group holds 1 to 2, each process for summed RSS 1); files beyond are read with plain reads. Default 4096. */
	maxOpenFiles?: number;
	/** A group's directory is stat'ed again after this many readings from open fds. Default 30 (30 s at a 1 s refresh). */
	revalidateEvery?: number;
}>;

type Entry = {
	inode: number;
	cpuFd: number;
	memoryFd: number | null;
	/** Open only while memoryFd is null. */
	procsFd: number | null;
	/** Readings since the directory was last stat'ed. */
	age: number;
	/** The sampling generation that last asked for this group. */
	generation: number;
};

function readText(file: string): string | null {
	try {
		return readFileSync(file, 'latin1');
	} catch {
		return null;
	}
}

function openOrNull(file: string): number | null {
	try {
		return openSync(file, 'r');
	} catch {
		return null;
	}
}

/**
 * One reading with plain calls: stat(2) of the directory, then open/read/close of each file.
 * Never throws.
 */
export function readCgroupPlain(dir: string): CgroupReading {
	const stat = statSync(dir, {throwIfNoEntry: false});
	if (!stat) return null;
	const memoryCurrent = readText(path.join(dir, 'memory.current'));
	return {inode: stat.ino, cpuStat: readText(path.join(dir, 'cpu.stat')), memoryCurrent, cgroupProcs: memoryCurrent === null ? readText(path.join(dir, 'cgroup.procs')) : null};
}

/**
 * Open fds of the cgroups sampled (cpu.stat, and memory.current or else cgroup.procs), by directory.
 * Call {@link CgroupFiles.read} for each group of one sampling, then
 * {@link CgroupFiles.endSampling} to close the fds of groups not asked for;
 * {@link CgroupFiles.close} closes everything (the object stays usable).
 */
export class CgroupFiles {
	private readonly entries = new Map<string, Entry>();
	private readonly revalidateEvery: number;
	private openFiles = 0;
	private generation = 0;
	/** Reused for every pread; grows if a file does not fit. */
	private buffer = Buffer.allocUnsafe(4096);

	/** @param budget fds this may hold; its own, of `options.maxOpenFiles`, when not given */
	constructor(
		options: CgroupFilesOptions = {},
		private readonly budget = new FdBudget(options.maxOpenFiles ?? 4096),
	) {
		this.revalidateEvery = Math.max(1, options.revalidateEvery ?? 30);
	}

	/** Number of fds held open now. */
	get openCount(): number {
		return this.openFiles;
	}

	/** Reads one group's files; never throws. */
	read(dir: string): CgroupReading {
		let entry = this.entries.get(dir);
		if (entry && ++entry.age >= this.revalidateEvery && !this.revalidate(dir, entry)) {
			this.drop(dir, entry);
			entry = undefined;
		}
		if (entry) {
			entry.generation = this.generation;
			const reading = this.readEntry(entry);
			if (reading) return reading;
			// ENODEV: the cgroup was removed (maybe already created again); reopen by path.
			this.drop(dir, entry);
		}
		return this.open(dir);
	}

	/** Ends one sampling: closes the fds of groups not read since the previous call. */
	endSampling(): void {
		for (const [dir, entry] of this.entries) if (entry.generation !== this.generation) this.drop(dir, entry);
		this.generation++;
	}

	/** Closes every fd held. */
	close(): void {
		for (const [dir, entry] of this.entries) this.drop(dir, entry);
	}

	private open(dir: string): CgroupReading {
		// cpu.stat, and memory.current or else cgroup.procs: up to 2 fds; what is not used is given back below.
		if (!this.budget.take(2)) return readCgroupPlain(dir);
		const stat = statSync(dir, {throwIfNoEntry: false});
		const cpuFd = stat ? openOrNull(path.join(dir, 'cpu.stat')) : null;
		// cpu.stat is in every cgroup v2 directory and is the liveness probe; without it, plain reads.
		if (!stat || cpuFd === null) {
			this.budget.give(2);
			return stat ? readCgroupPlain(dir) : null;
		}
		const memoryFd = openOrNull(path.join(dir, 'memory.current'));
		const entry: Entry = {inode: stat.ino, cpuFd, memoryFd, procsFd: memoryFd === null ? openOrNull(path.join(dir, 'cgroup.procs')) : null, age: 0, generation: this.generation};
		this.entries.set(dir, entry);
		this.openFiles += fdsOf(entry);
		this.budget.give(2 - fdsOf(entry));
		const reading = this.readEntry(entry);
		if (reading) return reading;
		this.drop(dir, entry);
		return readCgroupPlain(dir);
	}

	/** Stats the directory: false when it is gone or another one, or when memory.current appeared (reopen to read it). */
	private revalidate(dir: string, entry: Entry): boolean {
		entry.age = 0;
		if (statSync(dir, {throwIfNoEntry: false})?.ino !== entry.inode) return false;
		return entry.memoryFd !== null || !existsSync(path.join(dir, 'memory.current'));
	}

	/** The files from their fds; undefined when a read failed. */
	private readEntry(entry: Entry): NonNullable<CgroupReading> | undefined {
		try {
			const cpuStat = this.readAtStart(entry.cpuFd);
			const memoryCurrent = entry.memoryFd === null ? null : this.readAtStart(entry.memoryFd);
			const cgroupProcs = entry.procsFd === null ? null : this.readAtStart(entry.procsFd);
			return {inode: entry.inode, cpuStat, memoryCurrent, cgroupProcs};
		} catch {
			return undefined;
		}
	}

	/** The whole file by one pread(2) at offset 0 (more only if it does not fit the buffer). @throws on a failed read */
	private readAtStart(fd: number): string {
		let length = readSync(fd, this.buffer, 0, this.buffer.length, 0);
		while (length === this.buffer.length) {
			this.buffer = Buffer.allocUnsafe(this.buffer.length * 2);
			length = readSync(fd, this.buffer, 0, this.buffer.length, 0);
		}
		return this.buffer.toString('latin1', 0, length);
	}

	private drop(dir: string, entry: Entry): void {
		for (const fd of [entry.cpuFd, entry.memoryFd, entry.procsFd]) if (fd !== null) closeSync(fd);
		this.openFiles -= fdsOf(entry);
		this.budget.give(fdsOf(entry));
		this.entries.delete(dir);
	}
}

function fdsOf(entry: Entry): number {
	return 1 + (entry.memoryFd === null ? 0 : 1) + (entry.procsFd === null ? 0 : 1);
}
