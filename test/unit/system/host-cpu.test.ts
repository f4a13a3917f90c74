import {readFileSync} from 'node:fs';
import os from 'node:os';
import {describe, expect, it} from 'vitest';
import {hostCpuPercent, parseProcStatCpu} from '../../../source/core/proc-stat.js';
import {createHostCpuSampler} from '../../../source/system/host-cpu.js';
import {createHostView} from '../../../source/system/host.js';

/** /proc/stat of a 2-CPU host, cut after the per-CPU lines (the real file goes on with intr, ctxt, ...). */
const stat = (user: number, system: number, idle: number, iowait = 0, steal = 0) =>
	`cpu  ${user} 0 ${system} ${idle} ${iowait} 0 0 ${steal} 0 0\ncpu0 ${user} 0 ${system} ${idle / 2} 0 0 0 0 0 0\ncpu1 0 0 0 ${idle / 2} 0 0 0 0 0 0\nintr 5 1 0\nctxt 99\n`;

describe('/proc/stat', () => {
	it('sums busy (user nice system irq softirq steal) and total (adding idle and iowait) time, and counts the CPUs', () => {
		expect(parseProcStatCpu('cpu  100 5 50 800 40 3 2 10 7 0\ncpu0 1 2 3 4\ncpu1 1 2 3 4\ncpu2 1 2 3 4\nintr 1\n')).toEqual({busy: 170, total: 1010, cpuCount: 3});
		expect(parseProcStatCpu(stat(300, 100, 600))).toEqual({busy: 400, total: 1000, cpuCount: 2});
	});

	it('gives null for text that is not /proc/stat', () => {
		expect(parseProcStatCpu('')).toBeNull();
		expect(parseProcStatCpu('intr 1 2\ncpu  1 2 3 4\n')).toBeNull();
		expect(parseProcStatCpu('cpu  1 2 x 4\n')).toBeNull();
		expect(parseProcStatCpu('cpu  1 2\n')).toBeNull();
	});

	it('reads the host\'s own file: as many CPUs as the kernel reports, and time that only grows', () => {
		const first = parseProcStatCpu(readFileSync('/proc/stat', 'latin1'))!;
		expect(first.cpuCount).toBe(os.cpus().length);
		const second = parseProcStatCpu(readFileSync('/proc/stat', 'latin1'))!;
		expect(second.total).toBeGreaterThanOrEqual(first.total);
		expect(second.busy).toBeGreaterThanOrEqual(first.busy);
	});

	it('gives percent of one core between two readings', () => {
		// Two CPUs: one fully busy and one idle over the interval is 100 % of one core.
		expect(hostCpuPercent({busy: 0, total: 0, cpuCount: 2}, {busy: 1000, total: 2000, cpuCount: 2})).toBe(100);
		expect(hostCpuPercent({busy: 500, total: 2000, cpuCount: 2}, {busy: 500, total: 2000, cpuCount: 2})).toBeNull();
		// iowait is waiting, not work; steal is time the hypervisor took from a runnable CPU.
		expect(hostCpuPercent(parseProcStatCpu(stat(0, 0, 0))!, parseProcStatCpu(stat(100, 0, 600, 200, 100))!)).toBe(40);
	});
});

describe('host CPU sampler', () => {
	it('returns null first, then the use since the previous call, with the CPU count', () => {
		const readings = [stat(0, 0, 0), stat(300, 100, 600)];
		const sample = createHostCpuSampler(() => readings.shift()!);
		expect(sample()).toEqual({cpuPercent: null, cpuCount: 2});
		expect(sample()).toEqual({cpuPercent: 80, cpuCount: 2});
	});

	it('gives no figure for an unreadable reading and starts over after it', () => {
		const readings: Array<string | Error> = [stat(0, 0, 0), new Error('EACCES'), stat(300, 100, 600), stat(600, 100, 1300)];
		const sample = createHostCpuSampler(() => {
			const next = readings.shift()!;
			if (next instanceof Error) throw next;
			return next;
		});
		expect([sample(), sample(), sample(), sample()].map((r) => r.cpuPercent)).toEqual([null, null, null, 60]);
	});

	it('the host view reads the real host: a CPU figure from the second reading on, and the kernel\'s CPU count', async () => {
		const view = createHostView();
		expect(view()).toMatchObject({cpuCount: os.cpus().length, cpuPercent: null});
		// The counters tick in USER_HZ (10 ms): let a few pass.
		await new Promise((resolve) => setTimeout(resolve, 60));
		const second = view();
		expect(second.cpuPercent).toBeTypeOf('number');
		expect(second.cpuPercent!).toBeGreaterThanOrEqual(0);
		expect(second.cpuPercent!).toBeLessThanOrEqual(second.cpuCount * 100);
		expect(second.memAvailableBytes).toBeLessThanOrEqual(second.memTotalBytes);
	});
});
