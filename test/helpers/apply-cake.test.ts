// left4me-apply-cake in --dry-run mode against a fixture /sys/class/net and fixture
// `tc qdisc show` lines: valid input prints the exact tc command (replace, never add),
// hostile input exits 2/3 with one stderr line, CAKE already at the rate is left alone.
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';

const HELPER = resolve(import.meta.dirname, '../../helpers/left4me-apply-cake');
const temps: string[] = [];
afterAll(() => {
	for (const dir of temps) rmSync(dir, {recursive: true, force: true});
});

let net: string;
let qdisc: string;

beforeEach(() => {
	const root = mkdtempSync(join(tmpdir(), 'left4me-cake-'));
	temps.push(root);
	net = join(root, 'net');
	qdisc = join(root, 'qdisc');
	for (const iface of ['lo', 'eth0', 'enp3s0', 'veth-a.1']) mkdirSync(join(net, iface), {recursive: true});
	mkdirSync(qdisc);
	writeFileSync(join(qdisc, 'eth0'), 'qdisc fq_codel 0: root refcnt 2 limit 10240p flows 1024\n');
	writeFileSync(join(qdisc, 'enp3s0'), 'qdisc cake 8001: root refcnt 2 bandwidth 1Gbit diffserv3 triple-isolate rtt 100ms\n');
});

function dry(...args: string[]) {
	const r = spawnSync(HELPER, ['--dry-run', ...args], {
		encoding: 'utf8',
		env: {PATH: '/usr/bin:/bin', LEFT4ME_TEST_NET_DIR: net, LEFT4ME_TEST_QDISC_DIR: qdisc},
	});
	return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

function expectRefused(result: ReturnType<typeof dry>, status: number, message: RegExp) {
	expect(result.status).toBe(status);
	expect(result.stdout).toBe('');
	const lines = result.stderr.split('\n').filter(Boolean);
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^left4me-apply-cake: /);
	expect(lines[0]).toMatch(message);
}

describe('left4me-apply-cake', () => {
	it.each([
		['eth0', '100mbit'],
		['eth0', '1gbit'],
		['eth0', '512kbit'],
		['veth-a.1', '400gbit'],
	])('apply %s %s prints one tc qdisc replace (never add)', (iface, rate) => {
		expect(dry('apply', iface, rate)).toEqual({status: 0, stdout: `tc qdisc replace dev ${iface} root cake bandwidth ${rate}\n`, stderr: ''});
	});

	it.each(['1gbit', '1000mbit', '1000000kbit'])('apply at the rate CAKE already has (%s = 1Gbit) changes nothing', (rate) => {
		const r = dry('apply', 'enp3s0', rate);
		expect(r.status).toBe(0);
		expect(r.stdout).toBe('');
		expect(r.stderr).toBe(`left4me-apply-cake: enp3s0 already has CAKE at ${rate}; nothing to do\n`);
	});

	it('apply at another rate replaces the CAKE that is there', () => {
		expect(dry('apply', 'enp3s0', '200mbit').stdout).toBe('tc qdisc replace dev enp3s0 root cake bandwidth 200mbit\n');
	});

	it('clear deletes a root CAKE, and is a no-op with a note elsewhere', () => {
		expect(dry('clear', 'enp3s0')).toEqual({status: 0, stdout: 'tc qdisc del dev enp3s0 root\n', stderr: ''});
		expect(dry('clear', 'eth0')).toEqual({status: 0, stdout: '', stderr: 'left4me-apply-cake: no CAKE qdisc on eth0 (root qdisc is fq_codel); nothing to do\n'});
	});

	it('show lists every interface but lo with its root qdisc and CAKE bandwidth', () => {
		expect(dry('show')).toEqual({status: 0, stdout: 'enp3s0\tcake\t1Gbit\neth0\tfq_codel\t-\nveth-a.1\tnoqueue\t-\n', stderr: ''});
		expect(dry('show', 'enp3s0').stdout).toBe('enp3s0\tcake\t1Gbit\n');
	});

	it.each([
		['10xbit', /invalid rate '10xbit'/],
		['100', /invalid rate '100'/],
		['0mbit', /invalid rate/],
		['-1mbit', /invalid rate/],
		['100MBIT', /invalid rate/],
		['1.5gbit', /invalid rate/],
		['100mbit;reboot', /invalid rate/],
		['401gbit', /at most 400gbit/],
		['', /invalid rate/],
	])('refuses the rate %j with exit 2', (rate, message) => {
		expectRefused(dry('apply', 'eth0', rate), 2, message);
	});

	it.each(['../x', '.', '..', 'a/b', 'x'.repeat(16), '', '-eth0', 'eth 0', 'eth0;ls'])('refuses the interface %j with exit 2', (iface) => {
		expectRefused(dry('apply', iface, '100mbit'), 2, /invalid interface name/);
	});

	it('exits 3 for an interface that does not exist, before looking at the rate', () => {
		expectRefused(dry('apply', 'wlan9', '100mbit'), 3, /no such interface: wlan9/);
		expectRefused(dry('clear', 'wlan9'), 3, /no such interface: wlan9/);
		expectRefused(dry('apply', 'wlan9', 'bogus'), 3, /no such interface/);
	});

	it.each([[[]], [['apply', 'eth0']], [['apply', 'eth0', '1mbit', 'x']], [['clear']], [['show', 'eth0', 'lo']], [['add', 'eth0', '1mbit']]])(
		'refuses the argument list %j with exit 2',
		(args) => {
			expectRefused(dry(...args), 2, /usage|unknown verb/);
		},
	);

	it('validates before anything else outside --dry-run too (and needs root to act)', () => {
		const r = spawnSync(HELPER, ['apply', '../x', '1mbit'], {encoding: 'utf8', env: {PATH: '/usr/bin:/bin'}});
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/^left4me-apply-cake: invalid interface name/);
	});
});
