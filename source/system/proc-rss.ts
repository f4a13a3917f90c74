/**
 * Resident set size of processes from /proc/PID/statm (proc(5)), for the summed-RSS
 * fallback of the metrics reader, with each file kept open between samples and
 * re-read by one pread(2) at offset 0 (a seq_file: it renders afresh).
 *
 * An fd of /proc/PID/... stays bound to the process it was opened for: once that
 * process has exited (zombie or reaped), every read fails with ESRCH, even after its
 * PID was given to another process (proc(5); checked on Linux 6.18). So a failed
 * read closes the fd and opens the path again, which reaches the PID's new owner.
 */
import {closeSync, openSync, readFileSync, readSync} from 'node:fs';
import {parseAuxvPageSize, parseStatmRss} from '../core/cgroup.js';
import {FdBudget} from './cgroup-files.js';

/** Bytes per page from /proc/self/auxv (getauxval(3), AT_PAGESZ); 4096 when unreadable or implausible. */
export function systemPageSize(auxvFile = '/proc/self/auxv'): number {
	let size: number | null = null;
	try {
		size = parseAuxvPageSize(readFileSync(auxvFile));
	} catch {
		size = null;
	}
	// A power of two from 4 KiB to 1 MiB; anything else means a layout this parser does not know.
	return size !== null && size >= 4096 && size <= 1 << 20 && (size & (size - 1)) === 0 ? size : 4096;
}

/** Per-PID open statm files; see the module comment. */
export class ProcessRss {
	private readonly fds = new Map<number, {fd: number; generation: number}>();
	private generation = 0;
	private readonly buffer = Buffer.allocUnsafe(256);

	/**
	 * @param procRoot the proc(5) mount, `/proc` but in tests
	 * @param pageSize bytes per page ({@link systemPageSize})
	 * @param budget fds this may hold, shared with the cgroup files
	 */
	constructor(
		private readonly procRoot: string,
		private readonly pageSize: number,
		private readonly budget: FdBudget,
	) {}

	/** Number of fds held open now. */
	get openCount(): number {
		return this.fds.size;
	}

	/** RSS of one process, bytes; null when it has exited or has no memory (zombie, kernel thread). Never throws. */
	rssBytes(pid: number): number | null {
		const held = this.fds.get(pid);
		if (held) {
			held.generation = this.generation;
			const text = this.readAtStart(held.fd);
			if (text !== null) return parseStatmRss(text, this.pageSize);
			this.drop(pid, held.fd);
		}
		const file = `${this.procRoot}/${pid}/statm`;
		if (!this.budget.take(1)) return readStatm(file, this.pageSize);
		let fd: number;
		try {
			fd = openSync(file, 'r');
		} catch {
			this.budget.give(1);
			return null;
		}
		this.fds.set(pid, {fd, generation: this.generation});
		const text = this.readAtStart(fd);
		if (text !== null) return parseStatmRss(text, this.pageSize);
		this.drop(pid, fd);
		return null;
	}

	/** Ends one sampling: closes the fds of processes not asked for since the previous call. */
	endSampling(): void {
		for (const [pid, held] of this.fds) if (held.generation !== this.generation) this.drop(pid, held.fd);
		this.generation++;
	}

	/** Closes every fd held. */
	close(): void {
		for (const [pid, held] of this.fds) this.drop(pid, held.fd);
	}

	/** The file's text (statm is one short line); null when the read failed. */
	private readAtStart(fd: number): string | null {
		try {
			return this.buffer.toString('latin1', 0, readSync(fd, this.buffer, 0, this.buffer.length, 0));
		} catch {
			return null;
		}
	}

	private drop(pid: number, fd: number): void {
		closeSync(fd);
		this.fds.delete(pid);
		this.budget.give(1);
	}
}

/** RSS from /proc/PID/statm with a plain read, bytes; null when unreadable. */
export function readStatm(file: string, pageSize: number): number | null {
	try {
		return parseStatmRss(readFileSync(file, 'latin1'), pageSize);
	} catch {
		return null;
	}
}
