/**
 * Reads a cgroup directory's cpu.stat and memory.current, keeping the files
 * open between samples so that a steady-state reading is one pread(2) per file.
 *
 * Why this works: cgroupfs files are seq_files (kernel doc:
 * Documentation/filesystems/seq_file.rst); a read at offset 0 renders the
 * content afresh, so an fd opened once keeps giving current figures. When the
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
import {closeSync, openSync, readFileSync, readSync, statSync} from 'node:fs';
import {posix as path} from 'node:path';

/** What one cgroup directory held at one reading; null when the directory does not exist. */
export type CgroupReading = Readonly<{
	/** Inode of the directory. */
	inode: number;
	/** cpu.stat text; null when unreadable. */
	cpuStat: string | null;
	/** memory.current text; null when absent (no memory controller) or unreadable. */
	memoryCurrent: string | null;
}> | null;

/** Tuning of {@link CgroupFiles}. */
export type CgroupFilesOptions = Readonly<{
	/** Most fds held open at once (each group holds 1 or 2); groups beyond are read with plain reads. Default 4096. */
	maxOpenFiles?: number;
	/** A group's directory is stat'ed again after this many readings from open fds. Default 30 (30 s at a 1 s refresh). */
	revalidateEvery?: number;
}>;

type Entry = {
	inode: number;
	cpuFd: number;
	memoryFd: number | null;
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
	return {inode: stat.ino, cpuStat: readText(path.join(dir, 'cpu.stat')), memoryCurrent: readText(path.join(dir, 'memory.current'))};
}

/**
 * Open cpu.stat and memory.current fds of the cgroups sampled, by directory.
 * Call {@link CgroupFiles.read} for each group of one sampling, then
 * {@link CgroupFiles.endSampling} to close the fds of groups not asked for;
 * {@link CgroupFiles.close} closes everything (the object stays usable).
 */
export class CgroupFiles {
	private readonly entries = new Map<string, Entry>();
	private readonly maxOpenFiles: number;
	private readonly revalidateEvery: number;
	private openFiles = 0;
	private generation = 0;
	/** Reused for every pread; grows if a file does not fit. */
	private buffer = Buffer.allocUnsafe(4096);

	constructor(options: CgroupFilesOptions = {}) {
		this.maxOpenFiles = options.maxOpenFiles ?? 4096;
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
		if (this.openFiles + 2 > this.maxOpenFiles) return readCgroupPlain(dir);
		const stat = statSync(dir, {throwIfNoEntry: false});
		if (!stat) return null;
		const cpuFd = openOrNull(path.join(dir, 'cpu.stat'));
		// cpu.stat is in every cgroup v2 directory and is the liveness probe; without it, plain reads.
		if (cpuFd === null) return readCgroupPlain(dir);
		const entry: Entry = {inode: stat.ino, cpuFd, memoryFd: openOrNull(path.join(dir, 'memory.current')), age: 0, generation: this.generation};
		this.entries.set(dir, entry);
		this.openFiles += entry.memoryFd === null ? 1 : 2;
		const reading = this.readEntry(entry);
		if (reading) return reading;
		this.drop(dir, entry);
		return readCgroupPlain(dir);
	}

	/** Stats the directory: false when it is gone or another one; opens memory.current if it appeared. */
	private revalidate(dir: string, entry: Entry): boolean {
		entry.age = 0;
		if (statSync(dir, {throwIfNoEntry: false})?.ino !== entry.inode) return false;
		if (entry.memoryFd === null && this.openFiles < this.maxOpenFiles) {
			entry.memoryFd = openOrNull(path.join(dir, 'memory.current'));
			if (entry.memoryFd !== null) this.openFiles++;
		}
		return true;
	}

	/** Both files from their fds; undefined when a read failed. */
	private readEntry(entry: Entry): NonNullable<CgroupReading> | undefined {
		try {
			const cpuStat = this.readAtStart(entry.cpuFd);
			const memoryCurrent = entry.memoryFd === null ? null : this.readAtStart(entry.memoryFd);
			return {inode: entry.inode, cpuStat, memoryCurrent};
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
		closeSync(entry.cpuFd);
		if (entry.memoryFd !== null) closeSync(entry.memoryFd);
		this.openFiles -= entry.memoryFd === null ? 1 : 2;
		this.entries.delete(dir);
	}
}
