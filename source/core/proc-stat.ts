/**
 * The CPU lines of /proc/stat (proc_stat(5); kernel doc: filesystems/proc.rst, "1.7
 * Miscellaneous kernel statistics in /proc/stat"): the `cpu` line sums the time of every
 * CPU, in USER_HZ ticks, as user nice system idle iowait irq softirq steal guest guest_nice;
 * one `cpuN` line follows per CPU. Pure.
 */

/** Busy and total time of all CPUs since boot, in USER_HZ ticks, and the number of CPUs. */
export type CpuTimes = Readonly<{busy: number; total: number; cpuCount: number}>;

/**
 * Parses the `cpu` line and counts the `cpuN` lines. Busy is user + nice + system + irq +
 * softirq + steal; the total adds idle and iowait (guest time is already counted in user,
 * proc_stat(5)).
 * @returns null when there is no `cpu` line with at least four numbers
 */
export function parseProcStatCpu(text: string): CpuTimes | null {
	if (!text.startsWith('cpu ')) return null;
	const end = text.indexOf('\n');
	const fields = text.slice(4, end === -1 ? undefined : end).trim().split(/\s+/).map(Number);
	if (fields.length < 4 || fields.some((n) => !Number.isFinite(n) || n < 0)) return null;
	const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
	const busy = user + nice + system + irq + softirq + steal;
	let cpuCount = 0;
	for (let at = end; at !== -1 && text.startsWith('cpu', at + 1); at = text.indexOf('\n', at + 1)) cpuCount++;
	return {busy, total: busy + idle + iowait, cpuCount};
}

/**
 * Host CPU use between two readings, in percent of ONE core (a 4-core host fully busy
 * shows 400), like the per-unit figures, to one decimal. Null when no time passed.
 */
export function hostCpuPercent(previous: CpuTimes, current: CpuTimes): number | null {
	const total = current.total - previous.total;
	const busy = current.busy - previous.busy;
	if (total <= 0 || busy < 0) return null;
	return Math.round((busy / total) * current.cpuCount * 1000) / 10;
}
