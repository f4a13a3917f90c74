/**
 * The dashboard's game side: players and map in the table, shaping in the header,
 * `e` (restart once empty, by A2S_INFO), players named in confirmations, and the
 * RCON console pane. Reducer tests, frames at 80×24 and 40×15, and keys written
 * to stdin of the live App against fakes of the helpers, A2S_INFO and RCON.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {Left4meError} from '../../source/core/errors.js';
import type {GameInfo} from '../../source/core/game-info.js';
import {App, DashboardView} from '../../source/ui/app.js';
import {initialState, reduce, type Action, type DashboardState} from '../../source/ui/dashboard-state.js';
import {confirmLines} from '../../source/ui/confirm-dialog.js';
import {colourTheme, plainTheme} from '../../source/ui/theme.js';
import type {ConsoleDeps} from '../../source/ui/use-console.js';
import type {JournalView} from '../../source/ui/use-journal.js';
import {FakeRunner, fakeHost, FLEET, HELPER, snapshot, tick} from './fixtures.js';

afterEach(cleanup);

const ESC = '\u001B';
const UP = '\u001B[A';
const DOWN = '\u001B[B';
const CAKE_HELPER = '/usr/local/libexec/left4me/left4me-apply-cake';

const loaded = (readOnly = false) => reduce(initialState(readOnly), {type: 'snapshot', doc: snapshot()});
const run = (state: DashboardState, ...actions: Action[]) => actions.reduce(reduce, state);
const key = (input: string, k: Record<string, boolean> = {}): Action => ({type: 'key', input, key: k});
const typed = (text: string): Action[] => [...text].map((c) => key(c));

describe('reducer: restart when empty', () => {
	it('e asks first, naming the players, and carries the port for A2S_INFO', () => {
		const asked = run(loaded(), key('e'));
		expect(asked.confirming).toEqual({id: 1, operation: 'restart-empty', names: ['alpha'], players: 3, port: 27015, wasRunning: true});
		expect(confirmLines(asked.confirming!, 76).join(' ')).toContain('restart alpha when empty? 3 players online!');
		const waiting = run(asked, key('y'));
		expect(waiting.running?.operation).toBe('restart-empty');
	});

	it('progress text replaces the status line; e again stops waiting; a finish clears it', () => {
		const waiting = run(loaded(), key('e'), key('y'));
		const task = waiting.running!;
		const checked = reduce(waiting, {type: 'progress', task, done: 0, text: 'waiting for alpha to empty: 3/8 players on c1m1_hotel (e stops waiting)'});
		expect(checked.progressText).toBe('waiting for alpha to empty: 3/8 players on c1m1_hotel (e stops waiting)');
		const stopped = run(checked, key('e'));
		expect(stopped).toMatchObject({running: null, progressText: null, notice: {tone: 'info', text: 'stopped waiting for alpha to empty; not restarted'}});
		const done = reduce(checked, {type: 'finished', task, failures: []});
		expect(done).toMatchObject({running: null, progressText: null, notice: {tone: 'ok', text: 'restarted alpha once empty'}});
	});

	it('a stopped instance restarts at once, as restart --when-empty does, and the confirmation says so', () => {
		const asked = run(loaded(), key('j'), key('j'), key('e'));
		expect(asked.confirming).toMatchObject({names: ['charlie'], wasRunning: false});
		expect(confirmLines(asked.confirming!, 200)[0]).toBe('restart charlie? It is not running, so it starts at once.');
	});

	it('acts on the selected instance only, marks aside', () => {
		const marked = run(loaded(), key(' '), key('j'), key(' '), key('e'));
		expect(marked.confirming?.names).toEqual(['bravo']);
	});

	it('read-only mode refuses e and c', () => {
		expect(run(loaded(true), key('e')).notice?.text).toBe('read-only mode: when empty is disabled');
		expect(run(loaded(true), key('c'))).toMatchObject({console: null, notice: {text: 'read-only mode: console is disabled'}});
	});
});

describe('reducer: console', () => {
	it('c on a stopped instance names its state, as l4d2ctl rcon does, and opens nothing', () => {
		const refused = run(loaded(), key('j'), key('j'), key('c'));
		expect(refused.console).toBeNull();
		expect(refused.notice).toEqual({tone: 'error', text: 'charlie is not running (inactive)', hint: 's starts it'});
		// Opening a console on a running server clears that notice: it was about charlie.
		const opened = run(refused, key('k'), key('k'), key('c'));
		expect(opened.console?.name).toBe('alpha');
		expect(opened.notice).toBeNull();
		// bravo's start limit refuses s: the hint says both ways out.
		expect(run(loaded(), key('j'), key('c')).notice).toEqual({tone: 'error', text: 'bravo is not running (failed)', hint: 's starts it once its start limit interval has passed; W resets it now, wiping its upper layer'});
	});
});

describe('reducer: players in confirmations', () => {
	it('restart asks when players are online and names them; stop and reset name them; start never does', () => {
		for (const operation of ['restart', 'stop', 'reset'] as const) {
			const asked = reduce(loaded(), {type: 'request', operation});
			expect(confirmLines(asked.confirming!, 200)[0]).toMatch(new RegExp(`^${operation} alpha\\? 3 players online! `));
		}
		const one = reduce(initialState(false), {type: 'snapshot', doc: snapshot(FLEET.map((i) => ({...i, players: i.name === 'alpha' ? 1 : i.players})))});
		expect(confirmLines(reduce(one, {type: 'request', operation: 'stop'}).confirming!, 200)[0]).toContain('stop alpha? 1 player online! ');
		const bulk = run(loaded(), key(' '), key('j'), key('j'), key('j'), key(' '), key('s'));
		expect(confirmLines(bulk.confirming!, 200)[0]).not.toContain('online');
	});

	it('reads as sentences: the consequence after the question and the warning starts with a capital', () => {
		expect(confirmLines(reduce(loaded(), {type: 'request', operation: 'stop'}).confirming!, 200)[0]).toBe(
			'stop alpha? 3 players online! Players are disconnected and it stays off after a reboot (disable --now).',
		);
		expect(confirmLines(reduce(loaded(), {type: 'request', operation: 'restart'}).confirming!, 200)[0]).toBe('restart alpha? 3 players online! Players are disconnected while it restarts.');
		const bulk = run(loaded(), key(' '), key('j'), key('j'), key('j'), key(' '), key('s'));
		expect(confirmLines(bulk.confirming!, 200)[0]).toMatch(/^start 2 instances \(.*\)\? They start now and at boot \(enable --now\)\.$/);
		for (const operation of ['stop', 'restart', 'reset', 'restart-empty'] as const) {
			const text = confirmLines(reduce(loaded(), {type: 'request', operation}).confirming!, 400)[0]!;
			expect(text).not.toMatch(/[?!.] [a-z]/);
		}
	});

	it('sums the players of every marked instance; unknown counts none', () => {
		const doc = snapshot(FLEET.map((i) => (i.name === 'delta' ? {...i, players: 5, maxPlayers: 8, map: 'c2m1_highway'} : i)));
		const state = run(reduce(initialState(false), {type: 'snapshot', doc}), key(' '), key('j'), key(' '), key('j'), key('j'), key(' '), key('x'));
		expect(state.confirming?.players).toBe(8);
		expect(confirmLines(state.confirming!, 200)[0]).toContain('stop 3 instances (alpha, bravo, delta)? 8 players online!');
	});
});

describe('reducer: RCON console', () => {
	it('c opens it on the selected instance; keys go through the console context', () => {
		const open = run(loaded(), key('c'));
		expect(open.console).toMatchObject({name: 'alpha', input: '', output: [], pending: null});
		// q, j and s are text here, not quit, move or start.
		const typedLine = run(open, ...typed('sqj'), key('', {backspace: true}), ...typed('tatus'));
		expect(typedLine).toMatchObject({quit: false, selected: 'alpha', running: null, console: {input: 'sqtatus'}});
		const sent = run(typedLine, key('', {return: true}));
		expect(sent.console).toMatchObject({input: '', history: ['sqtatus'], output: ['alpha> sqtatus'], pending: {id: 1, command: 'sqtatus'}});
		// Enter again with nothing typed, or while waiting, sends nothing.
		expect(run(sent, key('', {return: true}))).toBe(sent);
		const replied = reduce(sent, {type: 'console-reply', name: 'alpha', id: 1, text: 'hostname: left4me\nplayers : 3\n'});
		expect(replied.console?.output).toEqual(['alpha> sqtatus', 'hostname: left4me', 'players : 3']);
		expect(replied.console?.pending).toBeNull();
		expect(run(replied, key('', {escape: true})).console).toBeNull();
		expect(run(replied, key('c', {ctrl: true})).quit).toBe(true);
	});

	it('↑/↓ recall history loaded from disk and the commands sent since; secrets are never kept', () => {
		let s = run(loaded(), key('c'));
		s = reduce(s, {type: 'console-history', name: 'alpha', history: ['status', 'users']});
		s = run(s, ...typed('rcon_password hunter2'), key('', {return: true}));
		expect(s.console?.history).toEqual(['status', 'users']);
		s = reduce(s, {type: 'console-reply', name: 'alpha', id: 1, text: ''});
		expect(s.console?.output.at(-1)).toBe('(no output)');
		s = run(s, key('', {upArrow: true}));
		expect(s.console?.input).toBe('users');
		s = run(s, key('', {upArrow: true}), key('', {upArrow: true}));
		expect(s.console?.input).toBe('status');
		s = run(s, key('', {downArrow: true}), key('', {downArrow: true}));
		expect(s.console?.input).toBe('');
	});

	it('ignores replies to another instance or an old command', () => {
		const sent = run(loaded(), key('c'), ...typed('status'), key('', {return: true}));
		expect(reduce(sent, {type: 'console-reply', name: 'bravo', id: 1, text: 'x'})).toBe(sent);
		expect(reduce(sent, {type: 'console-reply', name: 'alpha', id: 7, text: 'x'})).toBe(sent);
	});
});

const NO_JOURNAL: JournalView = {target: 'alpha', lines: [], error: null};

function frame(state: DashboardState, columns: number, rows: number, shaping: string | null = null): string {
	const {lastFrame} = render(<DashboardView state={state} journal={NO_JOURNAL} size={{columns, rows}} theme={colourTheme} timeZone="UTC" shaping={shaping} />);
	return lastFrame() ?? '';
}

/** A fleet without the long failure reason, so players and map fit at 80 columns. */
const CALM = FLEET.map((i) => (i.name === 'bravo' ? {...i, state: 'inactive', subState: 'dead', result: 'success'} : i));

describe.each([
	[80, 24],
	[40, 15],
])('game frames at %i×%i', (columns, rows) => {
	it('shows players and map where they fit, and the shaping in the header', () => {
		const text = frame(reduce(initialState(false), {type: 'snapshot', doc: snapshot(CALM)}), columns, rows, 'cake 95Mbit on eth0');
		expect(text).toContain('cake 95Mbit on eth0');
		if (columns === 80) expect(text).toMatch(/^> alpha +active\/running +3\/8 c1m1_hotel /m);
		if (columns === 80) expect(text).toMatch(/^  delta +activating\/start-pre +unknown unknown /m);
		expect(text).toMatchSnapshot();
	});

	it('keeps the failure reason whole and says no cake', () => {
		const text = frame(loaded(), columns, rows, 'no cake');
		expect(text).toContain('no cake');
		if (columns === 80) expect(text).toContain('failed (start-limit-hit)');
		expect(text).toMatchSnapshot();
	});

	it('shows the wait for an empty server as the progress line', () => {
		const waiting = run(loaded(), key('e'), key('y'));
		const text = frame(reduce(waiting, {type: 'progress', task: waiting.running!, done: 0, text: 'waiting for alpha to empty: 3/8 players on c1m1_hotel (e stops waiting)'}), columns, rows);
		expect(text).toContain('waiting for alpha to empty');
		expect(text).toMatchSnapshot();
	});

	it('shows the restart confirmation naming the players', () => {
		const text = frame(reduce(loaded(), {type: 'request', operation: 'restart'}), columns, rows);
		expect(text).toContain('3 players online!');
		expect(text).toMatchSnapshot();
	});

	it('shows the RCON console pane with history, replies and the typed line', () => {
		let s = run(loaded(), key('c'), ...typed('status'), key('', {return: true}));
		s = reduce(s, {type: 'console-reply', name: 'alpha', id: 1, text: 'hostname: left4me\nmap     : c1m1_hotel\nplayers : 3 humans, 0 bots (8 max)\n'});
		s = run(s, ...typed('changelevel c2m1_highway'));
		const text = frame(s, columns, rows);
		expect(text).toContain('console: alpha');
		expect(text).toContain('alpha> changelevel c2m1_highway█');
		if (columns === 80) expect(text).toContain('alpha> status');
		expect(text).toContain('Esc close');
		expect(text).toMatchSnapshot();
	});
});

function fakeConsole(saved: string[][], sent: string[], closed: {count: number}): ConsoleDeps {
	return {
		connect: async () => ({
			command: async (text) => {
				sent.push(text);
				if (text === 'boom') throw new Left4meError('failed', 'connection closed', 'is the server restarting? l4d2ctl status alpha');
				return `reply to ${text}\n`;
			},
			close: () => closed.count++,
		}),
		load: () => ['status'],
		save: (_name, history) => saved.push([...history]),
	};
}

async function until(predicate: () => boolean, lastFrame: () => string, ms = 3000): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`condition not met in time; frame:\n${lastFrame()}`);
		await tick(5);
	}
}

function mount(options: {runner?: FakeRunner; game?: {info: (port: number, timeoutMs: number) => Promise<GameInfo | null>}; console?: ConsoleDeps; refreshMs?: number} = {}) {
	const runner = options.runner ?? new FakeRunner();
	const host = {...fakeHost(runner), ...(options.game ? {game: options.game} : {})};
	const app = render(
		<App
			host={host}
			collector={{collect: async () => snapshot()}}
			refreshMs={options.refreshMs ?? 60_000}
			readOnly={false}
			theme={plainTheme}
			size={{columns: 80, rows: 24}}
			timeZone="UTC"
			console={options.console}
			whenEmptyPollMs={10}
		/>,
	);
	const frame = () => app.lastFrame() ?? '';
	const press = async (...inputs: string[]) => {
		for (const input of inputs) {
			app.stdin.write(input);
			await tick(input === ESC ? 80 : 15);
		}
	};
	return {app, runner, frame, press};
}

const systemctlRuns = (runner: FakeRunner) => runner.runs.filter((argv) => argv.includes(HELPER)).map((argv) => argv.slice(4));

describe('keys through stdin', () => {
	it('e waits for 0 players by A2S_INFO, showing each answer, then restarts', async () => {
		let players = 2;
		const ports: number[] = [];
		const game = {info: async (port: number) => (ports.push(port), {players, maxPlayers: 8, map: 'c1m1_hotel'})};
		const {frame, press, runner} = mount({game});
		await until(() => frame().includes('> alpha'), frame);
		await press('e');
		await until(() => frame().includes('restart alpha when empty? 3 players online!'), frame);
		await press('y');
		await until(() => frame().includes('waiting for alpha to empty: 2/8 players on c1m1_hotel (e stops waiting)'), frame);
		expect(systemctlRuns(runner)).toEqual([]);
		expect(new Set(ports)).toEqual(new Set([27015]));
		players = 0;
		await until(() => frame().includes('restarted alpha once empty'), frame);
		expect(systemctlRuns(runner)).toEqual([['restart', 'alpha']]);
	});

	it('e again stops waiting; nothing is restarted and the queries stop', async () => {
		let queries = 0;
		const game = {info: async () => (queries++, null)};
		const {frame, press, runner} = mount({game});
		await until(() => frame().includes('> alpha'), frame);
		await press('e', 'y');
		await until(() => frame().includes('waiting for alpha to empty: no answer to A2S_INFO (players unknown)'), frame);
		await press('e');
		await until(() => frame().includes('stopped waiting for alpha to empty; not restarted'), frame);
		const after = queries;
		await tick(120);
		expect(queries - after).toBeLessThanOrEqual(1);
		expect(systemctlRuns(runner)).toEqual([]);
	});

	it('e on a stopped instance restarts it without asking A2S_INFO', async () => {
		let queries = 0;
		const game = {info: async () => (queries++, null)};
		const {frame, press, runner} = mount({game});
		await until(() => frame().includes('> alpha'), frame);
		await press('j', 'j', 'e');
		await until(() => frame().includes('restart charlie? It is not running'), frame);
		await press('y');
		await until(() => frame().includes('restarted charlie at once: it was not running'), frame);
		expect(systemctlRuns(runner)).toEqual([['restart', 'charlie']]);
		expect(queries).toBe(0);
	});

	it('c opens the console: Enter sends over RCON, ↑/↓ recall, history is saved, Esc closes', async () => {
		const saved: string[][] = [];
		const sent: string[] = [];
		const closed = {count: 0};
		const {frame, press} = mount({console: fakeConsole(saved, sent, closed)});
		await until(() => frame().includes('> alpha'), frame);
		await press('c');
		await until(() => frame().includes('console: alpha (RCON)'), frame);
		expect(frame()).toContain('Enter send');
		await press('u', 's', 'e', 'r', 's', '\r');
		await until(() => frame().includes('reply to users'), frame);
		expect(sent).toEqual(['users']);
		expect(saved.at(-1)).toEqual(['status', 'users']);
		await press(UP, UP);
		await until(() => frame().includes('alpha> status'), frame);
		await press(DOWN);
		await until(() => /alpha> users█/.test(frame()), frame);
		await press('\r');
		await until(() => sent.length === 2, frame);
		await press('b', 'o', 'o', 'm', '\r');
		await until(() => frame().includes('! connection closed'), frame);
		expect(frame()).toMatch(/^! connection closed *\n! hint: is the server restarting\? l4d2ctl status alpha *$/m);
		await press('q');
		expect(frame()).toContain('alpha> q');
		await press(ESC);
		await until(() => !frame().includes('console: alpha'), frame);
		expect(frame()).toContain('journal');
		await until(() => closed.count >= 1, frame);
	});

	it('reads the shaping once at start, not per refresh tick, and shows it in the header', async () => {
		const runner = new FakeRunner();
		runner.result = {exitCode: 0, stdout: 'eth0\tcake\t95Mbit\nveth1\tnoqueue\t-\n', stderr: ''};
		const {frame} = mount({runner, refreshMs: 10});
		await until(() => frame().includes('cake 95Mbit on eth0'), frame);
		await tick(200);
		expect(runner.runs.filter((argv) => argv.includes(CAKE_HELPER))).toHaveLength(1);
	});
});
