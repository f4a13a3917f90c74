/**
 * The full instance lifecycle and the headless contract on a real systemd: install the
 * game with a stand-in steamcmd, initialize from a spec, reset (dry run, timing, busy
 * overlay), bulk actions, delete, every exit code with its JSON error validated against
 * its schema, hostile input, and servers coming back after a reboot of the container.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {validatorFor} from '../../source/cli/schemas.js';
import {bootContainer, type Container, stageStandIn, systemTestSkipReason, waitFor} from './harness.js';

const skip = systemTestSkipReason();
if (skip) console.warn(`system tests skipped: ${skip}`);

const STATE = '/var/lib/left4me';
const STEAMCMD = '/src/test/fixtures/steamcmd/steamcmd';

/** Asserts `doc` validates against schema `id`; returns it typed loosely. */
function valid(id: string, doc: unknown): any {
	const validate = validatorFor(id);
	const ok = validate(doc);
	expect(ok ? [] : validate.errors, `${id}: ${JSON.stringify(doc).slice(0, 400)}`).toEqual([]);
	return doc;
}

type Run = {exitCode: number | null; stdout: string; stderr: string};

/** The single JSON error line on stderr, validated; returns its `error`. */
function jsonError(run: Run): {code: string; message: string; hint: string | null} {
	const lines = run.stderr.split('\n').filter(Boolean);
	expect(lines, run.stderr).toHaveLength(1);
	return valid('left4me.error/1', JSON.parse(lines[0]!)).error;
}

describe.skipIf(skip !== null)('instance lifecycle and the headless contract on a real systemd', () => {
	let box: Container;
	const l4d2ctl = (...args: string[]) => box.exec(['l4d2ctl', ...args], {user: 'left4me', reject: false});
	const json = async (id: string, ...args: string[]) => {
		const r = await l4d2ctl(...args);
		expect(r.stderr, `${args.join(' ')}: ${r.stderr}`).toBe('');
		expect(r.exitCode).toBe(0);
		return valid(id, JSON.parse(r.stdout));
	};
	const root = (argv: string[]) => box.exec(argv, {reject: false});
	const isActive = async (name: string) => (await root(['systemctl', 'is-active', `left4me-server@${name}.service`])).stdout.trim();
	const mounted = async (name: string) => (await root(['cat', '/proc/1/mountinfo'])).stdout.includes(` ${STATE}/runtime/${name}/merged `);
	/** Every path under dir with size and mtime, or '' when dir is absent. */
	const tree = async (dir: string) => (await root(['sh', '-c', `cd ${dir} 2>/dev/null && find . -printf '%p %s %T@ %m\\n' | sort`])).stdout;
	const writeSpec = (file: string, text: string) => box.exec(['sh', '-c', `cat > ${file}`], {user: 'left4me', input: text});

	beforeAll(async () => {
		box = await bootContainer('left4me-lifecycle', {projectDir: process.cwd()});
		const install = await box.exec(['/src/deploy/install.sh', '--source', '/src'], {reject: false});
		expect(install.stdout + install.stderr).toMatch(/left4me: install complete/);
		await stageStandIn(box);
	});
	afterAll(async () => {
		await box?.down();
	});

	it('install runs steamcmd as left4me: NDJSON progress, a result; a failure midway exits 1', async () => {
		const r = await l4d2ctl('install', '--steamcmd', STEAMCMD, '--json');
		expect(r.exitCode).toBe(0);
		const events = r.stdout.trim().split('\n').map((l) => valid('left4me.install/1', JSON.parse(l)));
		expect(events.filter((e) => e.type === 'progress').map((e) => e.percent)).toContain(100);
		expect(events.at(-1)).toMatchObject({type: 'result', ok: true, app: '222860', dir: `${STATE}/installation`});
		expect((await root(['stat', '-c', '%U', `${STATE}/installation/steamapps/appmanifest_222860.acf`])).stdout.trim()).toBe('left4me');

		const fail = await box.exec(['env', 'STANDIN_STEAMCMD_FAIL_AT=40', 'l4d2ctl', 'install', '--steamcmd', STEAMCMD, '--validate', '--json'], {user: 'left4me', reject: false});
		expect(fail.exitCode).toBe(1);
		expect(jsonError(fail)).toMatchObject({code: 'failed', message: "install of app 222860 failed: Error! App '222860' state is 0x202 after update job."});
		const last = valid('left4me.install/1', JSON.parse(fail.stdout.trim().split('\n').at(-1)!));
		expect(last).toMatchObject({type: 'result', ok: false, validate: true});
	});

	it('initialize creates from a spec, then says what a changed spec changed', async () => {
		await writeSpec('/tmp/a.yaml', 'port: 27015\nserverCfg: |\n  hostname "alpha one"\n');
		const created = await json('left4me.action/1', 'initialize', 'a', '-f', '/tmp/a.yaml', '--json');
		expect(created).toMatchObject({action: 'initialize', created: true, restartNeeded: false});
		expect(created.changes.map((c: {field: string}) => c.field)).toEqual(['port', 'layers', 'args', 'serverCfg']);
		await json('left4me.action/1', 'create', 'b', '--port', '27016', '--json');
		await json('left4me.action/1', 'create', 'c', '--port', '27017', '--json');
		await json('left4me.action/1', 'start', 'a', '--json');
		expect((await root(['cat', `${STATE}/runtime/a/merged/left4dead2/cfg/server.cfg`])).stdout).toBe('hostname "alpha one"\n');

		await writeSpec('/tmp/a.yaml', 'port: 27015\nargs: "+map c2m1_highway"\nserverCfg: |\n  hostname "alpha two"\n');
		const updated = await json('left4me.action/1', 'initialize', 'a', '-f', '/tmp/a.yaml', '--json');
		expect(updated).toMatchObject({created: false, restartNeeded: true});
		expect(updated.changes).toEqual([
			{field: 'args', from: '', to: '+map c2m1_highway'},
			{field: 'serverCfg', from: 'hostname "alpha one"\n', to: 'hostname "alpha two"\n'},
		]);
		const human = await l4d2ctl('initialize', 'a', '-f', '/tmp/a.yaml');
		expect(human.stdout).toBe('a is already as /tmp/a.yaml says; nothing changed\n');
	});

	it('reset --dry-run lists the upper layer; reset discards it, re-stages cfg and starts again', async () => {
		await json('left4me.action/1', 'start', 'b', '--json');
		await box.exec(['sh', '-c', `head -c 3000 /dev/zero > ${STATE}/runtime/a/merged/junk.bin && rm ${STATE}/runtime/a/merged/srcds_run`], {user: 'left4me'});
		const plan = await json('left4me.reset-plan/1', 'reset', 'a', '--dry-run', '--json');
		expect(plan.wouldRestart).toBe(true);
		expect(plan.entries).toContainEqual({path: 'junk.bin', type: 'file', bytes: 3000});
		// A file of a lower layer deleted in merged: overlayfs records a whiteout in upper.
		expect(plan.entries).toContainEqual({path: 'srcds_run', type: 'whiteout', bytes: 0});
		expect(plan.totalBytes).toBeGreaterThanOrEqual(3000);
		expect(await isActive('a')).toBe('active');

		const lower = await tree(`${STATE}/installation`);
		const otherUpper = await tree(`${STATE}/runtime/b`);
		await box.exec(['sh', '-c', `echo b > ${STATE}/runtime/b/merged/b-only.txt`], {user: 'left4me'});
		const otherAfterWrite = await tree(`${STATE}/runtime/b/upper`);
		const reset = await json('left4me.action/1', 'reset', 'a', '--yes', '--json');
		expect(reset).toMatchObject({action: 'reset', restarted: true});
		expect(reset.discardedBytes).toBe(plan.totalBytes);
		expect(await isActive('a')).toBe('active');
		expect(await mounted('a')).toBe(true);
		expect((await root(['test', '-e', `${STATE}/runtime/a/upper/junk.bin`])).exitCode).toBe(1);
		expect((await root(['test', '-x', `${STATE}/runtime/a/merged/srcds_run`])).exitCode).toBe(0);
		expect((await root(['cat', `${STATE}/runtime/a/merged/left4dead2/cfg/server.cfg`])).stdout).toBe('hostname "alpha two"\n');
		expect(await tree(`${STATE}/installation`)).toBe(lower);
		expect(otherUpper).not.toBe('');
		expect(await tree(`${STATE}/runtime/b/upper`)).toBe(otherAfterWrite);

		// systemd's own clock: from the stop beginning (ActiveExit) to active again (ActiveEnter).
		const shown = (await root(['systemctl', 'show', '--property=ActiveExitTimestampMonotonic,ActiveEnterTimestampMonotonic', 'left4me-server@a.service'])).stdout;
		const prop = (key: string) => Number(new RegExp(`^${key}=(\\d+)$`, 'm').exec(shown)?.[1] ?? NaN);
		const [exitUs, enterUs] = [prop('ActiveExitTimestampMonotonic'), prop('ActiveEnterTimestampMonotonic')];
		expect(enterUs).toBeGreaterThan(exitUs);
		console.log(`reset of a running instance: ${((enterUs - exitUs) / 1000).toFixed(0)} ms of systemd time (ActiveExit -> ActiveEnter); l4d2ctl measured ${reset.tookMs} ms`);
	});

	it('reset refuses while the overlay is busy, with a clear line, and discards nothing', async () => {
		await box.exec(['sh', '-c', `echo keep > ${STATE}/runtime/a/merged/keep.txt`], {user: 'left4me'});
		const holder = box.spawn(['sh', '-c', `cd ${STATE}/runtime/a/merged && echo holding && exec sleep 300`]);
		await new Promise<void>((resolve) => holder.child.stdout?.once('data', () => resolve()));
		try {
			const r = await l4d2ctl('reset', 'a', '--yes', '--json');
			expect(r.exitCode).toBe(6);
			expect(r.stdout).toBe('');
			expect(jsonError(r)).toMatchObject({
				code: 'conflict',
				message: 'cannot reset a: its overlay is busy (runtime/a/merged is still mounted after the stop); nothing was discarded',
			});
			expect((await root(['cat', `${STATE}/runtime/a/upper/keep.txt`])).stdout).toBe('keep\n');
		} finally {
			holder.kill('SIGKILL');
			await holder.exited;
		}
		await waitFor('a active again', 20_000, async () => ((await isActive('a')) === 'active' ? true : undefined));
		expect(await mounted('a')).toBe(true);
	});

	it('bulk: stop --all, start several, restart with an unknown name exits 5, reset --all', async () => {
		const stopped = await json('left4me.bulk/1', 'stop', '--all', '--json');
		expect(stopped.results.map((r: {instance: string; ok: boolean}) => [r.instance, r.ok])).toEqual([['a', true], ['b', true], ['c', true]]);
		expect([await isActive('a'), await isActive('b'), await mounted('a')]).toEqual(['inactive', 'inactive', false]);
		const started = await json('left4me.bulk/1', 'start', 'a', 'b', 'c', '--json');
		expect(started.ok).toBe(true);
		expect([await isActive('a'), await isActive('b'), await isActive('c')]).toEqual(['active', 'active', 'active']);

		const partial = await l4d2ctl('restart', 'a', 'ghost', '--json');
		expect(partial.exitCode).toBe(5);
		const bulk = valid('left4me.bulk/1', JSON.parse(partial.stdout));
		expect(bulk.results.map((r: {instance: string; ok: boolean}) => [r.instance, r.ok])).toEqual([['a', true], ['ghost', false]]);
		expect(jsonError(partial)).toMatchObject({code: 'partial'});

		const resetAll = await json('left4me.bulk/1', 'reset', '--all', '--yes', '--json');
		expect(resetAll.results.every((r: {ok: boolean; restarted: boolean}) => r.ok && r.restarted)).toBe(true);
		expect([await isActive('a'), await isActive('b'), await isActive('c')]).toEqual(['active', 'active', 'active']);
	});

	it('status NAME shows the unit and its mounted overlay', async () => {
		const doc = await json('left4me.status/1', 'status', 'a', '--json', '--interval', '0');
		expect(doc.instance).toMatchObject({name: 'a', state: 'active', enabled: true, port: 27015});
		expect(doc.overlay).toMatchObject({merged: `${STATE}/runtime/a/merged`, mounted: true});
		// The human form: CPU as % of one core over the interval, players and map from the stand-in's A2S_INFO
		// answer (it may still be starting after the reset above: `unknown` until it answers).
		const human = await waitFor('status with players and map', 30_000, async () => {
			const r = await l4d2ctl('status', 'a', '--interval', '300');
			return r.exitCode === 0 && /^ {2}players +\d+\/\d+$/m.test(r.stdout) ? r.stdout : undefined;
		});
		expect(human).toMatch(/^ {2}cpu +\d+\.\d% of one core$/m);
		expect(human).toMatch(/^ {2}map +c\dm\d_\w+$/m);
		const logs = await l4d2ctl('logs', 'a', '--json', '-n', '30');
		expect(logs.exitCode).toBe(0);
		const records = logs.stdout.trim().split('\n').map((l) => valid('left4me.log/1', JSON.parse(l)));
		expect(records.length).toBeGreaterThan(5);
		expect(records.some((r: {message: string}) => /Console initialized/.test(r.message))).toBe(true);

		const watch = box.spawn(['l4d2ctl', 'list', '--watch', '--json', '--interval', '300'], {user: 'left4me'});
		let out = '';
		watch.child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
		try {
			await waitFor('three list --watch lines', 30_000, async () => (out.split('\n').length > 3 ? true : undefined));
		} finally {
			watch.kill();
			await watch.exited;
		}
		const docs = out.slice(0, out.lastIndexOf('\n')).split('\n').filter(Boolean).map((l) => valid('left4me.list/1', JSON.parse(l)));
		expect(docs.length).toBeGreaterThanOrEqual(3);
		expect(docs.at(-1).instances.find((i: {name: string}) => i.name === 'a').cpuPercent).not.toBeNull();
	});

	it('delete stops, unmounts and purges; deleting again is a no-op success; without --yes it refuses', async () => {
		const refused = await l4d2ctl('delete', 'c');
		expect(refused.exitCode).toBe(2);
		expect(refused.stderr).toMatch(/^l4d2ctl: refusing to delete c .*without confirmation: stdin is not a terminal \(hint: pass --yes/);
		expect(await isActive('c')).toBe('active');

		const del = await json('left4me.action/1', 'delete', 'c', '--yes', '--json');
		expect(del).toMatchObject({action: 'delete', existed: true});
		expect(await isActive('c')).toBe('inactive');
		expect(await mounted('c')).toBe(false);
		expect((await root(['ls', `${STATE}/runtime`, `${STATE}/instances`])).stdout).not.toMatch(/^c$/m);
		expect((await root(['systemctl', 'is-enabled', 'left4me-server@c.service'])).stdout.trim()).not.toBe('enabled');
		const again = await json('left4me.action/1', 'delete', 'c', '--yes', '--json');
		expect(again.existed).toBe(false);
		const list = await json('left4me.list/1', 'list', '--json', '--interval', '0');
		expect(list.instances.map((i: {name: string}) => i.name)).toEqual(['a', 'b']);
	});

	it('an upper layer carrying user.fuseoverlayfs.* xattrs: start fails with its own line, nothing on disk changes', async () => {
		await json('left4me.action/1', 'stop', 'b', '--json');
		await box.exec(['mkdir', '-p', `${STATE}/runtime/b/upper/left4dead2`], {user: 'left4me'});
		const tag = await box.exec(['setfattr', '-n', 'user.fuseoverlayfs.origin', '-v', 'x', `${STATE}/runtime/b/upper/left4dead2`], {user: 'left4me', reject: false});
		expect(tag.stderr).toBe('');
		const before = await tree(`${STATE}/runtime/b`) + (await tree(`${STATE}/instances/b`));
		const r = await l4d2ctl('start', 'b');
		expect(r.exitCode).toBe(1);
		expect(r.stderr.trim().split('\n')).toEqual(['l4d2ctl: b did not start: left4me-overlay: runtime/b/upper carries user.fuseoverlayfs.* xattrs; wipe it first (hint: see l4d2ctl logs b)']);
		expect(await tree(`${STATE}/runtime/b`) + (await tree(`${STATE}/instances/b`))).toBe(before);
		expect(await mounted('b')).toBe(false);
		// The unit retries and ends failed at its start limit; reset wipes the upper layer and
		// clears the failed state (it was not running, so it stays stopped); then it starts.
		await waitFor('b failed at its start limit', 90_000, async () => ((await isActive('b')) === 'failed' ? true : undefined));
		expect(await mounted('b')).toBe(false);
		expect(await json('left4me.action/1', 'reset', 'b', '--yes', '--json')).toMatchObject({restarted: false});
		expect(await isActive('b')).toBe('inactive');
		expect((await root(['test', '-e', `${STATE}/runtime/b/upper/left4dead2`])).exitCode).toBe(1);
		await json('left4me.action/1', 'start', 'b', '--json');
		expect(await isActive('b')).toBe('active');
		await json('left4me.action/1', 'stop', 'b', '--json');
	});

	it('every exit code, each with a valid JSON error', async () => {
		expect((await l4d2ctl('status', 'a', '--json')).exitCode).toBe(0);
		const install = await box.exec(['env', 'STANDIN_STEAMCMD_FAIL_AT=10', 'l4d2ctl', 'install', '--steamcmd', STEAMCMD, '--json'], {user: 'left4me', reject: false});
		expect([install.exitCode, jsonError(install).code]).toEqual([1, 'failed']);
		const usage = await l4d2ctl('create', 'Bad!', '--port', '27030', '--json');
		expect([usage.exitCode, jsonError(usage).code]).toEqual([2, 'usage']);
		const notFound = await l4d2ctl('reset', 'ghost', '--yes', '--json');
		expect([notFound.exitCode, jsonError(notFound).code]).toEqual([3, 'not_found']);
		const partial = await l4d2ctl('stop', 'b', 'ghost', '--json');
		expect([partial.exitCode, jsonError(partial).code]).toEqual([5, 'partial']);
		const conflict = await l4d2ctl('create', 'd', '--port', '27015', '--json');
		expect([conflict.exitCode, jsonError(conflict)]).toEqual([6, {code: 'conflict', message: 'port 27015 is already used by instance "a"', hint: null}]);
		await box.exec(['mv', '/etc/sudoers.d/left4me', '/root/left4me.sudoers']);
		try {
			const permission = await l4d2ctl('reset', 'b', '--yes', '--json');
			expect(permission.exitCode).toBe(4);
			expect(jsonError(permission).hint).toContain('%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-overlay');
		} finally {
			await box.exec(['mv', '/root/left4me.sudoers', '/etc/sudoers.d/left4me']);
		}
	});

	it('servers started through l4d2ctl come back after a reboot, overlay mounted; stopped ones stay stopped', async () => {
		expect([await isActive('a'), await isActive('b')]).toEqual(['active', 'inactive']);
		await box.reboot();
		await waitFor('a active after the reboot', 60_000, async () => ((await isActive('a')) === 'active' ? true : undefined));
		expect(await mounted('a')).toBe(true);
		expect(await isActive('b')).toBe('inactive');
		expect(await mounted('b')).toBe(false);
		const list = await json('left4me.list/1', 'list', '--json', '--interval', '0');
		expect(list.instances.find((i: {name: string}) => i.name === 'a')).toMatchObject({state: 'active', enabled: true});
		expect((await root(['cat', `${STATE}/runtime/a/merged/left4dead2/cfg/server.cfg`])).stdout).toBe('hostname "alpha two"\n');
	});
});
