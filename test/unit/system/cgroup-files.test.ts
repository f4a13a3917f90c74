import {mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {CgroupFiles} from '../../../source/system/cgroup-files.js';
import {createMetricsReader, detectCgroupRoot} from '../../../source/system/metrics.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

/** Open fds of this process (the listing's own directory fd counts in every call alike). */
const openFds = () => readdirSync('/proc/self/fd').length;

let root: string;
const unit = (name: string) => join(root, `left4me-server@${name}.service`);

/** A unit cgroup directory as cgroupfs shows it with the memory controller. */
function writeUnit(name: string, usageUsec: number, memoryBytes: number | null, at = root): void {
	const dir = join(at, `left4me-server@${name}.service`);
	writeTree(dir, {'cpu.stat': `usage_usec ${usageUsec}\nuser_usec 1\nsystem_usec 1\n`, 'cgroup.procs': ''});
	if (memoryBytes !== null) writeFileSync(join(dir, 'memory.current'), `${memoryBytes}\n`);
}

beforeEach(() => {
	root = tempDir('cgroup-files');
	writeUnit('alpha', 100, 4096);
	writeUnit('beta', 200, null);
});

afterEach(() => removeTree(root));

describe('CgroupFiles: fds kept open between samples', () => {
	it('holds cpu.stat and memory.current open, re-reads them in place, and close() releases every fd', () => {
		const before = openFds();
		const files = new CgroupFiles();
		expect(files.read(unit('alpha'))).toEqual({inode: statSync(unit('alpha')).ino, cpuStat: expect.stringMatching(/^usage_usec 100\n/), memoryCurrent: '4096\n', cgroupProcs: null});
		// Without memory.current, cgroup.procs is held instead (for the summed RSS).
		expect(files.read(unit('beta'))).toMatchObject({memoryCurrent: null, cgroupProcs: ''});
		expect(files.openCount).toBe(4);
		expect(openFds()).toBe(before + 4);
		// writeFileSync truncates and rewrites the same inode: the open fd sees the new text from offset 0.
		writeFileSync(join(unit('alpha'), 'cpu.stat'), 'usage_usec 7\n');
		writeFileSync(join(unit('alpha'), 'memory.current'), '8192\n');
		writeFileSync(join(unit('beta'), 'cgroup.procs'), '4242\n');
		expect(files.read(unit('alpha'))).toMatchObject({cpuStat: 'usage_usec 7\n', memoryCurrent: '8192\n'});
		expect(files.read(unit('beta'))).toMatchObject({cgroupProcs: '4242\n'});
		expect(openFds()).toBe(before + 4);
		files.close();
		expect(files.openCount).toBe(0);
		expect(openFds()).toBe(before);
	});

	it('reads a file longer than its buffer whole', () => {
		const long = `usage_usec 5\n${'x'.repeat(10_000)}\n`;
		writeFileSync(join(unit('alpha'), 'cpu.stat'), long);
		const files = new CgroupFiles();
		expect(files.read(unit('alpha'))?.cpuStat).toBe(long);
		expect(files.read(unit('alpha'))?.cpuStat).toBe(long);
		files.close();
	});

	it('closes the fds of groups no longer asked for when a sampling ends', () => {
		const before = openFds();
		const reader = createMetricsReader({nowMs: () => 0});
		reader.sample(new Map([['a', unit('alpha')], ['b', unit('beta')]]));
		expect(openFds()).toBe(before + 4);
		const samples = reader.sample(new Map([['b', unit('beta')]]));
		expect(samples.get('b')).toMatchObject({exists: true, usageUsec: 200});
		expect(openFds()).toBe(before + 2);
		reader.close?.();
		expect(openFds()).toBe(before);
		// Still usable after close: it opens again.
		expect(reader.sample(new Map([['a', unit('alpha')]])).get('a')).toMatchObject({usageUsec: 100, memoryBytes: 4096});
		reader.close?.();
		expect(openFds()).toBe(before);
	});

	it('reads the groups beyond maxOpenFiles with plain reads, with the same figures', () => {
		writeUnit('gamma', 300, 12_288);
		const before = openFds();
		const reader = createMetricsReader({nowMs: () => 0, maxOpenFiles: 2});
		const groups = new Map([['a', unit('alpha')], ['g', unit('gamma')]]);
		for (let i = 0; i < 2; i++) {
			const samples = reader.sample(groups);
			expect(samples.get('a')).toMatchObject({usageUsec: 100, memoryBytes: 4096, memoryApprox: false, inode: statSync(unit('alpha')).ino});
			expect(samples.get('g')).toMatchObject({usageUsec: 300, memoryBytes: 12_288, memoryApprox: false, inode: statSync(unit('gamma')).ino});
			expect(openFds()).toBe(before + 2);
		}
		reader.close?.();
		expect(openFds()).toBe(before);
	});

	it('sees a cgroup that appears, at the next sample', () => {
		const reader = createMetricsReader({nowMs: () => 0});
		const groups = new Map([['d', unit('delta')]]);
		expect(reader.sample(groups).get('d')).toMatchObject({exists: false, inode: null});
		writeUnit('delta', 5, 64);
		expect(reader.sample(groups).get('d')).toMatchObject({exists: true, inode: statSync(unit('delta')).ino, usageUsec: 5, memoryBytes: 64});
		reader.close?.();
	});
});

describe('CgroupFiles: the directory stat every revalidateEvery readings', () => {
	// On an ordinary filesystem an unlinked file stays readable, so only this backstop notices (cgroupfs fails the read at once, below).
	it('finds a recreated directory (new inode) and a removed one (exists:false) within revalidateEvery samples, without leaking fds', () => {
		const before = openFds();
		const reader = createMetricsReader({nowMs: () => 0, revalidateEvery: 3});
		const groups = new Map([['a', unit('alpha')]]);
		const first = reader.sample(groups).get('a');
		writeUnit('alpha', 9, 128, join(root, 'next'));
		removeTree(unit('alpha'));
		renameSync(join(root, 'next', 'left4me-server@alpha.service'), unit('alpha'));
		const seen = [1, 2, 3].map(() => reader.sample(groups).get('a'));
		expect(seen.at(-1)).toMatchObject({exists: true, inode: statSync(unit('alpha')).ino, usageUsec: 9, memoryBytes: 128});
		expect(seen.at(-1)?.inode).not.toBe(first?.inode);
		removeTree(unit('alpha'));
		expect([1, 2, 3].map(() => reader.sample(groups).get('a')?.exists).at(-1)).toBe(false);
		expect(openFds()).toBe(before);
	});

	it('opens a memory.current that appeared since (the memory controller enabled later)', () => {
		const before = openFds();
		const reader = createMetricsReader({nowMs: () => 0, procRoot: join(root, 'proc'), revalidateEvery: 2});
		const groups = new Map([['b', unit('beta')]]);
		const first = reader.sample(groups).get('b');
		expect(first).toMatchObject({memoryBytes: null, memoryApprox: true});
		writeFileSync(join(unit('beta'), 'memory.current'), '65536\n');
		const later = [1, 2].map(() => reader.sample(groups).get('b')).at(-1);
		expect(later).toMatchObject({memoryBytes: 65_536, memoryApprox: false, inode: first?.inode});
		// memory.current took the place of cgroup.procs.
		expect(openFds()).toBe(before + 2);
		reader.close?.();
	});
});

/** A fresh cgroup under the host's cgroup2 mount, or why there cannot be one here. */
function probeCgroup(): {dir: string} | {skip: string} {
	const mount = detectCgroupRoot();
	const dir = join(mount, `left4me-test-${process.pid}`);
	try {
		mkdirSync(dir);
		rmdirSync(dir);
		return {dir};
	} catch (error) {
		return {skip: `cannot create a cgroup under ${mount} (${(error as NodeJS.ErrnoException).code}); needs root and a writable cgroup2 mount`};
	}
}

const probe = probeCgroup();
if ('skip' in probe) console.warn(`real cgroupfs tests skipped: ${probe.skip}`);

describe.skipIf('skip' in probe)('CgroupFiles on the real cgroupfs', () => {
	const dir = 'dir' in probe ? probe.dir : '';
	afterEach(() => {
		try {
			rmdirSync(dir);
		} catch {
			// already gone
		}
	});

	it('a read on a removed cgroup fails, so a unit stopped and started again between two samples gives a new inode at once', () => {
		const before = openFds();
		mkdirSync(dir);
		const reader = createMetricsReader({nowMs: () => 0});
		const groups = new Map([['u', dir]]);
		const first = reader.sample(groups).get('u');
		expect(first).toMatchObject({exists: true, inode: statSync(dir).ino});
		expect(first?.usageUsec).toEqual(expect.any(Number));
		expect(openFds()).toBeGreaterThan(before);
		rmdirSync(dir);
		mkdirSync(dir);
		const second = reader.sample(groups).get('u');
		expect(second).toMatchObject({exists: true, inode: statSync(dir).ino});
		expect(second?.inode).not.toBe(first?.inode);
		rmdirSync(dir);
		expect(reader.sample(groups).get('u')).toMatchObject({exists: false, inode: null});
		// The removed cgroup's fds were closed when its read failed.
		expect(openFds()).toBe(before);
		reader.close?.();
	});

	it('re-reading open cpu.stat and cgroup.procs at offset 0 gives current figures (seq_file renders afresh)', () => {
		mkdirSync(dir);
		const files = new CgroupFiles();
		const usage = () => Number(/^usage_usec (\d+)$/m.exec(files.read(dir)?.cpuStat ?? '')?.[1]);
		const start = usage();
		// Without the memory controller (as here) cgroup.procs is held open too, and re-read in place as well.
		const procs = () => files.read(dir)?.cgroupProcs;
		const withMemory = files.read(dir)?.memoryCurrent !== null;
		if (!withMemory) expect(procs()).toBe('');
		// This process's cgroup v2 path (proc(7), /proc/PID/cgroup: the "0::" line), to move back to.
		const home = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
		writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
		try {
			// Busy in this cgroup until the counter moves (kernel accounting is per tick, ≤ 10 ms).
			const end = Date.now() + 10_000;
			while (usage() === start && Date.now() < end) for (let i = 0; i < 1e6; i++) Math.sqrt(i);
			expect(usage()).toBeGreaterThan(start);
			if (!withMemory) expect(procs()).toBe(`${process.pid}\n`);
		} finally {
			writeFileSync(join(detectCgroupRoot(), home, 'cgroup.procs'), String(process.pid));
		}
		if (!withMemory) expect(procs()).toBe('');
		files.close();
	});
});
