/**
 * The dashboard on a real systemd: l4d2ctl opened as the `left4me` user inside
 * the container on a terminal (host tmux → container.sh exec --tty), driven with
 * keys as an operator would, its screen read back with capture-pane, and every
 * action checked against systemd and the disk.
 */
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bootContainer, CONTAINER_SH, stageStandIn, systemTestSkipReason, type Container} from './harness.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const skip = systemTestSkipReason() ?? (hasTmux ? null : 'tmux not found (apt-get install tmux)');
if (skip) console.warn(`dashboard system tests skipped: ${skip}`);

const SESSION = `left4me-dash-${process.pid}`;
const UPPER = '/var/lib/left4me/runtime/alpha/upper';
const BRAVO_UPPER = '/var/lib/left4me/runtime/bravo/upper';
const RCON_PASSWORD = 'dash-rcon-secret-7';
const CFG = '/var/lib/left4me/instances/alpha/cfg';
let cfgExisted = false;
const tmux = (...args: string[]) => spawnSync('tmux', args, {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', SESSION).stdout ?? '';
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);

async function until(what: string, predicate: (text: string) => boolean, ms = 30_000): Promise<string> {
	const end = Date.now() + ms;
	for (;;) {
		const text = screen();
		if (predicate(text)) return text;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

type Listed = {name: string; state: string; enabled: boolean; mainPid: number | null; players: number | null};

describe.skipIf(skip !== null)('dashboard on a real systemd', () => {
	let box: Container;
	const l4d2ctl = (...args: string[]) => box.exec(['l4d2ctl', ...args], {user: 'left4me'});
	const listed = async (name: string) => ((JSON.parse((await l4d2ctl('list', '--json', '--interval', '0')).stdout) as {instances: Listed[]}).instances.find((i) => i.name === name));
	const open = (...args: string[]) => {
		tmux('kill-session', '-t', SESSION);
		const command = ['bash', CONTAINER_SH, 'exec', box.name, '--user', 'left4me', '--tty', '--', 'l4d2ctl', ...args].join(' ');
		expect(tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', command).status).toBe(0);
	};

	beforeAll(async () => {
		box = await bootContainer('left4me-dash', {projectDir: process.cwd()});
		await box.exec(['/src/deploy/install.sh', '--source', '/src']);
		await stageStandIn(box);
		await l4d2ctl('create', 'alpha', '--port', '27015');
		await l4d2ctl('create', 'bravo', '--port', '27016');
	});
	afterAll(async () => {
		tmux('kill-session', '-t', SESSION);
		await box?.down();
	});

	it('opens on the top row with the fleet, the slices and the host', async () => {
		open();
		const text = await until('the table', (t) => /^> alpha/m.test(t) && /^ {2}bravo/m.test(t));
		expect(text.split('\n')[0]).toMatch(/^left4me {2}host /);
		expect(text).toContain('l4d2-game.slice');
		expect(text).toContain('CPU = % of one core');
		expect(text).not.toContain('collecting');
		// The footer offers the console and the builds view too (every key is in ?).
		expect(text).toContain('c console');
		expect(text).toContain('B builds');
	});

	it('shows an enable and a disable done outside it within seconds, not at the 60 s backstop', async () => {
		const bravoBoot = (t: string) => /^ {2}bravo +inactive\/dead +- +- +(yes|no) /m.exec(t)?.[1];
		await until('bravo not started at boot', (t) => bravoBoot(t) === 'no');
		await box.exec(['systemctl', 'enable', 'left4me-server@bravo.service']);
		await until('bravo enabled', (t) => bravoBoot(t) === 'yes', 10_000);
		await box.exec(['systemctl', 'disable', 'left4me-server@bravo.service']);
		await until('bravo disabled again', (t) => bravoBoot(t) === 'no', 10_000);
	});

	it('s starts the selected instance (enable --now); its journal follows', async () => {
		keys('s');
		// The success notice goes after 10 s, so it is not required to still show once the table says running.
		await until('the start result', (t) => t.includes('started alpha'));
		await until('alpha running', (t) => /^> alpha +active\/running +(unknown +unknown|\d+\/\d+ +c1m1_hotel) +yes/m.test(t));
		expect(await listed('alpha')).toMatchObject({state: 'active', enabled: true});
		await until('stand-in lines in the journal pane', (t) => t.includes('Connection to Steam servers successful'));
		// Memory comes from summed RSS here (no memory controller in this container) and is marked so.
		await until('approximate memory', (t) => /^> alpha .*~[\d.]+ MiB/m.test(t));
	});

	it('Tab and / filter the journal; Esc clears the filter', async () => {
		keys('Tab', '/', 'S', 't', 'e', 'a', 'm', 'Enter');
		const text = await until('the journal filter', (t) => t.includes('filter "Steam"'));
		const pane = text.slice(text.indexOf('journal: alpha'));
		expect(pane).toContain('Connection to Steam servers successful');
		expect(pane).not.toContain('Server is hibernating');
		// The builds view's journal has a filter of its own; the servers' comes back with them.
		keys('B');
		await until('the builds view without the filter', (t) => t.includes('OVERLAY') && t.includes('journal: ') && !t.includes('filter "Steam"'));
		keys('B');
		await until('the servers with their filter again', (t) => /^> alpha/m.test(t) && t.includes('filter "Steam"'));
		keys('Escape');
		await until('the filter cleared', (t) => !t.includes('filter "Steam"') && t.includes('Server is hibernating'));
		keys('Tab');
	});

	it('shows players and map from A2S_INFO and the shaping in the header', async () => {
		await until('players and map of alpha', (t) => /^> alpha +active\/running +0\/8 +c1m1_hotel +yes/m.test(t));
		await until('the shaping in the header', (t) => /no cake|cake \S+ on \S+/.test(t.split('CPU = % of one core')[0] ?? ''));
	});

	it('c opens an RCON console: commands go over RCON, history is kept on disk, the password is never shown', async () => {
		cfgExisted = (await box.exec(['test', '-d', CFG], {reject: false})).exitCode === 0;
		await box.exec(['bash', '-c', `mkdir -p ${CFG} && printf 'hostname "alpha"\\nrcon_password "${RCON_PASSWORD}"\\n' > ${CFG}/server.cfg`], {user: 'left4me'});
		keys('r');
		await until('the restart', (t) => t.includes('restarted alpha'), 60_000);
		await until('alpha answering again', (t) => /^> alpha +active\/running +0\/8 +c1m1_hotel/m.test(t));
		keys('c');
		await until('the console', (t) => t.includes('console: alpha (RCON)'));
		keys('-l', 'standin_players 2');
		keys('Enter');
		await until('the table showing 2 players', (t) => /^> alpha +active\/running +2\/8 +c1m1_hotel/m.test(t), 30_000);
		keys('-l', 'status');
		keys('Enter');
		// The reply (several RCON packets) ends with the stand-in's `#end` line.
		const text = await until('the status reply', (t) => /^#end \(uptime/m.test(t), 30_000);
		expect(text).not.toContain(RCON_PASSWORD);
		// PgUp scrolls back through the reply, PgDn returns to its end.
		keys('PPage');
		await until('the console scrolled back', (t) => /console: alpha \(RCON\) · scrolled back, \d+ newer \(PgDn\) · \d+ older/.test(t) && !/^#end \(uptime/m.test(t));
		keys('NPage');
		await until('the newest reply again', (t) => /^#end \(uptime/m.test(t) && !t.includes('scrolled back'));
		keys('Up');
		await until('history recall', (t) => /alpha> status█/.test(t));
		keys('Escape');
		await until('the console closed', (t) => !t.includes('console: alpha') && t.includes('journal: alpha'));
		const history = await box.exec(['cat', '/var/lib/left4me/instances/alpha/console-history'], {user: 'left4me'});
		expect(history.stdout.trim().split('\n')).toEqual(['standin_players 2', 'status']);
	});

	it('e restarts once A2S_INFO reports 0 players; the confirmation names the players', async () => {
		const before = (await listed('alpha'))?.mainPid;
		keys('e');
		await until('the confirmation', (t) => t.includes('restart alpha when empty? 2 players online!'));
		keys('y');
		await until('the wait', (t) => t.includes('waiting for alpha to empty: 2/8 players on c1m1_hotel'), 30_000);
		expect((await listed('alpha'))?.mainPid).toBe(before);
		await box.exec(['bash', '-c', 'echo 0 > /var/lib/left4me/runtime/alpha/merged/standin-players'], {user: 'left4me'});
		await until('the restart once empty', (t) => t.includes('restarted alpha once empty'), 60_000);
		const after = await listed('alpha');
		expect(after?.state).toBe('active');
		expect(after?.mainPid).not.toBe(before);
		// Leave alpha's configuration as it was: the reset below expects an empty upper layer.
		await box.exec(['rm', '-rf', cfgExisted ? `${CFG}/server.cfg` : CFG], {user: 'left4me'});
	});

	it('W resets after y: the upper layer is wiped and the instance runs again', async () => {
		await box.exec(['bash', '-c', `echo left-behind > ${UPPER}/marker && chown left4me: ${UPPER}/marker`]);
		keys('W');
		await until('the reset confirmation', (t) => t.includes('reset alpha?'));
		expect((await box.exec(['ls', UPPER])).stdout).toContain('marker');
		keys('y');
		await until('the reset result', (t) => /^reset alpha$/m.test(t) || t.includes('\nreset alpha\n'), 60_000);
		expect((await box.exec(['ls', '-A', UPPER])).stdout.trim()).toBe('');
		expect(await listed('alpha')).toMatchObject({state: 'active', enabled: true});
	});

	it('W on a server its start limit stopped: the failed state is cleared and the upper layer wiped, it stays stopped; s then starts it', async () => {
		// An upper layer the overlay helper refuses: every start of bravo fails until it is wiped.
		await box.exec(['mkdir', '-p', `${BRAVO_UPPER}/left4dead2`], {user: 'left4me'});
		expect((await box.exec(['setfattr', '-n', 'user.fuseoverlayfs.origin', '-v', 'x', `${BRAVO_UPPER}/left4dead2`], {user: 'left4me', reject: false})).stderr).toBe('');
		keys('j');
		await until('bravo selected', (t) => /^> bravo/m.test(t));
		keys('s');
		await until('bravo failed at its start limit', (t) => /^> bravo +failed \((start limit|start-limit-hit)\)/m.test(t), 120_000);
		expect((await listed('bravo'))?.state).toBe('failed');
		keys('W');
		await until('the reset confirmation', (t) => t.includes('reset bravo?'));
		keys('y');
		// It was not running, so it stays stopped: inactive, no longer failed.
		await until('the reset result', (t) => t.includes('reset bravo') && /^> bravo +inactive/m.test(t), 60_000);
		expect((await box.exec(['ls', '-A', BRAVO_UPPER])).stdout.trim()).toBe('');
		expect((await listed('bravo'))?.state).toBe('inactive');
		keys('s');
		await until('bravo running', (t) => /^> bravo +active/m.test(t), 60_000);
		expect((await listed('bravo'))?.state).toBe('active');
		// Leave bravo as it was (stopped, not enabled) and alpha selected, for the tests below.
		await l4d2ctl('stop', 'bravo');
		keys('k');
		await until('alpha selected', (t) => /^> alpha/m.test(t));
	});

	it('x asks first; n keeps it running; x then y stops and disables it', async () => {
		keys('x');
		await until('the stop confirmation', (t) => t.includes('stop alpha?'));
		keys('n');
		await until('the cancel', (t) => t.includes('stop alpha cancelled'));
		expect((await listed('alpha'))?.state).toBe('active');
		// A notice stays with its view: to the builds view and back, it is gone.
		keys('B');
		await until('the builds view', (t) => t.includes('OVERLAY') && !t.includes('stop alpha cancelled'));
		keys('B');
		await until('the servers without the old notice', (t) => /^> alpha/m.test(t) && !t.includes('stop alpha cancelled'));
		await until('the CPU sparkline of running alpha', (t) => /^> alpha +active.*[▁▂▃▄▅▆▇█]/m.test(t));
		keys('x');
		await until('the stop confirmation', (t) => t.includes('stop alpha?'));
		keys('y');
		const stopped = await until('the stop result', (t) => t.includes('stopped alpha') && /^> alpha +inactive/m.test(t), 60_000);
		// Its sparkline is blank as soon as the row shows it stopped.
		expect(stopped.split('\n').find((l) => l.startsWith('> alpha'))).not.toMatch(/[▁▂▃▄▅▆▇█]/);
		expect(await listed('alpha')).toMatchObject({state: 'inactive', enabled: false});
	});

	it('moving quickly between rows leaves one journal follower, of the selected row', async () => {
		// Each move stops a follower (sudo, then journalctl) and starts the next; a stop that reaches
		// sudo while it is still starting must not be lost (runner.ts, stop()).
		for (let i = 0; i < 20; i++) {
			keys('j');
			keys('k');
		}
		const followers = async () => {
			const ps = await box.exec(['ps', '-eo', 'args']);
			return ps.stdout.split('\n').filter((line) => line.startsWith('journalctl ') && line.includes('--follow'));
		};
		// The keys were sent faster than the dashboard takes them: wait until it has come back to alpha.
		const end = Date.now() + 10_000;
		let left = await followers();
		while (!(left.length === 1 && left[0]!.includes('@alpha.service')) && Date.now() < end) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			left = await followers();
		}
		expect(left).toHaveLength(1);
		expect(left[0]).toContain('--unit=left4me-server@alpha.service');
		expect(screen()).toMatch(/^> alpha/m);
	});

	it('q quits; --read-only refuses actions and says so', async () => {
		keys('q');
		// The tmux session ends when l4d2ctl (and container.sh exec around it) has exited.
		const end = Date.now() + 15_000;
		while (tmux('has-session', '-t', SESSION).status === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 200));
		expect(tmux('has-session', '-t', SESSION).status).not.toBe(0);
		open('--read-only');
		await until('the table', (t) => /^> alpha/m.test(t));
		keys('s');
		await until('the refusal', (t) => t.includes('read-only mode: start is disabled'));
		expect((await listed('alpha'))?.state).toBe('inactive');
		keys('q');
	});
});
