import {renameSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createMetricsReader, detectCgroupRoot, sampleCgroup} from '../../../source/system/metrics.js';
import {fixture, fixturePath} from '../support/fixtures.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

const GAME = 'l4d2.slice/l4d2-game.slice';
const ALPHA = `${GAME}/left4me-server@alpha.service`;
const BETA = `${GAME}/left4me-server@beta.service`;

/** The fixtures' page size, bytes (statm counts pages). */
const PAGE = 4096;
const SRCDS_RSS = 398_748 * 1024;
const SRCDS_RUN_RSS = 3580 * 1024;

let root: string;
let cgroupfs: string;
let proc: string;

/**
 * A cgroupfs as a container without the memory controller shows it (no memory.current),
 * and the matching /proc: alpha runs srcds_run (48190), srcds_linux (48213) and a zombie
 * (48300); beta runs one srcds_linux (49001) and lists a process that has just exited (49999).
 */
function writeContainerTree(): void {
	writeTree(cgroupfs, {
		[`${GAME}/cgroup.procs`]: '',
		[`${GAME}/cpu.stat`]: fixture('cgroupfs/cpu.stat.no-cpu-controller'),
		[`${ALPHA}/cgroup.procs`]: '48190\n48213\n48300\n',
		[`${ALPHA}/cpu.stat`]: fixture('cgroupfs/cpu.stat'),
		[`${BETA}/cgroup.procs`]: '49001\n49999\n',
		[`${BETA}/cpu.stat`]: 'usage_usec 77\nuser_usec 70\nsystem_usec 7\n',
	});
	writeTree(proc, {
		'48190/statm': fixture('proc/statm-srcds-run'),
		'48213/statm': fixture('proc/statm-srcds'),
		'48300/statm': fixture('proc/statm-zombie'),
		'49001/statm': fixture('proc/statm-srcds'),
	});
}

beforeEach(() => {
	root = tempDir('cgroupfs');
	cgroupfs = join(root, 'sys/fs/cgroup');
	proc = join(root, 'proc');
	writeContainerTree();
});

afterEach(() => removeTree(root));

describe('MetricsReader on a cgroupfs without the memory controller', () => {
	const reader = () => createMetricsReader({nowMs: () => 1234.5, procRoot: proc, pageSize: PAGE});

	it('sums the RSS of the cgroup\'s processes and marks memory approximate', () => {
		const samples = reader().sample(new Map([['left4me-server@alpha.service', join(cgroupfs, ALPHA)]]));
		expect(samples.get('left4me-server@alpha.service')).toEqual({
			exists: true,
			inode: statSync(join(cgroupfs, ALPHA)).ino,
			usageUsec: 8_406_153,
			memoryBytes: SRCDS_RUN_RSS + SRCDS_RSS,
			memoryApprox: true,
			atMs: 1234.5,
		});
	});

	it('skips processes that exited between reading cgroup.procs and their statm', () => {
		const sample = reader().sample(new Map([['beta', join(cgroupfs, BETA)]])).get('beta');
		expect(sample?.memoryBytes).toBe(SRCDS_RSS);
		expect(sample?.usageUsec).toBe(77);
	});

	it('sums every child cgroup for a slice', () => {
		const sample = reader().sample(new Map([['l4d2-game.slice', join(cgroupfs, GAME)]])).get('l4d2-game.slice');
		expect(sample).toMatchObject({exists: true, usageUsec: 1_250_333, memoryBytes: SRCDS_RUN_RSS + SRCDS_RSS + SRCDS_RSS, memoryApprox: true});
	});

	it('gives null memory when no process could be read', () => {
		writeTree(cgroupfs, {[`${ALPHA}/cgroup.procs`]: '59999\n'});
		const sample = reader().sample(new Map([['alpha', join(cgroupfs, ALPHA)]])).get('alpha');
		expect(sample).toMatchObject({exists: true, memoryBytes: null, memoryApprox: true});
	});

	it('gives exists:false, never an error, for a missing cgroup directory', () => {
		const samples = reader().sample(new Map([['left4me-server@gone.service', join(cgroupfs, GAME, 'left4me-server@gone.service')]]));
		expect(samples.get('left4me-server@gone.service')).toEqual({exists: false, inode: null, usageUsec: null, memoryBytes: null, memoryApprox: false, atMs: 1234.5});
	});

	it('samples every group at the same instant, keyed as asked', () => {
		let calls = 0;
		const samples = createMetricsReader({nowMs: () => ++calls * 1000, procRoot: proc, pageSize: PAGE}).sample(
			new Map([
				['a', join(cgroupfs, ALPHA)],
				['b', join(cgroupfs, BETA)],
				['g', join(cgroupfs, GAME)],
			]),
		);
		expect([...samples.keys()]).toEqual(['a', 'b', 'g']);
		expect([...samples.values()].map((s) => s.atMs)).toEqual([1000, 1000, 1000]);
		expect(calls).toBe(1);
	});

	it('sees a recreated cgroup as a new inode', () => {
		const before = sampleCgroup(join(cgroupfs, BETA), 0, proc, PAGE);
		// The new directory exists before the old one goes, so it cannot reuse the old inode.
		writeTree(root, {'next/cpu.stat': 'usage_usec 5\n', 'next/cgroup.procs': ''});
		removeTree(join(cgroupfs, BETA));
		renameSync(join(root, 'next'), join(cgroupfs, BETA));
		const after = sampleCgroup(join(cgroupfs, BETA), 1, proc, PAGE);
		expect(after.exists).toBe(true);
		expect(after.inode).not.toBe(before.inode);
		expect(after.usageUsec).toBe(5);
	});
});

describe('MetricsReader on a cgroupfs with the memory controller', () => {
	beforeEach(() => {
		writeTree(cgroupfs, {
			[`${GAME}/memory.current`]: '734003200\n',
			[`${ALPHA}/memory.current`]: '412876800\n',
		});
	});

	it('reads memory.current and does not mark it approximate', () => {
		const samples = createMetricsReader({nowMs: () => 0, procRoot: proc, pageSize: PAGE}).sample(
			new Map([
				['alpha', join(cgroupfs, ALPHA)],
				['game', join(cgroupfs, GAME)],
			]),
		);
		expect(samples.get('alpha')).toMatchObject({memoryBytes: 412_876_800, memoryApprox: false});
		expect(samples.get('game')).toMatchObject({memoryBytes: 734_003_200, memoryApprox: false});
	});

	it('falls back to summed RSS when memory.current is unreadable', () => {
		writeTree(cgroupfs, {[`${ALPHA}/memory.current`]: ''});
		expect(sampleCgroup(join(cgroupfs, ALPHA), 0, proc, PAGE)).toMatchObject({memoryBytes: SRCDS_RUN_RSS + SRCDS_RSS, memoryApprox: true});
	});

	it('gives null usage when cpu.stat is missing', () => {
		removeTree(join(cgroupfs, ALPHA, 'cpu.stat'));
		expect(sampleCgroup(join(cgroupfs, ALPHA), 0, proc, PAGE)).toMatchObject({exists: true, usageUsec: null, memoryBytes: 412_876_800});
	});
});

describe('MetricsReader on a slice without memory.current whose units have it', () => {
	// alpha's memory.current (page cache included) differs from its processes' summed RSS.
	const ALPHA_CURRENT = 412_876_800;
	beforeEach(() => writeTree(cgroupfs, {[`${ALPHA}/memory.current`]: `${ALPHA_CURRENT}\n`}));

	it("sums the figures measured in the same sample: alpha's memory.current, beta's summed RSS", () => {
		const samples = createMetricsReader({nowMs: () => 0, procRoot: proc, pageSize: PAGE}).sample(
			new Map([
				['game', join(cgroupfs, GAME)],
				['alpha', join(cgroupfs, ALPHA)],
				['beta', join(cgroupfs, BETA)],
			]),
		);
		expect(samples.get('alpha')).toMatchObject({memoryBytes: ALPHA_CURRENT, memoryApprox: false});
		expect(samples.get('beta')).toMatchObject({memoryBytes: SRCDS_RSS, memoryApprox: true});
		expect(samples.get('game')).toMatchObject({memoryBytes: ALPHA_CURRENT + SRCDS_RSS, memoryApprox: true});
	});

	it('reads /proc only for processes directly in the slice and for children not sampled', () => {
		// srcds_run (48190) directly in the slice; beta not asked for.
		writeTree(cgroupfs, {[`${GAME}/cgroup.procs`]: '48190\n'});
		const samples = createMetricsReader({nowMs: () => 0, procRoot: proc, pageSize: PAGE}).sample(
			new Map([
				['alpha', join(cgroupfs, ALPHA)],
				['game', join(cgroupfs, GAME)],
			]),
		);
		expect(samples.get('game')).toMatchObject({memoryBytes: SRCDS_RUN_RSS + ALPHA_CURRENT + SRCDS_RSS, memoryApprox: true});
	});
});

describe('detectCgroupRoot', () => {
	it.each([
		['proc/mountinfo-cgroup2', '/sys/fs/cgroup'],
		['proc/mountinfo-hybrid', '/sys/fs/cgroup/unified'],
		['proc/mountinfo-v1-only', '/sys/fs/cgroup'],
	])('%s -> %s', (file, expected) => {
		expect(detectCgroupRoot(fixturePath(file))).toBe(expected);
	});

	it('defaults to /sys/fs/cgroup when mountinfo cannot be read', () => {
		expect(detectCgroupRoot('/nonexistent/mountinfo')).toBe('/sys/fs/cgroup');
	});
});
