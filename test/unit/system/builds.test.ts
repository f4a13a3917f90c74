import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {makePaths} from '../../../source/core/paths.js';
import {parseUnitStatuses} from '../../../source/core/unit-status.js';
import {createBuilds} from '../../../source/system/builds.js';
import type {Host} from '../../../source/system/host.js';
import {createPrivileged} from '../../../source/system/privileged.js';
import {FakeRunner} from '../support/fake-runner.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

const HELPER = '/usr/local/libexec/left4me/left4me-script-sandbox';
const result = (overlay: string, fields: Record<string, unknown> = {}) =>
	JSON.stringify({schema: 'left4me.build-result/1', overlay, result: 'success', exitCode: 'exited', exitStatus: '0', cancelled: false, startedAtMs: 5000, finishedAtMs: 6000, durationMs: 1000, scriptSha256: null, ...fields});
const show = (blocks: Array<[string, string]>) => blocks.map(([id, state]) => `Id=${id}\nLoadState=loaded\nActiveState=${state}\nSubState=running\n`).join('\n');

describe('createBuilds', () => {
	let state: string;
	let runner: FakeRunner;
	let host: Host;
	let shown: string[][];
	let showText: string;
	beforeEach(() => {
		state = tempDir('builds');
		writeTree(state, {
			'overlay-scripts/maps.sh': 'echo\n', 'overlay-scripts/zeta.sh': 'echo\n', 'overlay-scripts/Bad.sh': '', 'overlay-scripts/notes.txt': '',
			'builds/maps.json': result('maps'), 'builds/old.json': result('old'), 'builds/torn.json': '{"sch', 'builds/liar.json': result('maps'),
		});
		runner = new FakeRunner();
		const paths = makePaths(state);
		shown = [];
		showText = '';
		host = {
			paths, runner, privileged: createPrivileged(runner, paths, false),
			units: {show: async (units) => (shown.push([...units]), parseUnitStatuses(showText, units))},
		} as unknown as Host;
	});
	afterEach(() => removeTree(state));

	it('lists scripts and results (unreadable and mismatched ones left out) with ONE systemctl show', async () => {
		showText = show([['left4me-build-maps.service', 'inactive'], ['left4me-build-zeta.service', 'active'], ['left4me-build-old.service', 'inactive']]);
		const builds = createBuilds(host, false);
		expect(builds.scripts()).toEqual(['maps', 'zeta']);
		const doc = await builds.list();
		expect(shown).toHaveLength(1);
		expect(doc.overlays.map((o) => [o.overlay, o.state, o.hasScript, o.lastResult?.overlay ?? null])).toEqual([
			['maps', 'idle', true, 'maps'],
			['old', 'idle', false, 'old'],
			['zeta', 'building', true, null],
		]);
	});

	it('starts and cancels through sudo -n with exact argv', async () => {
		runner.answer({stdout: 'left4me-script-sandbox: started left4me-build-maps.service (script sha256 x)\n'});
		const builds = createBuilds(host, false);
		expect(await builds.start('maps', {maxRuntimeSec: 5})).toBe('left4me-script-sandbox: started left4me-build-maps.service (script sha256 x)');
		await builds.cancel('maps');
		await builds.start('maps');
		expect(runner.calls.map((c) => c.argv)).toEqual([
			['sudo', '-n', '--', HELPER, 'build', 'maps', '--max-runtime', '5'],
			['sudo', '-n', '--', HELPER, 'cancel', 'maps'],
			['sudo', '-n', '--', HELPER, 'build', 'maps'],
		]);
	});

	it.each([
		[4, 'left4me-script-sandbox: overlay maps is already building (left4me-build-maps.service is active)', 'conflict', /cancel it \(l4d2ctl cancel maps\)/],
		[3, 'left4me-script-sandbox: no build script overlay-scripts/maps.sh', 'not_found', /overlay-scripts\/maps\.sh/],
		[1, 'left4me-script-sandbox: systemd-run failed: boom', 'failed', undefined],
	])('maps helper exit %i to a %s error with a hint', async (exitCode, stderr, code, hint) => {
		runner.answer({exitCode, stderr: `${stderr}\n`});
		const error = await createBuilds(host, false).start('maps').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Left4meError);
		expect((error as Left4meError).code).toBe(code);
		expect((error as Left4meError).message).toBe(stderr);
		if (hint) expect((error as Left4meError).hint).toMatch(hint);
	});

	it('refuses bad names and runtimes before any process is spawned', async () => {
		const builds = createBuilds(host, false);
		for (const [name, sec] of [['../x', undefined], ['maps', 0], ['maps', 3601], ['maps', 1.5]] as const) {
			const error = await builds.start(name, {maxRuntimeSec: sec}).catch((e: unknown) => e);
			expect((error as Left4meError).code).toBe('usage');
		}
		expect((await builds.cancel('A').catch((e: unknown) => e) as Left4meError).code).toBe('usage');
		expect(runner.calls).toEqual([]);
	});

	it('waitForResult returns a result of this run only, and gives up when the unit stopped without one', async () => {
		const builds = createBuilds(host, false);
		expect((await builds.waitForResult('maps', 5000, {pollMs: 1})).finishedAtMs).toBe(6000);
		showText = show([['left4me-build-maps.service', 'inactive']]);
		const error = await builds.waitForResult('maps', 5001, {pollMs: 1}).catch((e: unknown) => e);
		expect((error as Left4meError).message).toBe('left4me-build-maps.service ended without writing a result');
		expect(shown.length).toBe(3);
	});

	it('waitForResult keeps waiting while the unit is active', async () => {
		const builds = createBuilds(host, false);
		showText = show([['left4me-build-maps.service', 'active']]);
		const waiting = builds.waitForResult('maps', 9000, {pollMs: 1});
		await new Promise((r) => setTimeout(r, 50));
		writeTree(state, {'builds/maps.json': result('maps', {startedAtMs: 9100})});
		expect((await waiting).startedAtMs).toBe(9100);
		expect(shown.length).toBeGreaterThan(0);
	});
});

describe('createBuilds().snapshot', () => {
	it('reads running builds from cgroupfs and results from files, spawning nothing', () => {
		const state = tempDir('builds-snap');
		const cgroup = tempDir('builds-cg');
		try {
			writeTree(state, {'overlay-scripts/maps.sh': '', 'overlay-scripts/zeta.sh': '', 'builds/maps.json': result('maps')});
			writeTree(cgroup, {'l4d2.slice/l4d2-build.slice/left4me-build-zeta.service/cgroup.procs': '123\n'});
			const runner = new FakeRunner();
			const paths = makePaths(state, cgroup);
			const host = {paths, runner, privileged: createPrivileged(runner, paths, false), units: {show: () => Promise.reject(new Error('no'))}} as unknown as Host;
			const doc = createBuilds(host, false).snapshot();
			expect(doc.overlays.map((o) => [o.overlay, o.state, o.lastResult?.result ?? null])).toEqual([
				['maps', 'idle', 'success'],
				['zeta', 'building', null],
			]);
			expect(runner.calls).toEqual([]);
		} finally {
			removeTree(state);
			removeTree(cgroup);
		}
	});
});
