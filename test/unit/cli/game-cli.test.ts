// The built l4d2ctl: `shaping` through a recording sudo stand-in, `rcon` against the
// stand-in server on loopback, and the usage errors of `restart --when-empty`.
import {spawn} from 'node:child_process';
import {createSocket} from 'node:dgram';
import {chmodSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type RunningStandIn} from '../support/stand-in.js';
import {expectValidJson} from '../../support/schema.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';
import {BIN, ensureBuilt, FAKE_SYSTEMCTL} from '../support/cli.js';

const CAKE = '/usr/local/libexec/left4me/left4me-apply-cake';

/**
 * Stands in for sudo: logs argv; answers left4me-apply-cake like the helper on a kernel without
 * sch_cake. FAKE_SHOW, when set, is what `show` prints instead (printf %b).
 */
const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
if [ "$4" = show ] && [ -n "\${FAKE_SHOW+set}" ]; then printf '%b' "$FAKE_SHOW"; exit 0; fi
case "$4 $5" in
  "show "|"show eth0") printf 'eth0\\tpfifo_fast\\t-\\n' ; [ -z "$5" ] && printf 'wan0\\tcake\\t95Mbit\\n' ; exit 0 ;;
  "show wan0") printf 'wan0\\tcake\\t100Mbit\\n' ; exit 0 ;;
  "apply wan0") exit 0 ;;
  "apply eth0") echo 'left4me-apply-cake: the kernel has no CAKE qdisc: kernel module sch_cake is missing (modprobe sch_cake; on Debian it ships with the stock linux-image); the existing qdisc is unchanged' >&2 ; exit 1 ;;
  "clear eth0") echo 'left4me-apply-cake: no CAKE qdisc on eth0 (root qdisc is pfifo_fast); nothing to do' >&2 ; exit 0 ;;
  "show nosuch0"|"apply nosuch0") echo 'left4me-apply-cake: no such interface: nosuch0' >&2 ; exit 3 ;;
esac
exit 0
`;

let root = '';
let log = '';
const standIns: RunningStandIn[] = [];

beforeAll(ensureBuilt, 120_000);

beforeEach(() => {
	root = tempDir('game-cli');
	writeTree(root, {'bin/sudo': FAKE_SUDO, 'bin/systemctl': FAKE_SYSTEMCTL, 'sudo.log': '', 'state/installation/srcds_run': '', 'state/instances/.keep': ''});
	chmodSync(join(root, 'bin/sudo'), 0o755);
	chmodSync(join(root, 'bin/systemctl'), 0o755);
	log = join(root, 'sudo.log');
	chmodSync(log, 0o666);
});
afterEach(() => {
	for (const s of standIns.splice(0)) s.child.kill('SIGKILL');
	removeTree(root);
});

const env = () => ({...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, LEFT4ME_STATE_DIR: join(root, 'state'), FAKE_SUDO_LOG: log});
/** Runs l4d2ctl asynchronously (the stand-in in this process must keep answering). */
function l4d2ctl(args: string[], extraEnv: Record<string, string> = {}): Promise<{status: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [BIN, ...args], {env: {...env(), ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe'], ...(process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {})});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
		child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
		child.on('close', (status) => resolve({status, stdout, stderr}));
	});
}
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('l4d2ctl shaping', () => {
	it('lists interfaces from left4me-apply-cake show, as a table and as JSON', async () => {
		chmodSync(root, 0o755);
		const table = await l4d2ctl(['shaping']);
		expect(table.status).toBe(0);
		expect(lines(table.stdout)).toEqual(['INTERFACE  ROOT QDISC  CAKE BANDWIDTH', 'eth0       pfifo_fast  -', 'wan0       cake        95Mbit']);
		const json = await l4d2ctl(['shaping', '--json']);
		expect(expectValidJson('left4me.shaping/1', json.stdout)).toEqual({
			schema: 'left4me.shaping/1',
			interfaces: [
				{iface: 'eth0', qdisc: 'pfifo_fast', cake: false, bandwidth: null},
				{iface: 'wan0', qdisc: 'cake', cake: true, bandwidth: '95Mbit'},
			],
		});
		expect(lines(readFileSync(log, 'utf8'))).toEqual([`-n -- ${CAKE} show`, `-n -- ${CAKE} show`]);
	});

	it.each([
		['no interface but lo', '', []],
		['interfaces without CAKE', 'eth0\\tpfifo_fast\\t-\\nveth1\\tnoqueue\\t-\\n', ['INTERFACE  ROOT QDISC  CAKE BANDWIDTH', 'eth0       pfifo_fast  -', 'veth1      noqueue     -']],
	])('%s: says no traffic shaping is configured; --json lists what there is', async (_name, show, table) => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(['shaping'], {FAKE_SHOW: show});
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(lines(r.stdout)).toEqual([...table, 'no traffic shaping configured (see README, "Traffic shaping")']);
		const json = await l4d2ctl(['shaping', '--json'], {FAKE_SHOW: show});
		expect(json.status).toBe(0);
		const doc = expectValidJson<{interfaces: Array<{iface: string}>}>('left4me.shaping/1', json.stdout);
		expect(doc.interfaces.map((i) => i.iface)).toEqual(table.slice(1).map((row) => row.split(' ')[0]));
	});

	it('passes the missing-module line through as one error line, exit 1', async () => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(['shaping', 'apply', 'eth0', '100mbit']);
		expect(r.status).toBe(1);
		expect(lines(r.stderr)).toEqual(['l4d2ctl: left4me-apply-cake: the kernel has no CAKE qdisc: kernel module sch_cake is missing (modprobe sch_cake; on Debian it ships with the stock linux-image); the existing qdisc is unchanged']);
	});

	it('clear prints the helper note and the state after; --json carries both', async () => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(['shaping', 'clear', 'eth0']);
		expect(r.status).toBe(0);
		expect(lines(r.stdout)).toEqual(['no CAKE qdisc on eth0 (root qdisc is pfifo_fast); nothing to do', 'eth0: root qdisc pfifo_fast']);
		const json = expectValidJson<Record<string, unknown>>('left4me.action/1', (await l4d2ctl(['shaping', 'clear', 'eth0', '--json'])).stdout);
		expect(json).toEqual({
			schema: 'left4me.action/1', action: 'shaping-clear', interface: 'eth0', ok: true,
			notes: ['no CAKE qdisc on eth0 (root qdisc is pfifo_fast); nothing to do'],
			shaping: {iface: 'eth0', qdisc: 'pfifo_fast', cake: false, bandwidth: null},
		});
	});

	it('apply --json: left4me.action/1 with the interface\'s qdisc afterwards', async () => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(['shaping', 'apply', 'wan0', '100mbit', '--json']);
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(expectValidJson('left4me.action/1', r.stdout)).toEqual({
			schema: 'left4me.action/1', action: 'shaping-apply', interface: 'wan0', ok: true, notes: [],
			shaping: {iface: 'wan0', qdisc: 'cake', cake: true, bandwidth: '100Mbit'},
		});
		expect(lines(readFileSync(log, 'utf8'))).toEqual([`-n -- ${CAKE} apply wan0 100mbit`, `-n -- ${CAKE} show wan0`]);
	});

	it.each([
		[['shaping', 'apply', 'eth0', '100'], 2, /invalid rate "100"/],
		[['shaping', 'apply', '../x', '1mbit'], 2, /invalid interface name/],
		[['shaping', 'apply', 'nosuch0', '1mbit'], 3, /no such interface: nosuch0/],
	])('%j exits %i with one line', async (args, status, message) => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(args);
		expect(r.status).toBe(status);
		expect(lines(r.stderr)).toHaveLength(1);
		expect(r.stderr).toMatch(message);
	});
});

describe('l4d2ctl rcon', () => {
	async function serve(password: string | null): Promise<number> {
		const s = startStandIn(['+rcon_password', 'server-side-pw', '-standin-players', '1']);
		standIns.push(s);
		const port = await s.port;
		writeTree(join(root, 'state'), {
			'instances/r/instance.env': `L4D2_PORT=${port}\nL4D2_LOWERDIRS=installation\n`,
			'instances/r/cfg/server.cfg': password === null ? 'hostname "r"\n' : `hostname "r"\nrcon_password "${password}"\n`,
		});
		chmodSync(root, 0o755);
		return port;
	}

	const RUNNING = {FAKE_ACTIVE: 'active'};

	it('prints the whole status reply, and --json wraps it without the password', async () => {
		await serve('server-side-pw');
		const r = await l4d2ctl(['rcon', 'r', 'status'], RUNNING);
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(8192);
		expect(r.stdout).toMatch(/^hostname: left4me stand-in\n/);
		expect(r.stdout).toMatch(/#end \(uptime \d+s\)\n$/);
		const json = await l4d2ctl(['rcon', 'r', 'echo', 'hi', 'there', '--json'], RUNNING);
		expect(expectValidJson('left4me.rcon/1', json.stdout)).toEqual({schema: 'left4me.rcon/1', instance: 'r', command: 'echo hi there', reply: 'hi there\n'});
		expect(json.stdout + json.stderr).not.toContain('server-side-pw');
	});

	it('status NAME of a running instance names its players and map (A2S_INFO), in --json too', async () => {
		await serve('server-side-pw');
		const r = await l4d2ctl(['status', 'r', '--interval', '0'], RUNNING);
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(lines(r.stdout).filter((l) => /^ {2}(players|map|cpu) /.test(l))).toEqual(['  cpu          -', '  players      1/8', '  map          c1m1_hotel']);
		const json = await l4d2ctl(['status', 'r', '--json', '--interval', '0'], RUNNING);
		expect(expectValidJson<{instance: Record<string, unknown>}>('left4me.status/1', json.stdout).instance).toMatchObject({players: 1, maxPlayers: 8, map: 'c1m1_hotel'});
	});

	it('status NAME of a running instance that does not answer A2S_INFO: players and map unknown', async () => {
		// A loopback UDP port just given back: nothing answers there.
		const socket = createSocket('udp4');
		await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
		const port = socket.address().port;
		await new Promise<void>((resolve) => socket.close(resolve));
		writeTree(join(root, 'state'), {'instances/q/instance.env': `L4D2_PORT=${port}\nL4D2_LOWERDIRS=installation\n`, 'instances/q/cfg/.keep': ''});
		chmodSync(root, 0o755);
		const r = await l4d2ctl(['status', 'q', '--interval', '0'], RUNNING);
		expect(r.status).toBe(0);
		expect(lines(r.stdout).filter((l) => /^ {2}(players|map) /.test(l))).toEqual(['  players      unknown', '  map          unknown']);
	});

	it('wrong password: exit 4, one line, neither password shown', async () => {
		await serve('client-side-guess');
		const r = await l4d2ctl(['rcon', 'r', 'status', '--json'], RUNNING);
		expect(r.status).toBe(4);
		expect(expectValidJson('left4me.error/1', r.stderr)).toMatchObject({schema: 'left4me.error/1', error: {code: 'permission'}});
		expect(r.stderr).not.toMatch(/client-side-guess|server-side-pw/);
	});

	it('no rcon_password in server.cfg: exit 2 naming the file', async () => {
		await serve(null);
		const r = await l4d2ctl(['rcon', 'r', 'status'], RUNNING);
		expect(r.status).toBe(2);
		expect(lines(r.stderr)).toEqual([`l4d2ctl: no rcon_password in ${join(root, 'state')}/instances/r/cfg/server.cfg (hint: add a line rcon_password "..." there and restart r)`]);
	});
});

describe('l4d2ctl rcon on a stopped instance', () => {
	const seed = (cfg: string) => {
		writeTree(join(root, 'state'), {'instances/r/instance.env': 'L4D2_PORT=27999\nL4D2_LOWERDIRS=installation\n', 'instances/r/cfg/server.cfg': cfg});
		chmodSync(root, 0o755);
	};

	it.each([
		['without an rcon_password', 'hostname "r"\n', 'inactive'],
		['with an rcon_password', 'rcon_password "pw"\n', 'failed'],
	])('%s: says it is not running (its ActiveState), exit 1, before looking for the password', async (_name, cfg, state) => {
		seed(cfg);
		const r = await l4d2ctl(['rcon', 'r', 'status'], {FAKE_ACTIVE: state});
		expect(r.status).toBe(1);
		expect(r.stdout).toBe('');
		expect(lines(r.stderr)).toEqual([`l4d2ctl: r is not running (${state}) (hint: start it with: l4d2ctl start r)`]);
		const json = await l4d2ctl(['rcon', 'r', 'status', '--json'], {FAKE_ACTIVE: state});
		expect(json.status).toBe(1);
		expect(json.stdout).toBe('');
		expect(expectValidJson('left4me.error/1', json.stderr)).toEqual({
			schema: 'left4me.error/1',
			error: {code: 'failed', message: `r is not running (${state})`, hint: 'start it with: l4d2ctl start r'},
		});
	});
});

describe('l4d2ctl restart --when-empty: usage', () => {
	it.each([
		[['restart', 'r', '--timeout', '5m'], /--timeout only goes with --when-empty/],
		[['restart', 'r', '--when-empty', '--timeout', 'soon'], /--timeout must be a duration like 90s, 5m or 1h30m \(got "soon"\)/],
	])('%j exits 2 with one line', async (args, message) => {
		chmodSync(root, 0o755);
		const r = await l4d2ctl(args);
		expect(r.status).toBe(2);
		expect(lines(r.stderr)).toHaveLength(1);
		expect(r.stderr).toMatch(message);
		expect(readFileSync(log, 'utf8')).toBe('');
	});
});

describe('l4d2ctl restart --when-empty --json', () => {
	const seedInstance = () => {
		// Nothing listens on 127.0.0.1:27999, so A2S_INFO is never answered.
		writeTree(join(root, 'state'), {'instances/r/instance.env': 'L4D2_PORT=27999\nL4D2_LOWERDIRS=installation\n', 'instances/r/cfg/.keep': ''});
		chmodSync(root, 0o755);
	};

	it('a server that is not running is restarted at once: left4me.action/1 with whenEmpty', async () => {
		seedInstance();
		const r = await l4d2ctl(['restart', 'r', '--when-empty', '--json']);
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		expect(expectValidJson('left4me.action/1', r.stdout)).toEqual({
			schema: 'left4me.action/1', action: 'restart', instance: 'r', unit: 'left4me-server@r.service', ok: true,
			whenEmpty: {wasRunning: false, waitedSec: 0, checks: 0},
		});
		expect(lines(readFileSync(log, 'utf8'))).toEqual(['-n -- /usr/local/libexec/left4me/left4me-systemctl restart r']);
	});

	it('a running server that never answers: exit 7, the last stderr line a left4me.error/1 timeout, nothing restarted', async () => {
		seedInstance();
		const r = await l4d2ctl(['restart', 'r', '--when-empty', '--timeout', '2s', '--json'], {FAKE_ACTIVE: 'active'});
		expect(r.status).toBe(7);
		const error = expectValidJson<{error: {code: string; message: string}}>('left4me.error/1', lines(r.stderr).at(-1)!).error;
		expect(error.code).toBe('timeout');
		expect(error.message).toMatch(/gave up waiting for r to empty/);
		expect(readFileSync(log, 'utf8')).toBe('');
	});
});
