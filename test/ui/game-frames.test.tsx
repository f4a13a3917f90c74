// Game awareness in the dashboard: players and map columns, the players warning before
// stop/restart, and the shaping state in the header (read through the CAKE helper).
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App, DashboardView} from '../../source/ui/app.js';
import {initialState, reduce, type DashboardState} from '../../source/ui/dashboard-state.js';
import {plainTheme} from '../../source/ui/theme.js';
import {FakeRunner, fakeHost, FLEET, instance, snapshot} from './fixtures.js';
import type {ListDocument} from '../../source/core/snapshot.js';

afterEach(cleanup);

const loaded = (instances = FLEET): DashboardState => reduce(initialState(false), {type: 'snapshot', doc: snapshot(instances)});
const frame = (state: DashboardState, columns: number, shaping?: string | null) =>
	render(<DashboardView state={state} journal={{target: null, lines: [], error: null}} size={{columns, rows: 24}} theme={plainTheme} timeZone="UTC" shaping={shaping} />).lastFrame() ?? '';

describe('players and map', () => {
	it('shows players/max and map at 120 columns; unknown for a running server that did not answer, - when stopped', () => {
		const text = frame(loaded(), 120);
		expect(text).toMatch(/^ +NAME .* PLAYERS MAP/m);
		expect(text).toMatch(/^> alpha .* 3\/8 c1m1_hotel *$/m);
		expect(text).toMatch(/^ {2}delta .* unknown unknown *$/m);
		expect(text).toMatch(/^ {2}charlie .* - - *$/m);
	});

	it('warns before stop and restart when players are online, not when the server is empty', () => {
		for (const operation of ['stop', 'restart'] as const) {
			expect(frame(reduce(loaded(), {type: 'request', operation}), 80)).toContain(`${operation} alpha? 3 players online!`);
		}
		const empty = loaded([instance('alpha', {players: 0})]);
		const text = frame(reduce(empty, {type: 'request', operation: 'stop'}), 80);
		expect(text).toContain('stop alpha? players are disconnected');
		expect(text).not.toContain('online!');
		expect(frame(reduce(loaded([instance('alpha', {players: 1})]), {type: 'request', operation: 'restart'}), 80)).toContain('1 player online!');
	});
});

describe('shaping in the header', () => {
	it('shows the summary it is given', () => {
		expect(frame(loaded(), 120, 'cake 100Mbit on eth0')).toMatch(/^cake 100Mbit on eth0  CPU = % of one core$/m);
		expect(frame(loaded(), 120, null)).not.toContain('cake');
	});

	it('reads it once through left4me-apply-cake show, not per refresh', async () => {
		const runner = new FakeRunner();
		runner.result = {exitCode: 0, stdout: 'eth0\tcake\t100Mbit\nveth1\tnoqueue\t-\n', stderr: ''};
		const doc: ListDocument = snapshot();
		let calls = 0;
		const collector = {collect: async () => (calls++, doc)};
		const app = render(<App host={fakeHost(runner)} collector={collector} refreshMs={10} readOnly theme={plainTheme} size={{columns: 120, rows: 24}} timeZone="UTC" />);
		const end = Date.now() + 2000;
		while (Date.now() < end && !(app.lastFrame() ?? '').includes('cake 100Mbit on eth0')) await new Promise((r) => setTimeout(r, 10));
		while (Date.now() < end && calls < 5) await new Promise((r) => setTimeout(r, 10));
		expect(app.lastFrame()).toContain('cake 100Mbit on eth0');
		const shows = runner.runs.filter((argv) => argv.some((a) => a.endsWith('/left4me-apply-cake')));
		expect(shows).toEqual([['sudo', '-n', '--', '/usr/local/libexec/left4me/left4me-apply-cake', 'show']]);
		expect(calls).toBeGreaterThanOrEqual(5);
	});
});

describe('restart when empty (e)', () => {
	/** A querier answering `players` (changeable) for every port, recording the ports asked. */
	function fakeGame(players: number | null) {
		const state = {players, asked: [] as number[]};
		const game = {
			info: async (port: number) => {
				state.asked.push(port);
				return state.players === null ? null : {players: state.players, maxPlayers: 8, map: 'c1m1_hotel'};
			},
		};
		return {state, game};
	}

	async function until(predicate: () => boolean, ms = 8000) {
		const end = Date.now() + ms;
		while (Date.now() < end && !predicate()) await new Promise((r) => setTimeout(r, 20));
		expect(predicate()).toBe(true);
	}

	function mount(game: ReturnType<typeof fakeGame>['game']) {
		const runner = new FakeRunner();
		const doc = snapshot([instance('alpha', {port: 27031})]);
		const app = render(<App host={{...fakeHost(runner), game}} collector={{collect: async () => doc}} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 100, rows: 24}} timeZone="UTC" />);
		const press = async (key: string) => {
			app.stdin.write(key);
			await new Promise((r) => setTimeout(r, 30));
		};
		const restarts = () => runner.runs.filter((argv) => argv.join(' ').endsWith('left4me-systemctl restart alpha'));
		return {app, press, restarts, frame: () => app.lastFrame() ?? ''};
	}

	it('asks first, waits while players are on, restarts at 0', async () => {
		const {state, game} = fakeGame(2);
		const {press, restarts, frame} = mount(game);
		await until(() => frame().includes('alpha'));
		await press('e');
		expect(frame()).toContain('restart alpha when empty? waits until it reports 0 players');
		await press('y');
		await until(() => frame().includes('waiting for alpha to empty: 2/8 players on c1m1_hotel'));
		expect(restarts()).toEqual([]);
		state.players = 0;
		await until(() => restarts().length === 1);
		await until(() => frame().includes('restarted (once empty) alpha'));
		expect(state.asked.every((p) => p === 27031)).toBe(true);
	});

	it('never restarts a silent server; e again stops waiting', async () => {
		const {game} = fakeGame(null);
		const {press, restarts, frame} = mount(game);
		await until(() => frame().includes('alpha'));
		await press('e');
		await press('y');
		await until(() => frame().includes('waiting for alpha to empty: no answer to A2S_INFO'));
		await press('e');
		await until(() => frame().includes('stopped waiting for alpha to empty; not restarted'));
		await new Promise((r) => setTimeout(r, 2500));
		expect(restarts()).toEqual([]);
	});
});
