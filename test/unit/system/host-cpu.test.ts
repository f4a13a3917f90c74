import {describe, expect, it} from 'vitest';
import {createHostCpuSampler, hostCpuPercent, sumCpuTimes} from '../../../source/system/host-cpu.js';

const cpu = (user: number, sys: number, idle: number) => ({model: 'x', speed: 0, times: {user, nice: 0, sys, idle, irq: 0}});

describe('host CPU', () => {
	it('sums busy and total time over all CPUs', () => {
		expect(sumCpuTimes([cpu(100, 50, 850), cpu(10, 0, 990)])).toEqual({busyMs: 160, totalMs: 2000});
	});

	it('gives percent of one core between two readings', () => {
		// Two cores: one fully busy and one idle over the interval is 100 % of one core.
		expect(hostCpuPercent({busyMs: 0, totalMs: 0}, {busyMs: 1000, totalMs: 2000}, 2)).toBe(100);
		expect(hostCpuPercent({busyMs: 500, totalMs: 2000}, {busyMs: 500, totalMs: 2000}, 2)).toBeNull();
	});

	it('a sampler returns null first, then the use since the previous call', () => {
		const readings = [[cpu(0, 0, 0), cpu(0, 0, 0)], [cpu(300, 100, 600), cpu(0, 0, 1000)]];
		const sample = createHostCpuSampler(() => readings.shift()!);
		expect(sample()).toBeNull();
		expect(sample()).toBe(40);
	});
});
