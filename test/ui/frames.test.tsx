import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {parseJournalLine, type JournalEntry} from '../../source/core/journal.js';
import type {JournalLine} from '../../source/ui/journal-buffer.js';
import {Left4meError} from '../../source/core/errors.js';
import {DashboardView} from '../../source/ui/app.js';
import {initialState, reduce, type DashboardState} from '../../source/ui/dashboard-state.js';
import {KEYMAP} from '../../source/ui/keymap.js';
import {colourTheme, plainTheme, type Theme} from '../../source/ui/theme.js';
import type {JournalView} from '../../source/ui/use-journal.js';
import {FLEET, journalLine, snapshot} from './fixtures.js';

afterEach(cleanup);

const NO_JOURNAL: JournalView = {target: null, lines: [], error: null};

function withFleet(instances = FLEET, readOnly = false): DashboardState {
	return reduce(initialState(readOnly), {type: 'snapshot', doc: snapshot(instances)});
}

function frame(state: DashboardState, columns: number, options: {journal?: JournalView; theme?: Theme; rows?: number} = {}): string {
	const {lastFrame} = render(
		<DashboardView state={state} journal={options.journal ?? {...NO_JOURNAL, target: state.selected}} size={{columns, rows: options.rows ?? 24}} theme={options.theme ?? colourTheme} timeZone="UTC" />,
	);
	return lastFrame() ?? '';
}

const entries = (lines: string[]): JournalLine[] =>
	lines
		.map(parseJournalLine)
		.filter((e): e is JournalEntry => e !== null)
		.map((e, i) => ({...e, seq: i + 1}));

describe.each([
	[80, 24],
	[40, 15],
])('dashboard frame at %i×%i', (columns, rows) => {
	it('shows the fleet with the second row selected', () => {
		const state = reduce(withFleet(), {type: 'move', delta: 1});
		const text = frame(state, columns, {rows});
		expect(text).toMatch(/^> bravo/m);
		expect(text).toContain('failed (start-');
		expect(text).toMatchSnapshot();
	});

	it('shows an empty fleet with the way to create an instance', () => {
		const text = frame(withFleet([]), columns, {rows});
		expect(text).toContain('no instances');
		expect(text).toMatchSnapshot();
	});

	it('shows the stop confirmation', () => {
		const state = reduce(withFleet(), {type: 'request', operation: 'stop'});
		const text = frame(state, columns, {rows});
		expect(text).toContain('stop alpha?');
		expect(text).toContain('y = yes');
		expect(text).toMatchSnapshot();
	});

	it('shows journal lines: non-UTF-8 bytes decoded, long lines cut to the width', () => {
		const lines = entries([
			journalLine('Server started on port 27015', 1_735_732_800),
			journalLine([0x62, 0x61, 0x64, 0xff, 0xfe, 0x21], 1_735_732_801, 4),
			journalLine(`very long ${'x'.repeat(300)} end`, 1_735_732_802, 3),
		]);
		const text = frame(withFleet(), columns, {rows, journal: {target: 'alpha', lines, error: null}});
		if (rows >= 24) expect(text).toContain('12:00:00 Server started');
		expect(text).toContain('12:00:01 bad\uFFFD\uFFFD!');
		expect(text).not.toContain(' end');
		for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
		expect(text).toMatchSnapshot();
	});

	it('shows a missing sudo rule with the rule to add', () => {
		const task = {id: 1, operation: 'start' as const, names: ['alpha']};
		const error = new Left4meError('permission', 'missing sudo rule for left4me-systemctl: sudo: a password is required', 'add "%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-systemctl" to /etc/sudoers.d/left4me');
		const state = reduce({...withFleet(), running: task}, {type: 'finished', task, failures: [{name: 'alpha', message: error.message, hint: error.hint}]});
		const text = frame(state, columns, {rows});
		expect(text.replace(/\s/g, '')).toContain('%left4meALL=(root)NOPASSWD:/usr/local/libexec/left4me/left4me-systemctl');
		expect(text).toContain('missing sudo rule for left4me-systemctl');
		expect(text).toMatchSnapshot();
	});

	it('shows every key in the help overlay, scrolling where it does not fit', () => {
		const help = reduce(withFleet(), {type: 'toggle-help'});
		const pages: string[] = [];
		for (let scroll = 0; scroll < 200; scroll += 5) pages.push(frame({...help, helpScroll: scroll}, columns, {rows}));
		const seen = pages.join('\n');
		for (const b of KEYMAP) expect(seen).toContain(b.label);
		// Long descriptions go on under their key instead of being cut.
		expect(seen).not.toMatch(/…\s*│/);
		if (columns === 80) expect(seen).toContain('again stops waiting');
		expect(pages[0]).toContain('more (↓/j, PgDn)');
		expect(pages[0]).toMatchSnapshot();
	});
});

describe('dashboard frame details', () => {
	it('marks approximate memory with ~ and labels CPU as percent of one core', () => {
		const text = frame(withFleet(), 80);
		expect(text).toMatch(/^ {2}delta .*~300\.0 MiB$/m);
		expect(text).toContain('CPU = % of one core');
		expect(text).toContain('l4d2-game.slice 99.8% 812.0 MiB');
	});

	it('keeps the selection visible without colour (NO_COLOR)', () => {
		const text = frame(withFleet(), 80, {theme: plainTheme});
		expect(text).toMatch(/^> alpha /m);
		expect(text).toMatchSnapshot();
	});

	it('fits the frame in the screen height', () => {
		for (const [columns, rows] of [[80, 24], [40, 15]] as const) {
			const text = frame(withFleet(), columns, {rows});
			expect(text.split('\n').length).toBe(rows - 1);
		}
	});

	it("shows the journal's own keys in the footer while the journal has the focus, the table's otherwise", () => {
		const table = frame(withFleet(), 100, {rows: 30});
		const journal = frame(reduce(withFleet(), {type: 'focus'}), 100, {rows: 30});
		const footer = (text: string) => text.split('\n').slice(-2).join('\n');
		expect(footer(table)).toContain('x stop');
		expect(footer(table)).not.toContain('PgUp');
		expect(footer(journal)).toContain('PgUp PgDn scroll  g oldest  G follow  p pause  / filter  Esc clear  Tab pane');
		expect(footer(journal)).not.toContain('x stop');
		// Closing the journal gives the focus back to the table, and the table's keys.
		expect(footer(frame(reduce(reduce(withFleet(), {type: 'focus'}), {type: 'toggle-journal'}), 100, {rows: 30}))).toContain('x stop');
	});

	it('hides the action keys in read-only mode', () => {
		const text = frame(withFleet(FLEET, true), 80);
		expect(text).toContain('[read-only]');
		expect(text).not.toMatch(/\bs start\b/);
		expect(text).toMatch(/\bl logs\b/);
	});

	it('shows the journal helper error instead of lines', () => {
		const error = {tone: 'error' as const, text: 'left4me-journalctl: unit left4me-server@alpha.service not found'};
		const text = frame(withFleet(), 80, {journal: {target: 'alpha', lines: [], error}});
		expect(text).toContain('left4me-journalctl: unit left4me-server@alpha.service not found');
		expect(text).not.toContain('waiting for journal lines');
	});
});
