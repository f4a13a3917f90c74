/**
 * Host CPU use from the kernel's time counters in /proc/stat (one read of one file; no
 * process spawned). Neither `os.cpus()`, which also reads /proc/cpuinfo and each CPU's
 * cpufreq files in sysfs on every call, nor systeminformation's `currentLoad()`, which on
 * Linux runs `cat /proc/stat | grep cpu` through a shell on every call, is used for this.
 */
import {readFileSync} from 'node:fs';
import {hostCpuPercent, parseProcStatCpu} from '../core/proc-stat.js';

/** One reading of the sampler. */
export type HostCpu = Readonly<{
	/** Use since the previous reading, % of ONE core; null on the first reading or when /proc/stat was unreadable. */
	cpuPercent: number | null;
	/** CPUs the kernel reports (`cpuN` lines); 0 when /proc/stat was unreadable. */
	cpuCount: number;
}>;

/**
 * A sampler: each call reads /proc/stat and returns the host CPU use since the previous call.
 * @param read the text of /proc/stat (tests pass their own); a throw counts as unreadable
 */
export function createHostCpuSampler(read: () => string = () => readFileSync('/proc/stat', 'latin1')): () => HostCpu {
	let previous: ReturnType<typeof parseProcStatCpu> = null;
	return () => {
		let current: ReturnType<typeof parseProcStatCpu> = null;
		try {
			current = parseProcStatCpu(read());
		} catch {
			// unreadable: no figure this time
		}
		const cpuPercent = previous && current ? hostCpuPercent(previous, current) : null;
		previous = current;
		return {cpuPercent, cpuCount: current?.cpuCount ?? 0};
	};
}
