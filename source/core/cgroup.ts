/**
 * cgroup v2 file formats and the arithmetic over them (kernel doc:
 * Documentation/admin-guide/cgroup-v2.rst, "cpu.stat", "memory.current").
 * Pure: the reading lives in source/system/metrics.ts.
 */

/** One reading of one cgroup. */
export type CgroupSample = Readonly<{
	/** Whether the cgroup directory existed. */
	exists: boolean;
	/** Inode of the cgroup directory: a new one means the unit stopped and started again. */
	inode: number | null;
	/** `usage_usec` from cpu.stat: CPU time used, µs; null if unreadable. */
	usageUsec: number | null;
	/** Memory in bytes: memory.current, or summed RSS (see `memoryApprox`); null if unknown. */
	memoryBytes: number | null;
	/** True when memoryBytes is summed RSS of cgroup.procs (no memory controller), not memory.current. */
	memoryApprox: boolean;
	/** When the sample was taken, ms on a monotonic clock. */
	atMs: number;
}>;

/** Reads `usage_usec` from cpu.stat text; null if absent. */
export function parseCpuStat(text: string): number | null {
	const m = /^usage_usec (\d+)$/m.exec(text);
	return m ? Number(m[1]) : null;
}

/** Parses memory.current (a byte count) ; null for anything else. */
export function parseMemoryCurrent(text: string): number | null {
	const t = text.trim();
	return /^\d+$/.test(t) ? Number(t) : null;
}

/** Parses cgroup.procs: one PID per line. */
export function parseProcs(text: string): number[] {
	return text.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

/**
 * Reads the resident set size from /proc/PID/statm (proc(5): the second field,
 * "resident", in pages; the same counters as VmRSS in /proc/PID/status, and far
 * cheaper for the kernel to render).
 * @param pageSize bytes per page ({@link parseAuxvPageSize})
 * @returns bytes; null for malformed text or a process without memory (kernel threads and
 *   zombies show all fields 0)
 */
export function parseStatmRss(statmText: string, pageSize: number): number | null {
	const m = /^(\d+) (\d+) /.exec(statmText);
	if (!m || m[1] === '0') return null;
	return Number(m[2]) * pageSize;
}

/** AT_PAGESZ in the auxiliary vector (getauxval(3), <elf.h>). */
const AT_PAGESZ = 6n;

/**
 * The page size from /proc/self/auxv bytes (proc(5): pairs of unsigned longs, type then
 * value, ending with AT_NULL; 64-bit little-endian here, as on x86_64 and arm64).
 * @returns bytes per page; null when AT_PAGESZ is not found
 */
export function parseAuxvPageSize(auxv: Uint8Array): number | null {
	const view = new DataView(auxv.buffer, auxv.byteOffset, auxv.byteLength);
	for (let at = 0; at + 16 <= auxv.byteLength; at += 16) {
		const type = view.getBigUint64(at, true);
		if (type === 0n) break;
		if (type === AT_PAGESZ) return Number(view.getBigUint64(at + 8, true));
	}
	return null;
}

/**
 * CPU use between two samples of the same cgroup, in percent of ONE core
 * (200 means two cores busy). Null when either sample lacks usage, the cgroup
 * was recreated in between (a restart resets the counter), or no time passed.
 */
export function cpuPercent(previous: CgroupSample | undefined, current: CgroupSample): number | null {
	if (!previous || previous.usageUsec === null || current.usageUsec === null) return null;
	if (previous.inode !== current.inode) return null;
	const wallUsec = (current.atMs - previous.atMs) * 1000;
	const used = current.usageUsec - previous.usageUsec;
	if (wallUsec <= 0 || used < 0) return null;
	return (used / wallUsec) * 100;
}

/**
 * Finds the cgroup2 mount point in /proc/self/mountinfo text (proc(5): field 5
 * is the mount point; the filesystem type follows the ` - ` separator).
 * @returns the mount point, or null when cgroup2 is not mounted
 */
export function findCgroup2Mount(mountinfo: string): string | null {
	for (const line of mountinfo.split('\n')) {
		const sep = line.indexOf(' - ');
		if (sep < 0) continue;
		if (line.slice(sep + 3).split(' ')[0] !== 'cgroup2') continue;
		const mountPoint = line.slice(0, sep).split(' ')[4];
		if (mountPoint) return decodeMountinfoPath(mountPoint);
	}
	return null;
}

/** Decodes the octal escapes (`\040` for space, ...) the kernel writes in mountinfo paths. */
export function decodeMountinfoPath(field: string): string {
	return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Mount points of all overlayfs mounts in mountinfo text.
 * @returns decoded mount point paths
 */
export function overlayMountPoints(mountinfo: string): string[] {
	const result: string[] = [];
	for (const line of mountinfo.split('\n')) {
		const sep = line.indexOf(' - ');
		if (sep < 0 || line.slice(sep + 3).split(' ')[0] !== 'overlay') continue;
		const field = line.slice(0, sep).split(' ')[4];
		if (field) result.push(decodeMountinfoPath(field));
	}
	return result;
}
