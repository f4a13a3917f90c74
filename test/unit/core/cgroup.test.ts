import {describe, expect, it} from 'vitest';
import {
	cpuPercent,
	decodeMountinfoPath,
	findCgroup2Mount,
	overlayMountPoints,
	parseCpuStat,
	parseMemoryCurrent,
	parseAuxvPageSize,
	parseProcs,
	parseStatmRss,
	type CgroupSample,
} from '../../../source/core/cgroup.js';
import {fixture} from '../support/fixtures.js';

describe('parseCpuStat', () => {
	it.each([
		['cpu.stat with the cpu controller', fixture('cgroupfs/cpu.stat'), 8_406_153],
		['cpu.stat without the cpu controller', fixture('cgroupfs/cpu.stat.no-cpu-controller'), 1_250_333],
		['usage_usec not first', 'user_usec 5\nusage_usec 12\n', 12],
		['no usage_usec', 'user_usec 5\nsystem_usec 3\n', null],
		['empty file', '', null],
		['similar key only', 'xusage_usec 5\n', null],
	])('%s', (_name, text, expected) => {
		expect(parseCpuStat(text)).toBe(expected);
	});
});

describe('parseMemoryCurrent', () => {
	it.each([
		['52793344\n', 52_793_344],
		['0\n', 0],
		['', null],
		['max\n', null],
		['-1\n', null],
		['12 34\n', null],
	])('%j -> %j', (text, expected) => {
		expect(parseMemoryCurrent(text)).toBe(expected);
	});
});

describe('parseProcs', () => {
	it.each([
		['48190\n48213\n', [48190, 48213]],
		['', []],
		['\n', []],
		['7', [7]],
		['12\n junk\n13\n', [12, 13]],
	])('%j -> %j', (text, expected) => {
		expect(parseProcs(text)).toEqual(expected);
	});
});

describe('parseStatmRss', () => {
	it.each([
		// The same processes as the status fixtures: resident pages × 4096 = VmRSS.
		['srcds_linux statm', fixture('proc/statm-srcds'), 4096, 398_748 * 1024],
		['srcds_run statm', fixture('proc/statm-srcds-run'), 4096, 3580 * 1024],
		['64 KiB pages', '300 20 10 5 0 100 0\n', 65_536, 20 * 65_536],
		['zombie: no memory, all fields 0', fixture('proc/statm-zombie'), 4096, null],
		['empty', '', 4096, null],
		['not numbers', 'a b c\n', 4096, null],
	])('%s', (_name, text, pageSize, expected) => {
		expect(parseStatmRss(text, pageSize)).toBe(expected);
	});

	it.each([
		['srcds_linux', 'srcds'],
		['srcds_run', 'srcds-run'],
	])('gives the VmRSS that /proc/PID/status shows for the same %s process', (_name, file) => {
		const vmRss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fixture(`proc/status-${file}`))?.[1];
		expect(vmRss).toBeDefined();
		expect(parseStatmRss(fixture(`proc/statm-${file}`), 4096)).toBe(Number(vmRss) * 1024);
	});
});

describe('parseAuxvPageSize', () => {
	/** An auxiliary vector of 64-bit little-endian (type, value) pairs. */
	const auxv = (...pairs: Array<[number, number]>) => {
		const buf = Buffer.alloc(pairs.length * 16);
		pairs.forEach(([type, value], i) => {
			buf.writeBigUInt64LE(BigInt(type), i * 16);
			buf.writeBigUInt64LE(BigInt(value), i * 16 + 8);
		});
		return buf;
	};
	it.each([
		['4 KiB after AT_SYSINFO_EHDR and AT_HWCAP', auxv([33, 0x7f_ff_00_00], [16, 0x178b_fbff], [6, 4096], [0, 0]), 4096],
		['64 KiB', auxv([6, 65_536], [0, 0]), 65_536],
		['absent', auxv([33, 1], [0, 0]), null],
		['after AT_NULL: not read', auxv([0, 0], [6, 4096]), null],
		['truncated pair', auxv([6, 4096]).subarray(0, 12), null],
		['empty', Buffer.alloc(0), null],
	])('%s', (_name, bytes, expected) => {
		expect(parseAuxvPageSize(bytes)).toBe(expected);
	});
});

describe('cpuPercent (percent of ONE core)', () => {
	const sample = (over: Partial<CgroupSample>): CgroupSample => ({
		exists: true,
		inode: 4711,
		usageUsec: 0,
		memoryBytes: null,
		memoryApprox: false,
		atMs: 0,
		...over,
	});
	const t0 = sample({usageUsec: 10_000_000, atMs: 5_000});

	it.each([
		{name: 'half a core over one second', current: sample({usageUsec: 10_500_000, atMs: 6_000}), expected: 50},
		{name: 'two busy cores', current: sample({usageUsec: 12_000_000, atMs: 6_000}), expected: 200},
		{name: 'idle', current: sample({usageUsec: 10_000_000, atMs: 6_000}), expected: 0},
		{name: '25 ms over 250 ms', current: sample({usageUsec: 10_025_000, atMs: 5_250}), expected: 10},
		{name: 'cgroup recreated (new inode)', current: sample({inode: 4712, usageUsec: 20_000, atMs: 6_000}), expected: null},
		{name: 'zero interval', current: sample({usageUsec: 10_500_000, atMs: 5_000}), expected: null},
		{name: 'clock went backwards', current: sample({usageUsec: 10_500_000, atMs: 4_000}), expected: null},
		{name: 'counter went backwards', current: sample({usageUsec: 9_000_000, atMs: 6_000}), expected: null},
		{name: 'current usage unreadable', current: sample({usageUsec: null, atMs: 6_000}), expected: null},
	])('$name -> $expected', ({current, expected}) => {
		expect(cpuPercent(t0, current)).toBe(expected);
	});

	it('is null without a previous sample or with an unreadable previous one', () => {
		const current = sample({usageUsec: 10_500_000, atMs: 6_000});
		expect(cpuPercent(undefined, current)).toBeNull();
		expect(cpuPercent(sample({usageUsec: null}), current)).toBeNull();
	});
});

describe('mountinfo', () => {
	it.each([
		['pure cgroup2 host', fixture('proc/mountinfo-cgroup2'), '/sys/fs/cgroup'],
		['hybrid v1/v2 host', fixture('proc/mountinfo-hybrid'), '/sys/fs/cgroup/unified'],
		['cgroup v1 only', fixture('proc/mountinfo-v1-only'), null],
		['empty', '', null],
		['escaped mount point', '35 31 0:30 / /run/my\\040cgroup rw - cgroup2 cgroup2 rw\n', '/run/my cgroup'],
	])('findCgroup2Mount: %s', (_name, text, expected) => {
		expect(findCgroup2Mount(text)).toBe(expected);
	});

	it('lists overlay mount points with octal escapes decoded', () => {
		expect(overlayMountPoints(fixture('proc/mountinfo-cgroup2'))).toEqual(['/', '/var/lib/left4me/runtime/alpha/merged', '/srv/test dir/merged']);
	});

	it('does not take an optional field or a source named "overlay" for the type', () => {
		const text = '40 29 0:80 / /mnt/x rw shared:1 - tmpfs overlay rw\n41 29 0:81 / /mnt/y rw - ext4 /dev/overlay rw\n';
		expect(overlayMountPoints(text)).toEqual([]);
	});

	it.each([
		['/srv/test\\040dir', '/srv/test dir'],
		['/a\\011b\\012c', '/a\tb\nc'],
		['/back\\134slash', '/back\\slash'],
		['/plain', '/plain'],
		['/not\\08octal', '/not\\08octal'],
	])('decodeMountinfoPath %j', (field, expected) => {
		expect(decodeMountinfoPath(field)).toBe(expected);
	});
});
