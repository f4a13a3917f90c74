// The overlay builds view: its reducer through real keys, frames at 80×24 and 40×15,
// and the App running build and cancel against a recording builds source.
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {BUILDS_SCHEMA, type BuildResult, type BuildsDocument, type BuildView} from '../../source/core/build-result.js';
import {Left4meError} from '../../source/core/errors.js';
import {App, DashboardView} from '../../source/ui/app.js';
import {initialState, reduce, type DashboardState} from '../../source/ui/dashboard-state.js';
import {colourTheme, plainTheme} from '../../source/ui/theme.js';
import type {BuildsSource} from '../../source/ui/use-builds.js';
import {helpSections} from '../../source/ui/help-lines.js';
import {KEYMAP} from '../../source/ui/keymap.js';
import {fakeHost, FakeRunner, JOURNAL_HELPER, journalLine, snapshot, tick} from './fixtures.js';

afterEach(cleanup);

const result = (overlay: string, fields: Partial<BuildResult> = {}): BuildResult => ({
	schema: 'left4me.build-result/1', overlay, unit: `left4me-build-${overlay}.service`, result: 'success', exitCode: 'exited', exitStatus: '0', cancelled: false,
	startedAtMs: Date.UTC(2026, 0, 2, 12, 0, 0), finishedAtMs: Date.UTC(2026, 0, 2, 12, 1, 30), durationMs: 90_000, scriptSha256: 'abcdef0123456789'.repeat(4), ...fields,
});
const view = (overlay: string, state: 'building' | 'idle', lastResult: BuildResult | null, hasScript = true): BuildView => ({
	overlay, unit: `left4me-build-${overlay}.service`, hasScript, state, buildingSinceMs: null, lastResult,
});
const DOC: BuildsDocument = {
	schema: BUILDS_SCHEMA,
	generatedAt: '2026-01-02T12:05:00.000Z',
	overlays: [view('maps', 'idle', result('maps')), view('plugins', 'building', result('plugins', {result: 'exit-code', exitStatus: '3'})), view('fresh', 'idle', null)],
};
const key = (input: string, k: Record<string, boolean> = {}) => ({type: 'key' as const, input, key: k});
const press = (state: DashboardState, ...inputs: string[]) => inputs.reduce((s, i) => reduce(s, key(i)), state);
const opened = (readOnly = false) =>
	reduce(press(reduce(initialState(readOnly), {type: 'snapshot', doc: snapshot()}), 'B'), {type: 'builds/doc', doc: DOC});

describe('builds view state', () => {
	it('B opens it, j/k select overlays, Esc goes back to the servers with their selection', () => {
		let s = opened();
		expect([s.builds.open, s.builds.selected, s.selected]).toEqual([true, 'maps', 'alpha']);
		s = press(s, 'j');
		expect(s.builds.selected).toBe('plugins');
		s = press(s, 'j', 'j');
		expect(s.builds.selected).toBe('fresh');
		s = reduce(s, key('', {escape: true}));
		expect([s.builds.open, s.selected]).toEqual([false, 'alpha']);
	});

	it('b starts a build at once; c asks first, y sends it, n does not', () => {
		const built = press(opened(), 'b');
		expect(built.builds.running).toEqual({id: 1, operation: 'build', overlay: 'maps'});
		const asked = press(opened(), 'j', 'c');
		expect(asked.builds.confirming).toEqual({id: 1, operation: 'cancel', overlay: 'plugins'});
		expect(press(asked, 'y').builds.running).toEqual({id: 1, operation: 'cancel', overlay: 'plugins'});
		const declined = press(asked, 'n');
		expect([declined.builds.confirming, declined.builds.running, declined.notice?.text]).toEqual([null, null, 'cancel of the plugins build not sent']);
	});

	it('refuses what makes no sense, and everything that acts in read-only mode', () => {
		expect(press(opened(), 'c').notice?.text).toBe('maps is not building');
		expect(press(opened(), 'j', 'b').notice?.text).toBe('plugins is already building; c cancels it');
		const ro = press(opened(true), 'b');
		expect([ro.builds.running, ro.notice?.text]).toEqual([null, 'read-only mode: build is disabled']);
		expect(press(opened(true), 'j', 'c').builds.confirming).toBeNull();
	});

	it('announces a build that finished since the last document', () => {
		const s = reduce(opened(), {
			type: 'builds/doc',
			doc: {...DOC, overlays: DOC.overlays.map((o) => (o.overlay === 'plugins' ? {...o, state: 'idle' as const, lastResult: result('plugins', {result: 'timeout', exitCode: 'killed', exitStatus: 'TERM'})} : o))},
		});
		expect(s.notice).toEqual({tone: 'error', text: 'build plugins: timeout'});
	});
});

describe.each([
	[80, 24],
	[40, 15],
])('builds view frame at %i×%i', (columns, rows) => {
	const frame = (state: DashboardState, theme = colourTheme) =>
		render(
			<DashboardView state={state} journal={{target: state.builds.selected ? `build:${state.builds.selected}` : null, lines: [], error: null}} size={{columns, rows}} theme={theme} timeZone="UTC" />,
		).lastFrame() ?? '';

	it('lists overlays with state and last result', () => {
		const text = frame(press(opened(), 'j'), plainTheme);
		expect(text).toMatch(/^> plugins +building/m);
		expect(text).toContain('journal: build:plugins');
		expect(text).toMatchSnapshot();
	});

	it('no overlays: the journal title says no build is followed, not no instance', () => {
		const none = reduce(press(reduce(initialState(false), {type: 'snapshot', doc: snapshot()}), 'B'), {type: 'builds/doc', doc: {...DOC, overlays: []}});
		const text = frame(none, plainTheme);
		expect(text).toContain('── journal: (no build) · following ');
		expect(text).not.toContain('(no instance)');
		expect(text).toMatchSnapshot();
	});

	it('asks before cancelling a build', () => {
		const text = frame(press(opened(), 'j', 'c'), plainTheme);
		expect(text).toContain('cancel the plugins build?');
		expect(text).toMatchSnapshot();
	});
});

/** A builds source that records calls; start fails for `broken`. */
class FakeBuilds implements BuildsSource {
	readonly calls: string[] = [];
	doc = DOC;
	snapshot = () => this.doc;
	start = async (overlay: string) => {
		this.calls.push(`build ${overlay}`);
		if (overlay === 'fresh') throw new Left4meError('not_found', 'left4me-script-sandbox: no build script overlay-scripts/fresh.sh');
		return 'started';
	};
	cancel = async (overlay: string) => void this.calls.push(`cancel ${overlay}`);
}

describe('builds view help', () => {
	it('lists every key that works in the builds view, journal keys included', () => {
		const section = helpSections(KEYMAP).find((s) => s.context === 'builds');
		const labels = section?.rows.map((b) => b.label) ?? [];
		expect(labels).toEqual(['↑/k', '↓/j', 'b', 'c', 'l', 'Tab', '/', 'PgUp', 'PgDn', 'g', 'G', 'p', 'B/Esc', '?', 'q/^C']);
	});
});

describe('builds in the App', () => {
	const until = async (predicate: () => boolean) => {
		const end = Date.now() + 2000;
		while (!predicate()) {
			if (Date.now() > end) throw new Error('condition not met in time');
			await tick(5);
		}
	};
	const mount = () => {
		const runner = new FakeRunner();
		const builds = new FakeBuilds();
		const collector = {collect: async () => snapshot()};
		const app = render(<App host={fakeHost(runner)} collector={collector} builds={builds} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" />);
		const frame = () => app.lastFrame() ?? '';
		const type = async (input: string) => {
			app.stdin.write(input);
			await tick(20);
		};
		return {runner, builds, frame, type};
	};

	it('b builds the selected overlay and the journal follows its unit; c then y cancels', async () => {
		const {runner, builds, frame, type} = mount();
		await until(() => frame().includes('alpha'));
		await type('B');
		await until(() => frame().includes('> maps'));
		await type('b');
		await until(() => frame().includes('started the maps build'));
		await type('j');
		await type('c');
		await until(() => frame().includes('cancel the plugins build?'));
		await type('y');
		await until(() => frame().includes('cancelled the plugins build'));
		expect(builds.calls).toEqual(['build maps', 'cancel plugins']);
		const follows = runner.follows.map((f) => f.argv).filter((argv) => argv.includes(JOURNAL_HELPER));
		expect(follows.some((argv) => argv.includes('build:maps'))).toBe(true);
		expect(follows.at(-1)).toContain('build:plugins');
	});

	it('the build journal takes the journal keys: Tab focuses it, / filters it, PgUp/g/G scroll, p pauses', async () => {
		const {runner, frame, type} = mount();
		await until(() => frame().includes('alpha'));
		await type('B');
		await until(() => frame().includes('> maps') && runner.follows.some((f) => f.argv.includes('build:maps')));
		const follow = runner.follows.at(-1)!;
		expect(follow.argv).toContain('build:maps');
		const feed = (from: number, count: number, word = 'line') =>
			follow.onChunk(Array.from({length: count}, (_, i) => `${journalLine(`${word} ${from + i}`, 1_735_732_800 + from + i)}\n`).join(''));
		feed(0, 40);
		await until(() => frame().includes('line 39'));
		await type('\t');
		await until(() => /^▶─ journal: build:maps/m.test(frame()));
		// The footer shows the journal's keys while it has the focus, and the way back.
		expect(frame()).toMatch(/PgUp PgDn scroll\s+g oldest\s+G follow\s+p pause\s+\/ filter\s+Tab pane\s+B\/Esc servers/);
		expect(frame()).not.toContain('b build');
		await type('\u001B[5~');
		await until(() => frame().includes('scrolled back'));
		expect(frame()).not.toContain('line 39');
		await type('g');
		await until(() => /line 0$/m.test(frame()));
		await type('G');
		await until(() => frame().includes('line 39') && frame().includes('following'));
		await type('p');
		await until(() => frame().includes('PAUSED'));
		feed(40, 2);
		await until(() => frame().includes('PAUSED, 2 newer'));
		expect(frame()).not.toContain('line 41');
		await type('p');
		await until(() => frame().includes('line 41'));
		feed(42, 1, 'compiling');
		await type('/');
		await type('c');
		await type('o');
		await type('m');
		await type('p');
		await until(() => frame().includes('filter journal: comp'));
		await type('\r');
		await until(() => frame().includes('compiling 42') && !frame().includes('line 41'));
		// Esc while typing clears the filter; the view stays open.
		await type('/');
		await type('\u001B');
		await until(() => frame().includes('line 41'));
		expect(frame()).toContain('> maps');
		await type('\t');
		await until(() => frame().includes('b build'));
	});

	it('shows the helper\'s error when a build cannot start', async () => {
		const {frame, type} = mount();
		await until(() => frame().includes('alpha'));
		await type('B');
		await until(() => frame().includes('> maps'));
		await type('j');
		await type('j');
		await until(() => frame().includes('> fresh'));
		await type('b');
		await until(() => frame().includes('no build script overlay-scripts/fresh.sh'));
	});
});
