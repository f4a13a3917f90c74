import {describe, expect, it} from 'vitest';
import {appendBounded, JOURNAL_CAP} from '../../source/ui/journal-buffer.js';
import {fitColumns, fitText, packSegments, windowStart, wrapText, type ColumnSpec} from '../../source/ui/layout.js';
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
	] as const)('%j in %i (%s) is %j', (text, width, align, expected) => {
		expect(fitText(text, width, align)).toBe(expected);
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
	const cells = (width: number) => {
		const rows = FLEET.map(cellsOf);
		return fitColumns(COLUMNS, new Map(COLUMNS.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')])), width);
	};

	it('keeps every column at 110 and the failure reason whole', () => {
		const fitted = cells(110);
		expect(fitted.map((c) => c.spec.id)).toEqual(COLUMNS.map((c) => c.id));
		expect(fitted.find((c) => c.spec.id === 'state')?.width).toBe('failed (start-limit-hit)'.length);
	});

	it('keeps players at 78 (map goes first), the state at its soft width', () => {
		const ids = cells(78).map((c) => c.spec.id);
		expect(ids).toContain('players');
		expect(ids).not.toContain('map');
		expect(cells(78).find((c) => c.spec.id === 'state')?.width).toBe(18);
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

describe('appendBounded', () => {
	const entry = (n: number): JournalEntry => ({cursor: String(n), timeMs: n, priority: 6, unit: null, message: `m${n}`, pid: null});
	it('keeps the newest lines up to the cap', () => {
		const lines = appendBounded([entry(1), entry(2), entry(3)], [entry(4), entry(5)], 4);
		expect(lines.map((e) => e.message)).toEqual(['m2', 'm3', 'm4', 'm5']);
		expect(appendBounded([], [1, 2, 3, 4, 5, 6].map(entry), 2).map((e) => e.message)).toEqual(['m5', 'm6']);
	});

	it('never grows past JOURNAL_CAP', () => {
		let lines: readonly JournalEntry[] = [];
		for (let i = 0; i < JOURNAL_CAP + 500; i += 100) lines = appendBounded(lines, Array.from({length: 100}, (_, j) => entry(i + j)));
		expect(lines.length).toBe(JOURNAL_CAP);
		expect(lines.at(-1)?.message).toBe(`m${JOURNAL_CAP + 499}`);
	});
});
