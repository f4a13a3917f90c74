/**
 * Network shaping and game awareness on a real systemd: the CAKE helper on a veth pair
 * in a network namespace this test creates (this kernel has no sch_cake), players and
 * map of running stand-ins in `list --json`, an RCON `status` spanning packets, and
 * `restart --when-empty` firing only at zero players. Driven as user left4me.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {expectValid, expectValidJson} from '../support/schema.js';
import {bootContainer, type Container, type SpawnedCommand, stageStandIn, systemTestSkipReason, waitFor} from './harness.js';

const skip = systemTestSkipReason();
if (skip) console.warn(`system tests skipped: ${skip}`);

const VETH = 'l4m-veth0';
const PASSWORD = 'pw-7f3a-never-printed';

type Listed = {name: string; state: string; players: number | null; maxPlayers: number | null; map: string | null; mainPid: number | null};

/** Collects a spawned command's output and exit. */
function collect(cmd: SpawnedCommand) {
	const out = {stdout: '', stderr: ''};
	cmd.child.stdout?.setEncoding('utf8').on('data', (t: string) => (out.stdout += t));
	cmd.child.stderr?.setEncoding('utf8').on('data', (t: string) => (out.stderr += t));
	let code: number | null | undefined;
	void cmd.exited.then((c) => (code = c));
	return {out, exitCode: () => code};
}

describe.skipIf(skip !== null)('shaping and game awareness on a real systemd', () => {
	let box: Container;
	const running: SpawnedCommand[] = [];
	const l4d2ctl = (...args: string[]) => box.exec(['l4d2ctl', ...args], {user: 'left4me', reject: false});
	const asLeft4me = (script: string) => box.exec(['sh', '-c', script], {user: 'left4me'});
	const qdisc = async () => (await box.exec(['tc', 'qdisc', 'show', 'dev', VETH, 'root'])).stdout.trim();
	const list = async (): Promise<Listed[]> => {
		const r = await l4d2ctl('list', '--json', '--interval', '0');
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
		return expectValidJson<{instances: Listed[]}>('left4me.list/1', r.stdout).instances;
	};
	const mainPid = async (name: string) =>
		Number((await box.exec(['systemctl', 'show', '-P', 'MainPID', `left4me-server@${name}.service`])).stdout.trim());

	beforeAll(async () => {
		box = await bootContainer('left4me-game', {projectDir: process.cwd()});
		const install = await box.exec(['/src/deploy/install.sh', '--source', '/src'], {reject: false});
		expect(install.stdout + install.stderr).toMatch(/install complete/);
		await stageStandIn(box);
		// A veth pair: one end here (the container's own private network namespace), its
		// peer in a namespace of its own; an existing root qdisc to prove it survives.
		await box.exec(['ip', 'netns', 'add', 'l4m-peer']);
		await box.exec(['ip', 'link', 'add', VETH, 'type', 'veth', 'peer', 'name', 'l4m-veth1', 'netns', 'l4m-peer']);
		await box.exec(['ip', 'link', 'set', VETH, 'up']);
		await box.exec(['tc', 'qdisc', 'add', 'dev', VETH, 'root', 'pfifo', 'limit', '77']);
	});
	afterAll(async () => {
		for (const cmd of running) cmd.kill('SIGKILL');
		await box?.down();
	});

	it('shaping --json shows the veth and its pfifo root qdisc', async () => {
		const r = await l4d2ctl('shaping', '--json');
		expect(r.exitCode).toBe(0);
		const doc = expectValidJson<{interfaces: Array<{iface: string; qdisc: string | null; cake: boolean}>}>('left4me.shaping/1', r.stdout);
		expect(doc.interfaces.find((i) => i.iface === VETH)).toEqual({iface: VETH, qdisc: 'pfifo', cake: false, bandwidth: null});
		expect(doc.interfaces.some((i) => i.iface === 'lo')).toBe(false);
	});

	it('shaping without CAKE anywhere: the table, then one line saying nothing is shaped', async () => {
		const r = await l4d2ctl('shaping');
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
		const out = r.stdout.trim().split('\n');
		expect(out[0]).toMatch(/^INTERFACE +ROOT QDISC +CAKE BANDWIDTH$/);
		expect(out).toContainEqual(expect.stringMatching(new RegExp(`^${VETH} +pfifo +-$`)));
		expect(out.at(-1)).toBe('no traffic shaping configured (see README, "Traffic shaping")');
	});

	it('apply on a kernel without sch_cake: one line naming the module, exit 1, old qdisc untouched (twice)', async () => {
		const before = await qdisc();
		expect(before).toMatch(/^qdisc pfifo \S+ root .*limit 77p/);
		for (let i = 0; i < 2; i++) {
			const r = await l4d2ctl('shaping', 'apply', VETH, '100mbit');
			expect(r.exitCode).toBe(1);
			const lines = r.stderr.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/^l4d2ctl: left4me-apply-cake: the kernel has no CAKE qdisc: kernel module sch_cake is missing/);
			expect(await qdisc()).toBe(before);
		}
		const json = await l4d2ctl('shaping', 'apply', VETH, '100mbit', '--json');
		expect(json.exitCode).toBe(1);
		expect(expectValidJson('left4me.error/1', json.stderr.trim()).error).toMatchObject({code: 'failed', message: expect.stringMatching(/kernel module sch_cake is missing/)});
		expect(await qdisc()).toBe(before);
	});

	it('validates interface and rate before touching anything; clear without CAKE is a no-op', async () => {
		const before = await qdisc();
		const badRate = await l4d2ctl('shaping', 'apply', VETH, '100furlongs');
		expect([badRate.exitCode, badRate.stderr.trim().split('\n').length]).toEqual([2, 1]);
		// The helper checks on its own too (sudo straight to it, past l4d2ctl's check).
		const direct = await box.exec(['sudo', '-n', '/usr/local/libexec/left4me/left4me-apply-cake', 'apply', VETH, '1e9bit'], {user: 'left4me', reject: false});
		expect(direct.exitCode).toBe(2);
		expect(direct.stderr).toMatch(/^left4me-apply-cake: invalid rate '1e9bit'/);
		const noIface = await l4d2ctl('shaping', 'apply', 'nosuch0', '100mbit');
		expect(noIface.exitCode).toBe(3);
		expect(noIface.stderr).toMatch(/no such interface: nosuch0/);
		const clear = await l4d2ctl('shaping', 'clear', VETH);
		expect(clear.exitCode).toBe(0);
		expect(clear.stdout).toMatch(/no CAKE qdisc on l4m-veth0 \(root qdisc is pfifo\); nothing to do/);
		expect(await qdisc()).toBe(before);
		const clearJson = await l4d2ctl('shaping', 'clear', VETH, '--json');
		expect(clearJson.exitCode).toBe(0);
		expect(expectValidJson('left4me.action/1', clearJson.stdout)).toEqual({
			schema: 'left4me.action/1', action: 'shaping-clear', interface: VETH, ok: true,
			notes: ['no CAKE qdisc on l4m-veth0 (root qdisc is pfifo); nothing to do'],
			shaping: {iface: VETH, qdisc: 'pfifo', cake: false, bandwidth: null},
		});
		expect(await qdisc()).toBe(before);
	});

	it('list --json shows players and map of a running stand-in, unknown (null) for a silent one', async () => {
		expect((await l4d2ctl('create', 'p', '--port', '27015', '--args', '-standin-players 3 +map c2m1_highway')).exitCode).toBe(0);
		expect((await l4d2ctl('create', 's', '--port', '27016', '--args', '-standin-silent')).exitCode).toBe(0);
		await asLeft4me(`printf 'hostname "p"\\nrcon_password "${PASSWORD}"\\n' > /var/lib/left4me/instances/p/cfg/server.cfg`);
		expect((await l4d2ctl('start', 'p')).exitCode).toBe(0);
		expect((await l4d2ctl('start', 's')).exitCode).toBe(0);
		const instances = await waitFor('players of p', 30_000, async () => {
			const all = await list();
			return all.find((i) => i.name === 'p')?.players === 3 ? all : undefined;
		});
		expect(instances.find((i) => i.name === 'p')).toMatchObject({state: 'active', players: 3, maxPlayers: 8, map: 'c2m1_highway'});
		expect(instances.find((i) => i.name === 's')).toMatchObject({state: 'active', players: null, maxPlayers: null, map: null});
		const human = await l4d2ctl('list', '--interval', '0');
		expect(human.stdout).toMatch(/^p\s+active.*\s3\/8\s+c2m1_highway\s*$/m);
		expect(human.stdout).toMatch(/^s\s+active.*\sunknown\s+unknown\s*$/m);
	});

	it('rcon status reads a reply spanning several packets whole, and never shows the password', async () => {
		const r = await l4d2ctl('rcon', 'p', 'status');
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
		expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(2 * 4096);
		expect(r.stdout).toMatch(/^hostname: p\n/);
		expect(r.stdout).toContain('players : 3 humans, 0 bots (8 max)');
		expect(r.stdout.match(/^# stand-in filler line \d+ of 150/gm)).toHaveLength(150);
		expect(r.stdout).toMatch(/#end \(uptime \d+s\)\n$/);
		const json = await l4d2ctl('rcon', 'p', 'status', '--json');
		const doc = expectValidJson<{instance: string; command: string; reply: string}>('left4me.rcon/1', json.stdout);
		expect([doc.instance, doc.command]).toEqual(['p', 'status']);
		expect(doc.reply).toBe(r.stdout.replace(/uptime \d+s/, doc.reply.match(/uptime \d+s/)![0]));
		expect(json.stdout).not.toContain(PASSWORD);
		const journal = await box.exec(['journalctl', '--no-pager', '-o', 'cat']);
		expect(journal.stdout).toContain('rcon from "127.0.0.1": connection authenticated');
		expect(journal.stdout).not.toContain(PASSWORD);
	});

	it('rcon with a password the server does not have: exit 4, one line, no password in it', async () => {
		await asLeft4me(`printf 'hostname "p"\\nrcon_password "wrong-one"\\n' > /var/lib/left4me/instances/p/cfg/server.cfg`);
		const r = await l4d2ctl('rcon', 'p', 'status');
		expect(r.exitCode).toBe(4);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(/RCON on 127.0.0.1:27015 refused the password/);
		expect(r.stderr).not.toContain('wrong-one');
		await asLeft4me(`printf 'hostname "p"\\nrcon_password "${PASSWORD}"\\n' > /var/lib/left4me/instances/p/cfg/server.cfg`);
	});

	it('rcon on an instance that is not running says so, exit 1, without looking for its password', async () => {
		expect((await l4d2ctl('create', 'q', '--port', '27017')).exitCode).toBe(0);
		const r = await l4d2ctl('rcon', 'q', 'status');
		expect(r.exitCode).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim()).toBe('l4d2ctl: q is not running (inactive) (hint: start it with: l4d2ctl start q)');
		const json = await l4d2ctl('rcon', 'q', 'status', '--json');
		expect(json.exitCode).toBe(1);
		expect(expectValidJson('left4me.error/1', json.stderr)).toEqual({schema: 'left4me.error/1', error: {code: 'failed', message: 'q is not running (inactive)', hint: 'start it with: l4d2ctl start q'}});
		expect((await l4d2ctl('delete', 'q', '--yes')).exitCode).toBe(0);
	});

	it('restart --when-empty waits while players > 0 and fires once the server reports 0', async () => {
		const pidBefore = await mainPid('p');
		expect(pidBefore).toBeGreaterThan(0);
		const cmd = box.spawn(['l4d2ctl', 'restart', 'p', '--when-empty', '--timeout', '5m', '--json'], {user: 'left4me'});
		running.push(cmd);
		const run = collect(cmd);
		await waitFor('the waiting line', 30_000, async () => (run.out.stderr.includes('waiting for p to empty: 3/8 players on c2m1_highway') ? true : undefined));
		// Three more polls (2 s apart) with players on: still waiting, same process.
		await new Promise((r) => setTimeout(r, 6500));
		expect(run.exitCode()).toBeUndefined();
		expect(await mainPid('p')).toBe(pidBefore);
		await asLeft4me('echo 0 > /var/lib/left4me/runtime/p/merged/standin-players');
		const code = await waitFor('restart --when-empty to exit', 60_000, async () => (run.exitCode() === undefined ? undefined : run.exitCode()));
		expect(run.out.stderr.trim().split('\n')).toEqual(['l4d2ctl: waiting for p to empty: 3/8 players on c2m1_highway']);
		expect(code).toBe(0);
		const result = expectValidJson<{action: string; ok: boolean; whenEmpty: {wasRunning: boolean; waitedSec: number; checks: number}}>('left4me.action/1', run.out.stdout);
		expect(result).toMatchObject({action: 'restart', ok: true, whenEmpty: {wasRunning: true}});
		expect(result.whenEmpty.checks).toBeGreaterThanOrEqual(4);
		expect(result.whenEmpty.waitedSec).toBeGreaterThanOrEqual(6);
		const pidAfter = await waitFor('p running again', 30_000, async () => {
			const pid = await mainPid('p');
			return pid > 0 && pid !== pidBefore ? pid : undefined;
		});
		expect(pidAfter).not.toBe(pidBefore);
	});

	it('restart --when-empty never fires on a silent server: gives up at the timeout, exit 7, not restarted', async () => {
		const pidBefore = await mainPid('s');
		const r = await l4d2ctl('restart', 's', '--when-empty', '--timeout', '5s');
		expect(r.exitCode).toBe(7);
		expect(r.stderr).toContain('l4d2ctl: waiting for s to empty: no answer to A2S_INFO (players unknown)');
		expect(r.stderr).toMatch(/l4d2ctl: gave up waiting for s to empty after \d+s: no answer to A2S_INFO \(players unknown\); not restarted/);
		expect(await mainPid('s')).toBe(pidBefore);
		const json = await l4d2ctl('restart', 's', '--when-empty', '--timeout', '3s', '--json');
		expect(json.exitCode).toBe(7);
		const stderrLines = json.stderr.trim().split('\n');
		expect(expectValid('left4me.error/1', JSON.parse(stderrLines.at(-1)!)).error).toMatchObject({code: 'timeout', message: expect.stringMatching(/gave up waiting for s to empty/)});
		expect(await mainPid('s')).toBe(pidBefore);
		const bad = await l4d2ctl('restart', 's', '--when-empty', '--timeout', 'soon');
		expect(bad.exitCode).toBe(2);
	});
});
