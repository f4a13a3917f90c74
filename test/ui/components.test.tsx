/**
 * Every dashboard component on its own, over fixed props, as ink-testing-library
 * frames: selected row, failed unit, empty list, narrow terminal, filter active,
 * confirmation open, non-UTF-8 and very long journal lines, NO_COLOR.
 */
import {cleanup, render} from 'ink-testing-library';
import type {ComponentProps, ReactElement} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {parseJournalLine, type JournalEntry} from '../../source/core/journal.js';
import {ConfirmDialog} from '../../source/ui/confirm-dialog.js';
import {Footer} from '../../source/ui/footer.js';
import {Header} from '../../source/ui/header.js';
import {HelpOverlay} from '../../source/ui/help-overlay.js';
import {InstanceTable} from '../../source/ui/instance-table.js';
import {JournalPane} from '../../source/ui/journal-pane.js';
import type {JournalLine} from '../../source/ui/journal-buffer.js';
import {KEYMAP, keymapFor} from '../../source/ui/keymap.js';
import {addCpuSamples, cpuTrends, SORT_COLUMNS, visibleInstances} from '../../source/ui/table-view.js';
import {plainTheme} from '../../source/ui/theme.js';
import {FLEET, instance, journalLine, snapshot} from './fixtures.js';

afterEach(cleanup);

const draw = (node: ReactElement) => render(node).lastFrame() ?? '';
const theme = plainTheme;

const journal = (raw: string[]): JournalLine[] =>
	raw
		.map(parseJournalLine)
		.filter((e): e is JournalEntry => e !== null)
		.map((e, i) => ({...e, seq: i + 1}));

const LINES = journal([
	journalLine('Server started on port 27015', 1_735_732_800),
	journalLine([0x4d, 0x61, 0x70, 0x20, 0xff, 0xfe, 0x20, 0x63, 0x31, 0x6d, 0x31], 1_735_732_801, 4),
	journalLine(`very long ${'x'.repeat(5000)} end`, 1_735_732_802, 3),
	journalLine('map c2m1 loaded\u001B[31m with an escape', 1_735_732_803),
]);

describe('Header', () => {
	it.each([
		['collecting', null, 80],
		['wide', snapshot(), 100],
		['narrow', snapshot(), 40],
	] as const)('%s', (_name, doc, width) => {
		const text = draw(<Header doc={doc} width={width} theme={theme} />);
		for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(width);
		expect(text).toMatchSnapshot();
	});

	it('says CPU is percent of one core and shows host CPU, load and both slices', () => {
		const text = draw(<Header doc={snapshot()} width={120} theme={theme} />);
		expect(text).toContain('host 37.5% of 4 cores');
		expect(text).toContain('l4d2-build.slice - -');
		expect(text).toContain('CPU = % of one core');
	});
});

describe('InstanceTable', () => {
	const history = addCpuSamples(addCpuSamples(new Map(), FLEET, true), FLEET.map((i) => ({...i, cpuPercent: i.cpuPercent === null ? null : i.cpuPercent / 2})), true);
	const table = (props: Partial<ComponentProps<typeof InstanceTable>> = {}) =>
		draw(<InstanceTable instances={FLEET} selected="alpha" width={120} maxRows={10} theme={theme} trends={cpuTrends(history)} {...props} />);

	it('selected row, failed unit with its Result, sparkline and approximate memory at 120 columns', () => {
		const text = table({selected: 'bravo'});
		expect(text).toMatch(/^> bravo +failed \(start-limit-hit\)/m);
		expect(text).toContain('~300.0 MiB');
		expect(text).toMatch(/delta .* 87\.3 +▇▄ /);
		expect(text).toMatchSnapshot();
	});

	it('empty list', () => {
		expect(table({instances: []})).toMatchSnapshot();
	});

	it('the sort marker moves no column: every sort gives the same widths, at 40, 80 and 120 columns', () => {
		for (const width of [40, 80, 120]) {
			for (const instances of [FLEET, [], FLEET.map((i) => ({...i, name: i.name.slice(0, 3)}))]) {
				const [plainHeading, ...plainRows] = table({instances, width}).split('\n');
				for (const column of SORT_COLUMNS) {
					for (const reversed of [false, true]) {
						const [heading, ...rows] = table({instances, width, sort: {column, reversed}}).split('\n');
						expect(rows).toEqual(plainRows);
						expect(heading!.match(/[▼▲]/g)?.length ?? 0, `${column} at ${width}`).toBeLessThanOrEqual(1);
						expect([...heading!].length).toBeLessThanOrEqual(width);
						// Every heading stays over its values: the marker takes at most one cell, a blank one
						// or (no blank cell beside the heading) one of its own; it never joins two headings.
						const changed = [...plainHeading!].flatMap((ch, i) => ([...heading!][i] === ch ? [] : [[ch, [...heading!][i]]]));
						expect(changed.length, `${column} at ${width}: ${heading}`).toBeLessThanOrEqual(1);
						expect(heading, `${column} at ${width}`).not.toMatch(/\S[▼▲]\S/);
					}
				}
			}
		}
		// Right-aligned: the marker before the heading; left-aligned: after it.
		expect(table({width: 80, sort: {column: 'port', reversed: false}}).split('\n')[0]).toContain('PLAYERS ▼PORT RESTARTS');
		// No blank cell before CPU% (RESTARTS fills its column): the gap after it, where MEMORY leaves room.
		expect(table({width: 80, sort: {column: 'cpu', reversed: false}}).split('\n')[0]).toContain('RESTARTS CPU%▼ ');
		expect(table({width: 80, sort: {column: 'name', reversed: true}}).split('\n')[0]).toMatch(/^ {2}NAME▲/);
	});

	it('filter active, hiding every row', () => {
		const text = table({instances: [], filter: 'zz', total: 4});
		expect(text).toContain('no instance matches "zz"');
		expect(text).toMatchSnapshot();
	});

	it('filter active, sorted by CPU, marks shown', () => {
		const rows = visibleInstances(FLEET, 'a', {column: 'cpu', reversed: false});
		const text = table({instances: rows, marked: new Set(['alpha', 'delta']), sort: {column: 'cpu', reversed: false}});
		// No blank cell beside CPU% at all: the marker takes its first cell rather than join RESTARTS or CPU 0-100.
		expect(text).toContain('RESTARTS ▼PU% CPU 0-100');
		expect(text).toMatchSnapshot();
	});

	it('narrow terminal keeps name, state and memory', () => {
		const text = table({width: 40});
		for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
		expect(text).toMatch(/^> alpha +active\/running +512\.0 MiB$/m);
		expect(text).toMatchSnapshot();
	});

	it('columns from the preferences', () => {
		const text = table({columns: ['cpu']});
		expect(text.split('\n')[0]).toMatch(/^ {2}NAME +STATE +CPU%$/);
	});

	it('a window of rows that follows the selection', () => {
		const many = Array.from({length: 30}, (_, i) => instance(`srv${String(i).padStart(2, '0')}`));
		const text = draw(<InstanceTable instances={many} selected="srv20" width={80} maxRows={5} theme={theme} />);
		expect(text.split('\n')).toHaveLength(6);
		expect(text).toMatch(/^> srv20/m);
	});
});

describe('JournalPane', () => {
	const pane = (props: Partial<ComponentProps<typeof JournalPane>> = {}) =>
		draw(<JournalPane target="alpha" lines={LINES} error={null} width={80} height={6} theme={theme} timeZone="UTC" {...props} />);

	it('non-UTF-8 bytes as U+FFFD, a very long line cut, an escape made visible', () => {
		const text = pane();
		expect(text).toContain('12:00:01 Map \uFFFD\uFFFD c1m1');
		expect(text).toContain('␛[31m with an escape');
		expect(text).not.toContain('\u001B[31m');
		for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
		expect(text).toMatchSnapshot();
	});

	it('filter active: only matching lines, title names the filter', () => {
		const text = pane({filter: 'MAP', focused: true});
		expect(text).toContain('filter "MAP"');
		expect(text).not.toContain('Server started');
		expect(text).toMatchSnapshot();
	});

	it('nothing followed: the title names what the view follows', () => {
		expect(pane({target: null}).split('\n')[0]).toMatch(/^── journal: \(no instance\) · following ─+$/);
		expect(pane({target: null, subject: 'build'}).split('\n')[0]).toMatch(/^── journal: \(no build\) · following ─+$/);
	});

	it('paused and scrolled back', () => {
		expect(pane({anchor: 2, paused: true})).toContain('PAUSED, 2 newer');
		expect(pane({anchor: 2})).toContain('scrolled back, 2 newer (G follows)');
	});

	it('narrow, with the helper error instead of lines', () => {
		const text = pane({width: 40, error: {tone: 'error', text: 'left4me-journalctl: no such instance: alpha', hint: 'list instances with: l4d2ctl list'}});
		expect(text).toMatchSnapshot();
	});
});

describe('Footer', () => {
	const main = keymapFor(false).filter((b) => b.context === 'main');
	it.each([
		['notice with the missing sudo rule', {notice: {tone: 'error' as const, text: 'missing sudo rule for left4me-systemctl', hint: 'add "%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-systemctl"'}}, 80],
		['progress line', {status: '⠋ restart alpha… 2s'}, 80],
		['read-only, narrow', {readOnly: true, bindings: keymapFor(true).filter((b) => b.context === 'main')}, 40],
		['filter being typed', {status: 'filter journal: map▏', bindings: KEYMAP.filter((b) => b.context === 'filter')}, 80],
	] as const)('%s', (_name, props, width) => {
		const text = draw(<Footer bindings={main} notice={null} readOnly={false} width={width} theme={theme} {...props} />);
		expect(text).toMatchSnapshot();
	});
});

describe('HelpOverlay', () => {
	it('fits at 120×80 and lists every binding', () => {
		const text = draw(<HelpOverlay bindings={KEYMAP} readOnly={false} width={120} height={80} theme={theme} />);
		// Quit is listed under the dashboard and the builds view only.
		for (const b of KEYMAP.filter((b) => b.context !== 'help' && (b.command !== 'quit' || b.context === 'main' || b.context === 'builds'))) expect(text).toContain(b.description);
		expect(text).not.toContain('more (');
		expect(text).toMatchSnapshot();
	});

	it('scrolls at 80×24 and says where it is', () => {
		const text = draw(<HelpOverlay bindings={KEYMAP} readOnly={false} scroll={10} width={80} height={20} theme={theme} />);
		expect(text).toMatch(/↑ 10 more, ↓ \d+ more/);
		expect(text).toMatchSnapshot();
	});
});

describe('ConfirmDialog', () => {
	it.each([
		['stop', ['alpha']],
		['reset', ['alpha']],
		['restart', ['alpha', 'bravo', 'charlie']],
	] as const)('%s %j', (operation, names) => {
		expect(draw(<ConfirmDialog task={{id: 1, operation, names}} width={60} theme={theme} />)).toMatchSnapshot();
	});
});
