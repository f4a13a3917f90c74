/**
 * Rough edges operators found: help text that matches when actions ask first,
 * notices and journal filters that belong to one view (servers or builds), the
 * sparkline of a stopped instance, the footer's key hints, RCON console
 * scrollback, and sorting by players. Reducer tests, frames, and keys written to
 * stdin of the live App against fakes.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {BUILDS_SCHEMA, type BuildsDocument} from '../../source/core/build-result.js';
import type {InstanceView} from '../../source/core/snapshot.js';
import {App, DashboardView, frameLayout} from '../../source/ui/app.js';
import {CONSOLE_OUTPUT_CAP} from '../../source/ui/console-state.js';
import {initialState, reduce, type Action, type DashboardState, type JournalNav} from '../../source/ui/dashboard-state.js';
import {Footer, MAX_HINT_LINES} from '../../source/ui/footer.js';
import {helpLines} from '../../source/ui/help-lines.js';
import {KEYMAP, keymapFor} from '../../source/ui/keymap.js';
import {loadPreferences} from '../../source/ui/preferences.js';
import {SORT_COLUMNS, SPARK_LENGTH, visibleInstances} from '../../source/ui/table-view.js';
import {plainTheme} from '../../source/ui/theme.js';
import type {BuildsSource} from '../../source/ui/use-builds.js';
import type {ConsoleDeps} from '../../source/ui/use-console.js';
import type {JournalView} from '../../source/ui/use-journal.js';
import {FakeRunner, FLEET, fakeHost, instance, snapshot, tick} from './fixtures.js';

afterEach(cleanup);

const ESC = '\u001B';
const PGUP = '\u001B[5~';
const PGDN = '\u001B[6~';

const key = (input: string, k: Record<string, boolean> = {}, nav?: JournalNav): Action => ({type: 'key', input, key: k, nav});
const run = (state: DashboardState, ...actions: Action[]) => actions.reduce(reduce, state);
const typed = (text: string): Action[] => [...text].map((c) => key(c));
const loaded = (doc = snapshot()) => reduce(initialState(false), {type: 'snapshot', doc});
const BUILDS_DOC: BuildsDocument = {
	schema: BUILDS_SCHEMA,
	generatedAt: '2026-01-02T12:05:00.000Z',
	overlays: [{overlay: 'maps', unit: 'left4me-build-maps.service', hasScript: true, state: 'idle', buildingSinceMs: null, lastResult: null}],
};
const NO_JOURNAL: JournalView = {target: 'alpha', lines: [], error: null};
const draw = (state: DashboardState, columns = 80, rows = 24) =>
	render(<DashboardView state={state} journal={NO_JOURNAL} size={{columns, rows}} theme={plainTheme} timeZone="UTC" />).lastFrame() ?? '';

async function until(predicate: () => boolean, frame: () => string, ms = 3000): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`condition not met in time; frame:\n${frame()}`);
		await tick(5);
	}
}

describe('help says when r, s, x, W and e ask first', () => {
	const help = (label: string) => helpLines(KEYMAP, false).find((l) => l.kind === 'key' && l.label === label)?.text ?? '';
	const keys = {s: 'start', x: 'stop', r: 'restart', W: 'reset', e: 'restart-empty'} as const;

	it.each(Object.entries(keys))('%s: "always asks" exactly when one idle instance already asks', (label, operation) => {
		// alpha with nobody online: does the key ask for one instance?
		const idle = loaded(snapshot([instance('alpha', {players: 0}), instance('bravo', {players: 0})]));
		const asks = run(idle, key(label)).confirming?.operation === operation;
		expect(help(label)).toMatch(asks ? /always asks/ : /asks first for several/);
		expect(help(label).includes('always asks')).toBe(asks);
	});

	it('r: the help names players online, and r does ask then', () => {
		expect(help('r')).toMatch(/asks first for several, or when players are online/);
		const busy = loaded(snapshot([instance('alpha', {players: 2})]));
		expect(run(busy, key('r')).confirming).toMatchObject({operation: 'restart', names: ['alpha'], players: 2});
		// And for several at once, whoever is online.
		const idle = loaded(snapshot([instance('alpha', {players: 0}), instance('bravo', {players: 0})]));
		expect(run(idle, key(' '), key('j'), key(' '), key('r')).confirming).toMatchObject({operation: 'restart', names: ['alpha', 'bravo']});
	});
});

describe('switching between the servers and the builds view', () => {
	const builds = (state: DashboardState) => reduce(state, {type: 'builds/doc', doc: BUILDS_DOC});

	it('a notice from the builds view does not stay after going back to the servers', () => {
		let s = reduce(builds(run(loaded(), key('B'))), key('b'));
		s = reduce(s, {type: 'builds/finished', task: s.builds.running!, error: null});
		expect(s.notice?.text).toBe('started the maps build (it keeps running if the dashboard exits)');
		s = run(s, key('', {escape: true}));
		expect(s.builds.open).toBe(false);
		expect(s.notice).toBeNull();
		expect(draw(s)).not.toContain('started the maps build');
	});

	it('nor does a notice from the servers view follow into the builds view', () => {
		const s = run(loaded(), key('x'), key('n'));
		expect(s.notice?.text).toBe('stop alpha cancelled');
		const inBuilds = builds(run(s, key('B')));
		expect(inBuilds.notice).toBeNull();
		expect(draw(inBuilds)).not.toContain('cancelled');
	});

	it('each view keeps its own journal filter', () => {
		const filtered = run(loaded(), key('', {tab: true}), key('/'), ...typed('map'), key('', {return: true}));
		expect(filtered.journalFilter).toBe('map');
		const inBuilds = builds(run(filtered, key('B')));
		expect(inBuilds.journalFilter).toBe('');
		const buildsFrame = draw(inBuilds);
		expect(buildsFrame).toContain('journal: ');
		expect(buildsFrame).not.toContain('filter "map"');
		const back = run(inBuilds, key('B'));
		expect(back.journalFilter).toBe('map');
		expect(draw(back)).toContain('filter "map"');
	});

	it('through stdin: the builds notice is gone from the footer once back at the servers', async () => {
		const source: BuildsSource = {snapshot: () => BUILDS_DOC, start: async () => 'started', cancel: async () => undefined};
		const app = render(
			<App host={fakeHost(new FakeRunner())} collector={{collect: async () => snapshot()}} builds={source} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" />,
		);
		const frame = () => app.lastFrame() ?? '';
		const press = async (input: string) => {
			app.stdin.write(input);
			await tick(input === ESC ? 80 : 20);
		};
		await until(() => frame().includes('> alpha'), frame);
		await press('B');
		await until(() => frame().includes('> maps'), frame);
		await press('b');
		await until(() => frame().includes('started the maps build'), frame);
		await press(ESC);
		await until(() => frame().includes('> alpha'), frame);
		expect(frame()).not.toContain('started the maps build');
	});
});

describe('sparkline of an instance that stops', () => {
	it('goes blank with the first snapshot that shows it stopped', () => {
		let s = initialState(false);
		for (const cpu of [40, 60, 80, 95]) s = reduce(s, {type: 'snapshot', doc: snapshot([instance('alpha', {cpuPercent: cpu})])});
		expect(s.cpuHistory.get('alpha')).toEqual([40, 60, 80, 95]);
		const row = (state: DashboardState) => draw(state, 160, 24).split('\n').find((l) => l.startsWith('> alpha')) ?? '';
		expect(row(s)).toMatch(/[▁▂▃▄▅▆▇█]{4}/);
		s = reduce(s, {type: 'snapshot', doc: snapshot([instance('alpha', {state: 'inactive', subState: 'dead', cpuPercent: null, memoryBytes: null, uptimeSec: null, players: null})])});
		expect(s.cpuHistory.get('alpha')).toEqual([]);
		expect(row(s)).toMatch(/^> alpha +inactive/);
		expect(row(s)).not.toMatch(/[▁▂▃▄▅▆▇█]/);
		// Started again, the line starts over from its first sample.
		s = reduce(s, {type: 'snapshot', doc: snapshot([instance('alpha', {cpuPercent: 10})])});
		expect(s.cpuHistory.get('alpha')).toEqual([10]);
		expect(SPARK_LENGTH).toBeGreaterThan(4);
	});

	it('a failed instance too, while one still starting keeps its samples', () => {
		let s = reduce(initialState(false), {type: 'snapshot', doc: snapshot([instance('alpha', {cpuPercent: 50}), instance('delta', {state: 'activating', cpuPercent: 20})])});
		s = reduce(s, {type: 'snapshot', doc: snapshot([instance('alpha', {state: 'failed', result: 'exit-code', cpuPercent: null}), instance('delta', {state: 'activating', cpuPercent: 30})])});
		expect(s.cpuHistory.get('alpha')).toEqual([]);
		expect(s.cpuHistory.get('delta')).toEqual([20, 30]);
	});
});

describe('footer hints', () => {
	const main = (readOnly = false) => keymapFor(readOnly).filter((b) => b.context === 'main');
	const footer = (width: number, readOnly = false) =>
		render(<Footer bindings={main(readOnly)} notice={null} readOnly={readOnly} width={width} theme={plainTheme} />).lastFrame() ?? '';

	it('has room for every main key the help lists, wide enough', () => {
		const text = footer(200);
		for (const hint of ['space mark', 'W reset', 'e when empty', 'c console', 'B builds', 'o sort', 's start', 'x stop', 'r restart', '? help']) expect(text).toContain(hint);
	});

	it('at 80 columns keeps the most useful: console, builds and mark next to the actions, in two lines', () => {
		const text = footer(80);
		expect(text.split('\n')).toHaveLength(MAX_HINT_LINES);
		for (const hint of ['↑/k ↓/j select', 'space mark', 's start', 'x stop', 'r restart', 'c console', 'B builds', 'l logs', '/ filter', '? help', 'q/^C quit']) expect(text).toContain(hint);
	});

	it('at 40 columns keeps start, stop, help and quit, in two lines', () => {
		const text = footer(40);
		expect(text.split('\n').length).toBeLessThanOrEqual(MAX_HINT_LINES);
		for (const hint of ['s start', 'x stop', '? help', 'q/^C quit']) expect(text).toContain(hint);
		for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
	});

	it('read-only: B and o are offered, the acting keys are not', () => {
		const text = footer(80, true);
		expect(text).toContain('B builds');
		expect(text).toContain('o sort');
		expect(text).toContain('[read-only]');
		expect(text).not.toMatch(/space mark|c console|W reset/);
	});

	it.each([
		[80, 24],
		[40, 15],
	])('the whole frame still fits at %i×%i', (columns, rows) => {
		const text = draw(loaded(), columns, rows);
		expect(text.split('\n').length).toBeLessThanOrEqual(rows - 1);
		expect(text).toContain('s start');
		expect(text).toContain('? help');
	});
});

describe('RCON console scrollback', () => {
	const reply = (n: number, from = 1) => Array.from({length: n}, (_, i) => `line ${from + i}`).join('\n');
	const withOutput = (lines: number) => {
		const sent = run(loaded(), key('c'), ...typed('cvarlist'), key('', {return: true}));
		return reduce(sent, {type: 'console-reply', name: 'alpha', id: 1, text: reply(lines)});
	};
	const consoleRows = (state: DashboardState, columns = 80, rows = 24) => Math.max(1, frameLayout(state, {columns, rows}).consoleHeight - 2);
	const nav = (state: DashboardState): JournalNav => ({lines: [], height: 0, consoleRows: consoleRows(state)});
	const pgUp = (state: DashboardState) => reduce(state, key('', {pageUp: true}, nav(state)));
	const pgDn = (state: DashboardState) => reduce(state, key('', {pageDown: true}, nav(state)));

	it('PgUp pages back with "N older" and "N newer" in the title; PgDn returns to the newest', () => {
		const s = withOutput(60);
		const rows = consoleRows(s);
		const total = 61;
		expect(draw(s)).toContain(`console: alpha (RCON) · ${total - rows} older (PgUp)`);
		expect(draw(s)).toContain('line 60');
		const back = pgUp(s);
		expect(back.console?.scroll).toBe(rows);
		const frame = draw(back);
		expect(frame).toContain(`scrolled back, ${rows} newer (PgDn) · ${total - 2 * rows} older`);
		expect(frame).toContain(`line ${60 - rows}`);
		expect(frame).not.toContain('line 60');
		expect(pgDn(back).console?.scroll).toBe(0);
	});

	it('stops at the oldest line held, and the output is bounded', () => {
		let s = withOutput(CONSOLE_OUTPUT_CAP + 100);
		expect(s.console?.output).toHaveLength(CONSOLE_OUTPUT_CAP);
		const rows = consoleRows(s);
		for (let i = 0; i < CONSOLE_OUTPUT_CAP; i++) s = pgUp(s);
		expect(s.console?.scroll).toBe(CONSOLE_OUTPUT_CAP - rows);
		expect(pgUp(s)).toBe(s);
		expect(draw(s)).toContain(`scrolled back, ${CONSOLE_OUTPUT_CAP - rows} newer (PgDn) `);
		expect(draw(s)).toContain(`line ${100 + 1}`);
	});

	it('holds the view while a reply arrives, and sending jumps back to the newest', () => {
		let s = pgUp(withOutput(60));
		s = run(s, ...typed('status'), key('', {return: true}));
		expect(s.console?.scroll).toBe(0);
		s = pgUp(s);
		const before = s.console!.scroll;
		s = reduce(s, {type: 'console-reply', name: 'alpha', id: 2, text: 'a\nb\nc'});
		expect(s.console?.scroll).toBe(before + 3);
	});

	it('through stdin: PgUp and PgDn scroll the pane the App shows', async () => {
		const deps: ConsoleDeps = {connect: async () => ({command: async () => reply(80), close: () => undefined}), load: () => [], save: () => undefined};
		const app = render(
			<App host={fakeHost(new FakeRunner())} collector={{collect: async () => snapshot()}} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" console={deps} />,
		);
		const frame = () => app.lastFrame() ?? '';
		const press = async (...inputs: string[]) => {
			for (const input of inputs) {
				app.stdin.write(input);
				await tick(20);
			}
		};
		await until(() => frame().includes('> alpha'), frame);
		await press('c', 's', '\r');
		await until(() => frame().includes('line 80'), frame);
		expect(frame()).toMatch(/console: alpha \(RCON\) · \d+ older \(PgUp\)/);
		await press(PGUP);
		await until(() => frame().includes('scrolled back'), frame);
		expect(frame()).not.toContain('line 80');
		await press(PGDN);
		await until(() => frame().includes('line 80'), frame);
		expect(frame()).not.toContain('scrolled back');
	});
});

describe('sort by players', () => {
	const FOUR: InstanceView[] = [
		instance('alpha', {players: 3}),
		instance('bravo', {players: 0}),
		instance('charlie', {state: 'inactive', players: null, maxPlayers: null}),
		instance('delta', {players: 7}),
		instance('echo', {players: null, maxPlayers: null}),
	];
	const names = (rows: readonly InstanceView[]) => rows.map((r) => r.name);

	it('most players first, unknown last in both directions', () => {
		expect(names(visibleInstances(FOUR, '', {column: 'players', reversed: false}))).toEqual(['delta', 'alpha', 'bravo', 'charlie', 'echo']);
		expect(names(visibleInstances(FOUR, '', {column: 'players', reversed: true}))).toEqual(['bravo', 'alpha', 'delta', 'charlie', 'echo']);
	});

	it('o reaches it after port; the heading marks PLAYERS', () => {
		expect(SORT_COLUMNS.at(-1)).toBe('players');
		let s = loaded(snapshot(FOUR));
		for (let i = 0; i < SORT_COLUMNS.indexOf('players'); i++) s = reduce(s, key('o'));
		expect(s.sort).toEqual({column: 'players', reversed: false});
		const frame = draw(s, 120, 24);
		expect(frame).toContain('▼PLAYERS');
		expect(frame.split('\n').filter((l) => /^[> ] [a-z]+ /.test(l)).map((l) => l.slice(2).split(/ +/)[0])).toEqual(['delta', 'alpha', 'bravo', 'charlie', 'echo']);
		expect(draw(reduce(s, key('O')), 120, 24)).toContain('▲PLAYERS');
		expect(reduce(s, key('o')).sort.column).toBe('name');
	});

	it('is stored in the preferences and read back', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'left4me-prefs-'));
		try {
			const prefs = await loadPreferences(dir);
			expect(await prefs.save({sort: {column: 'players', reversed: true}})).toBeNull();
			expect(JSON.parse(readFileSync(join(dir, 'dashboard.json'), 'utf8'))).toEqual({sort: {column: 'players', reversed: true}});
			expect(await loadPreferences(dir)).toMatchObject({warning: null, preferences: {sort: {column: 'players', reversed: true}}});
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('a kept table filter', () => {
	it('is named in the footer with how many rows it shows, until Esc clears it', () => {
		let s = loaded();
		for (const k of ['/', 'a', 'l']) s = reduce(s, key(k));
		s = reduce(s, key('', {return: true}));
		const shown = FLEET.filter((i) => i.name.includes('al')).length;
		expect(shown).toBeGreaterThan(0);
		expect(shown).toBeLessThan(FLEET.length);
		expect(draw(s, 100, 24)).toContain(`filter "al": ${shown} of ${FLEET.length} instances (Esc clears)`);
		expect(draw(reduce(s, key('', {escape: true})), 100, 24)).not.toContain('filter "al"');
	});
});
