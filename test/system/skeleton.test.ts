/**
 * The walking skeleton on a real systemd (PID 1 in an nspawn container):
 * install with deploy/install.sh, then drive game-server units with l4d2ctl as
 * the `left4me` user, exactly as an operator would.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bootContainer, type Container, stageStandIn, systemTestSkipReason, waitFor} from './harness.js';

const skip = systemTestSkipReason();
if (skip) console.warn(`system tests skipped: ${skip}`);

const MERGED_A = '/var/lib/left4me/runtime/a/merged';

type ListedInstance = {name: string; state: string; subState: string; result: string; cpuPercent: number | null; memoryBytes: number | null; memoryApprox: boolean; restarts: number | null; enabled: boolean; port: number | null};
type ListDoc = {schema: string; instances: ListedInstance[]; slices: {game: {cpuPercent: number | null}; build: unknown}};

describe.skipIf(skip !== null)('walking skeleton on a real systemd', () => {
	let box: Container;
	const asLeft4me = (argv: string[]) => box.exec(argv, {user: 'left4me', reject: false});
	const l4d2ctl = (...args: string[]) => asLeft4me(['l4d2ctl', ...args]);
	const list = async (): Promise<ListDoc> => {
		const r = await l4d2ctl('list', '--json');
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
		return JSON.parse(r.stdout) as ListDoc;
	};
	const mountinfo = async () => (await box.exec(['cat', '/proc/1/mountinfo'])).stdout;

	beforeAll(async () => {
		box = await bootContainer('left4me-skeleton', {projectDir: process.cwd()});
	});
	afterAll(async () => {
		await box?.down();
	});

	it('installs with deploy/install.sh, and a second run changes nothing', async () => {
		const first = await box.exec(['/src/deploy/install.sh', '--source', '/src'], {reject: false});
		expect(first.stderr + first.stdout).toMatch(/install complete/);
		expect(first.exitCode).toBe(0);
		const second = await box.exec(['/src/deploy/install.sh', '--source', '/src'], {reject: false});
		expect(second.exitCode).toBe(0);
		expect(second.stdout + second.stderr).toMatch(/left4me: install complete \(0 changes\)/);
		expect((await box.exec(['stat', '-c', '%a %U', '/var/lib/left4me'])).stdout.trim()).toBe('711 left4me');
		await stageStandIn(box);
	});

	it('lists never-started instances from disk', async () => {
		expect((await l4d2ctl('create', 'a', '--port', '27015')).exitCode).toBe(0);
		expect((await l4d2ctl('create', 'b', '--port', '27016')).exitCode).toBe(0);
		const doc = await list();
		expect(doc.schema).toBe('left4me.list/1');
		expect(doc.instances.map((i) => [i.name, i.state, i.port])).toEqual([
			['a', 'inactive', 27015],
			['b', 'inactive', 27016],
		]);
	});

	it('starts a: unit active, overlay mounted in PID 1, console line in logs --json', async () => {
		const start = await l4d2ctl('start', 'a');
		expect(start.stderr).toBe('');
		expect(start.exitCode).toBe(0);
		expect((await box.exec(['systemctl', 'is-active', 'left4me-server@a.service'], {reject: false})).stdout.trim()).toBe('active');
		expect((await box.exec(['systemctl', 'is-enabled', 'left4me-server@a.service'], {reject: false})).stdout.trim()).toBe('enabled');
		const mounts = await mountinfo();
		expect(mounts).toMatch(new RegExp(` ${MERGED_A} .* - overlay `));
		const line = await waitFor('a stand-in console line in the journal', 15_000, async () => {
			const r = await l4d2ctl('logs', 'a', '--json', '-n', '50');
			expect(r.exitCode).toBe(0);
			const records = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as {schema: string; message: string; unit: string});
			return records.find((rec) => /Console initialized/.test(rec.message));
		});
		expect(line.schema).toBe('left4me.log/1');
		expect(line.unit).toBe('left4me-server@a.service');
	});

	it('units pass systemd-analyze verify (on a running instance, whose merged tree exists)', async () => {
		const r = await box.exec(['systemd-analyze', 'verify', '--man=no', 'left4me-server@a.service', 'l4d2.slice', 'l4d2-game.slice', 'l4d2-build.slice'], {reject: false});
		expect(r.stderr).toBe('');
		expect(r.exitCode).toBe(0);
	});

	it('list --json shows a running with CPU > 0 and memory, b inactive', async () => {
		const doc = await waitFor('cpuPercent > 0 for a', 20_000, async () => {
			const d = await list();
			return (d.instances.find((i) => i.name === 'a')?.cpuPercent ?? 0) > 0 ? d : undefined;
		});
		const a = doc.instances.find((i) => i.name === 'a')!;
		const b = doc.instances.find((i) => i.name === 'b')!;
		expect(a.state).toBe('active');
		expect(a.subState).toBe('running');
		expect(a.enabled).toBe(true);
		expect(a.memoryBytes).toBeGreaterThan(1024 * 1024);
		// No memory controller in this container's cgroup2: the figure is summed RSS, marked so.
		expect(a.memoryApprox).toBe(true);
		expect(b.state).toBe('inactive');
		expect(b.cpuPercent).toBeNull();
		expect(b.memoryBytes).toBeNull();
		expect(doc.slices.game.cpuPercent).toBeGreaterThan(0);
	});

	it('stops a: unit inactive, overlay gone from PID 1 mountinfo', async () => {
		const stop = await l4d2ctl('stop', 'a');
		expect(stop.exitCode).toBe(0);
		expect((await box.exec(['systemctl', 'is-active', 'left4me-server@a.service'], {reject: false})).stdout.trim()).toBe('inactive');
		expect(await mountinfo()).not.toContain(MERGED_A);
		const a = (await list()).instances.find((i) => i.name === 'a')!;
		expect([a.state, a.enabled]).toEqual(['inactive', false]);
	});

	it('a crashing instance ends failed after the start limit, and list says so', async () => {
		expect((await l4d2ctl('create', 'crashy', '--port', '27020', '--args', '-standin-crash-after 1')).exitCode).toBe(0);
		await l4d2ctl('start', 'crashy');
		const crashy = await waitFor('crashy to hit its start limit', 60_000, async () => {
			const c = (await list()).instances.find((i) => i.name === 'crashy');
			return c?.state === 'failed' ? c : undefined;
		});
		// systemd keeps the first failure's Result (exit-code) when the start limit then refuses
		// the next automatic restart; the journal names the limit. StartLimitBurst=5: the
		// fifth restart is the one refused, after NRestarts reached 5.
		expect(crashy.result).toBe('exit-code');
		expect(crashy.restarts).toBe(5);
		// …so l4d2ctl tells the start limit from NRestarts reaching StartLimitBurst.
		expect(crashy.startLimitHit).toBe(true);
		const journal = await box.exec(['journalctl', '--unit=left4me-server@crashy.service', '--no-pager', '--output=cat']);
		expect(journal.stdout).toMatch(/Start request repeated too quickly/);
		await new Promise((r) => setTimeout(r, 3000));
		const later = (await list()).instances.find((i) => i.name === 'crashy')!;
		expect([later.state, later.restarts]).toEqual(['failed', 5]);
		expect(await mountinfo()).not.toContain('/var/lib/left4me/runtime/crashy/merged');
		const human = await l4d2ctl('list', '--interval', '0');
		expect(human.stdout).toMatch(/^crashy\s+failed \(start limit\)/m);
		// Starting it again is refused; the helper names the unit's Result (systemctl --quiet says nothing).
		const again = await box.exec(['/usr/local/libexec/left4me/left4me-systemctl', 'start', 'crashy'], {reject: false});
		expect(again.exitCode).toBe(1);
		expect(again.stderr.trim()).toBe(
			'left4me-systemctl: systemctl --quiet start left4me-server@crashy.service failed: the start limit keeps it down (5 restarts, StartLimitBurst 5, Result exit-code): l4d2ctl reset crashy clears it, then start it',
		);
		const cli = await l4d2ctl('start', 'crashy');
		expect(cli.exitCode).toBe(1);
		expect(cli.stderr).toContain('the start limit keeps it down (5 restarts, StartLimitBurst 5, Result exit-code): l4d2ctl reset crashy clears it, then start it');
	});

	it('bad input gets one clear line and a non-zero exit', async () => {
		const unknown = await l4d2ctl('start', 'nope');
		expect(unknown.exitCode).toBe(3);
		expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
		const invalid = await l4d2ctl('create', '../etc', '--port', '27030');
		expect(invalid.exitCode).toBe(2);
		expect(invalid.stderr).toMatch(/invalid instance name/);
	});

	it('names the missing sudo rule instead of prompting', async () => {
		await box.exec(['mv', '/etc/sudoers.d/left4me', '/root/left4me.sudoers']);
		try {
			const r = await l4d2ctl('start', 'b');
			expect(r.exitCode).toBe(4);
			expect(r.stderr).toContain('%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-systemctl');
			expect(r.stderr.trim().split('\n')).toHaveLength(1);
		} finally {
			await box.exec(['mv', '/root/left4me.sudoers', '/etc/sudoers.d/left4me']);
		}
	});
});
