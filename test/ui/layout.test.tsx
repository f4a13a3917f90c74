import {describe, expect, it} from 'vitest';
import {capMessage, filterLines, JOURNAL_CAP, JournalRing, journalWindow, MESSAGE_CAP, scrollJournal, splitMatches, type JournalLine} from '../../source/ui/journal-buffer.js';
import {fitColumns, fitText, packSegments, textWidth, windowStart, wrapText, type ColumnSpec} from '../../source/ui/layout.js';
import {COLUMNS, cellsOf} from '../../source/ui/instance-table.js';
import {FLEET} from './fixtures.js';
import type {JournalEntry} from '../../source/core/journal.js';

describe('fitText', () => {
	it.each([
		['abc', 5, 'left', 'abc  '],
		['abc', 5, 'right', '  abc'],
		['abcdef', 4, 'left', 'abc…'],
		['abc', 1, 'left', '…'],
		['abc', 0, 'left', ''],
		['abc', 3, 'right', 'abc'],
		['a🎮b', 3, 'left', 'a🎮b'],
		['a🎮bc', 3, 'left', 'a🎮…'],
		['▁▃▅', 4, 'right', ' ▁▃▅'],
	] as const)('%j in %i (%s) is %j', (text, width, align, expected) => {
		expect(fitText(text, width, align)).toBe(expected);
	});
});

describe('textWidth', () => {
	it.each(['', 'srv01', 'active/running (exit-code)', '▁▂▃', 'é', '🎮', 'a🎮b🎮', '\ud83c', 'x\udfaey', '\udfae\ud83c'])('counts code points of %j as the spread operator does', (text) => {
		expect(textWidth(text)).toBe([...text].length);
	});
});

describe('wrapText', () => {
	it('wraps on spaces and splits words longer than a line', () => {
		expect(wrapText('one two three', 7)).toEqual(['one two', 'three']);
		expect(wrapText('abcdefghij xy', 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
		expect(wrapText('', 10)).toEqual(['']);
	});
});

describe('packSegments', () => {
	it('keeps segments whole and starts a new line when one does not fit', () => {
		expect(packSegments(['aaa', 'bb', 'cccc'], 9)).toEqual([[0, 1], [2]]);
		expect(packSegments(['toolongsegment'], 5)).toEqual([[0]]);
	});
});

describe('fitColumns', () => {
	// The sparkline column is added by the table only where it fits; see frames.test.tsx.
	const SPECS = COLUMNS.filter((c) => c.id !== 'trend');
	const cells = (width: number) => {
		const rows = FLEET.map((i) => cellsOf(i));
		return fitColumns(SPECS, new Map(SPECS.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')])), width);
	};

	it('keeps every column at 78 and the failure reason whole without players and map (hidden in the preferences)', () => {
		const specs = SPECS.filter((c) => !c.yields);
		const rows = FLEET.map((i) => cellsOf(i));
		const fitted = fitColumns(specs, new Map(specs.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')])), 78);
		expect(fitted.map((c) => c.spec.id)).toEqual(specs.map((c) => c.id));
		expect(fitted.find((c) => c.spec.id === 'state')?.width).toBe('failed (start-limit-hit)'.length);
	});

	it('at 78 drops uptime, boot and map whole to show players, and keeps the failure reason whole', () => {
		const fitted = cells(78);
		expect(fitted.map((c) => c.spec.id)).toEqual(['name', 'state', 'players', 'port', 'restarts', 'cpu', 'memory']);
		expect(fitted.find((c) => c.spec.id === 'state')?.width).toBe('failed (start-limit-hit)'.length);
	});

	it('shows the map once there is room, then every column, the failure reason always whole', () => {
		const ids = (width: number) => cells(width).map((c) => c.spec.id);
		let width = 78;
		while (!ids(width).includes('map')) width++;
		expect(ids(width)).toEqual(['name', 'state', 'players', 'map', 'port', 'restarts', 'cpu', 'memory']);
		while (ids(width).length < SPECS.length) width++;
		expect(ids(width)).toEqual(SPECS.map((c) => c.id));
		for (let w = 50; w <= width; w++) expect(cells(w).find((c) => c.spec.id === 'state')?.width, `at ${w}`).toBe('failed (start-limit-hit)'.length);
	});

	it('shows players/max, `unknown` for a running server that does not answer, `-` when not running', () => {
		const rows = Object.fromEntries(FLEET.map((i) => [i.name, cellsOf(i)]));
		expect([rows.alpha?.players, rows.alpha?.map]).toEqual(['3/8', 'c1m1_hotel']);
		expect([rows.delta?.players, rows.delta?.map]).toEqual(['unknown', 'unknown']);
		expect([rows.charlie?.players, rows.charlie?.map]).toEqual(['-', '-']);
		expect([rows.bravo?.players, rows.bravo?.map]).toEqual(['-', '-']);
	});

	it('keeps name, state and memory at 38, in spec order', () => {
		expect(cells(38).map((c) => c.spec.id)).toEqual(['name', 'state', 'memory']);
	});

	it('shrinks never-dropped columns to their minimum as a last resort', () => {
		const specs: ColumnSpec[] = [{id: 'a', header: 'A', align: 'left', min: 3, max: 20, drop: 0}];
		expect(fitColumns(specs, new Map([['a', ['x'.repeat(20)]]]), 5)).toEqual([{spec: specs[0], width: 5}]);
	});
});

describe('windowStart', () => {
	it('keeps the selection inside the window', () => {
		expect(windowStart(10, 0, 3)).toBe(0);
		expect(windowStart(10, 5, 3)).toBe(3);
		expect(windowStart(10, 9, 3)).toBe(7);
		expect(windowStart(2, 1, 3)).toBe(0);
	});
});

describe('JournalRing', () => {
	const entry = (n: number, message = `m${n}`): JournalEntry => ({cursor: `c${n}`, timeMs: n, priority: 6, unit: null, message, pid: null});
	it('keeps the newest lines up to its capacity, numbered in arrival order', () => {
		const ring = new JournalRing(4);
		for (const n of [1, 2, 3, 4, 5, 6]) ring.push(entry(n));
		expect(ring.toArray().map((l) => [l.seq, l.message])).toEqual([
			[3, 'm3'],
			[4, 'm4'],
			[5, 'm5'],
			[6, 'm6'],
		]);
		expect(ring.size).toBe(4);
		expect(ring.total).toBe(6);
		expect(ring.lastCursor).toBe('c6');
	});

	it('never holds more than JOURNAL_CAP lines nor a message longer than MESSAGE_CAP', () => {
		const ring = new JournalRing();
		for (let i = 0; i < JOURNAL_CAP + 500; i++) ring.push(entry(i, i === JOURNAL_CAP + 499 ? 'y'.repeat(50_000) : `m${i}`));
		expect(ring.size).toBe(JOURNAL_CAP);
		const last = ring.toArray().at(-1)!;
		expect(last.message.startsWith('y'.repeat(MESSAGE_CAP))).toBe(true);
		expect(last.message).toBe(`${'y'.repeat(MESSAGE_CAP)}… [${50_000 - MESSAGE_CAP} more characters]`);
		expect(ring.toArray()[0]!.message).toBe('m500');
	});

	it('never cuts a surrogate pair in half', () => {
		const text = `${'a'.repeat(MESSAGE_CAP - 1)}😀tail`;
		expect(capMessage(text)).toBe(`${'a'.repeat(MESSAGE_CAP - 1)}… [6 more characters]`);
	});

	it('refuses a capacity that is not a positive integer', () => {
		expect(() => new JournalRing(0)).toThrow(RangeError);
	});
});

describe('journal scrolling', () => {
	const lines = (count: number): JournalLine[] => Array.from({length: count}, (_, i) => ({cursor: null, timeMs: null, priority: 6, unit: null, message: i % 2 ? `odd ${i}` : `even ${i}`, pid: null, seq: i + 1}));
	const all = lines(20);

	it('shows the newest lines when following and the lines up to the anchor when scrolled', () => {
		expect(journalWindow(all, null, 5)).toMatchObject({above: 15, below: 0});
		expect(journalWindow(all, null, 5).lines.map((l) => l.seq)).toEqual([16, 17, 18, 19, 20]);
		expect(journalWindow(all, 10, 5).lines.map((l) => l.seq)).toEqual([6, 7, 8, 9, 10]);
		expect(journalWindow(all, 10, 5)).toMatchObject({above: 5, below: 10});
		expect(journalWindow(all, 2, 5).lines.map((l) => l.seq)).toEqual([1, 2]);
	});

	it.each([
		[null, 'page-up', false, 15],
		[15, 'page-up', false, 10],
		[7, 'page-up', false, 5],
		[null, 'top', false, 5],
		[10, 'page-down', false, 15],
		[15, 'page-down', false, null],
		[15, 'page-down', true, 20],
		[10, 'bottom', false, null],
		[10, 'bottom', true, 20],
	] as const)('from anchor %s, %s (paused %s) gives %s', (anchor, move, paused, expected) => {
		expect(scrollJournal(all, anchor, 5, move, paused)).toBe(expected);
	});

	it('scrolls through filtered lines only', () => {
		const odd = filterLines(all, 'ODD');
		expect(odd.every((l) => l.message.startsWith('odd'))).toBe(true);
		expect(odd).toHaveLength(10);
		expect(scrollJournal(odd, null, 3, 'page-up', false)).toBe(14);
		expect(filterLines(all, '')).toBe(all);
	});

	it('splits text around case-insensitive matches', () => {
		expect(splitMatches('Map c1m1 loaded; MAP ok', 'map')).toEqual([
			{text: 'Map', match: true},
			{text: ' c1m1 loaded; ', match: false},
			{text: 'MAP', match: true},
			{text: ' ok', match: false},
		]);
		expect(splitMatches('abc', '')).toEqual([{text: 'abc', match: false}]);
		expect(splitMatches('İstanbul map', 'map')).toEqual([{text: 'İstanbul ', match: false}, {text: 'map', match: true}]);
	});
});
