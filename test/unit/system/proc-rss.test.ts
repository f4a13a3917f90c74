import {spawn, spawnSync} from 'node:child_process';
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FdBudget} from '../../../source/system/cgroup-files.js';
import {ProcessRss, systemPageSize} from '../../../source/system/proc-rss.js';
import {fixture} from '../support/fixtures.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

const openFds = () => readdirSync('/proc/self/fd').length;
const SRCDS_RSS = 398_748 * 1024;
const SRCDS_RUN_RSS = 3580 * 1024;

let proc: string;

beforeEach(() => {
	proc = tempDir('proc');
	writeTree(proc, {
		'48190/statm': fixture('proc/statm-srcds-run'),
		'48213/statm': fixture('proc/statm-srcds'),
		'48300/statm': fixture('proc/statm-zombie'),
	});
});

afterEach(() => removeTree(proc));

describe('ProcessRss on a fixture /proc', () => {
	it('keeps one fd per process, re-reads it in place, and closes those not asked for when a sampling ends', () => {
		const before = openFds();
		const rss = new ProcessRss(proc, 4096, new FdBudget(100));
		expect([48190, 48213, 48300, 59999].map((pid) => rss.rssBytes(pid))).toEqual([SRCDS_RUN_RSS, SRCDS_RSS, null, null]);
		// The zombie's statm is open too (it reads, all zeros); the missing PID is not.
		expect(rss.openCount).toBe(3);
		expect(openFds()).toBe(before + 3);
		rss.endSampling();
		writeFileSync(join(proc, '48213/statm'), '200000 100000 4312 1019 0 120531 0\n');
		expect(rss.rssBytes(48213)).toBe(100_000 * 4096);
		rss.endSampling();
		expect(rss.openCount).toBe(1);
		expect(openFds()).toBe(before + 1);
		rss.close();
		expect(openFds()).toBe(before);
	});

	it('reads with plain reads, same figures, once the fd budget is spent', () => {
		const before = openFds();
		const budget = new FdBudget(1);
		const rss = new ProcessRss(proc, 4096, budget);
		expect([48190, 48213].map((pid) => rss.rssBytes(pid))).toEqual([SRCDS_RUN_RSS, SRCDS_RSS]);
		expect(openFds()).toBe(before + 1);
		expect(budget.take(1)).toBe(false);
		rss.close();
		expect(budget.take(1)).toBe(true);
		expect(openFds()).toBe(before);
	});
});

describe('ProcessRss on the real /proc', () => {
	it('reads a live process, then null once it has exited (ESRCH on the held fd), and releases the fd', async () => {
		const before = openFds();
		const child = spawn('sleep', ['60'], {stdio: 'ignore'});
		const exited = new Promise((resolve) => child.once('exit', resolve));
		const rss = new ProcessRss('/proc', systemPageSize(), new FdBudget(10));
		try {
			const pid = child.pid!;
			expect(rss.rssBytes(pid)).toBeGreaterThan(0);
			expect(rss.openCount).toBe(1);
			child.kill('SIGKILL');
			await exited;
			expect(rss.rssBytes(pid)).toBeNull();
			expect(rss.openCount).toBe(0);
		} finally {
			child.kill('SIGKILL');
			rss.close();
		}
		expect(openFds()).toBe(before);
	});

	it('systemPageSize() is the page size getconf reports', () => {
		const getconf = spawnSync('getconf', ['PAGESIZE'], {encoding: 'utf8'});
		expect(systemPageSize()).toBe(Number(getconf.stdout.trim()));
	});

	it('systemPageSize() is 4096 when auxv cannot be read', () => {
		expect(systemPageSize('/nonexistent/auxv')).toBe(4096);
	});
});
