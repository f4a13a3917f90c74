// Where the sort marker goes in a table heading without taking any width.
import {describe, expect, it} from 'vitest';
import type {ColumnSpec} from '../../../source/ui/layout.js';
import {sortHeading} from '../../../source/ui/sort-heading.js';

const col = (id: string, header: string, width: number, align: 'left' | 'right' = 'left') => ({spec: {id, header, align, min: 1, max: 99, drop: 0} satisfies ColumnSpec, width});
const COLS = [col('name', 'NAME', 6), col('restarts', 'RESTARTS', 8, 'right'), col('cpu', 'CPU%', 5, 'right'), col('memory', 'MEMORY', 6, 'right')];

describe('sortHeading', () => {
	it('without a sort: the headings fitted and joined by one space', () => {
		expect(sortHeading(COLS, null, 80)).toBe('NAME   RESTARTS  CPU% MEMORY');
	});

	it.each([
		['name', '▼', 'NAME▼  RESTARTS  CPU% MEMORY'],
		['cpu', '▲', 'NAME   RESTARTS CPU%▲ MEMORY'],
		// A heading that fills its column: the marker takes the gap after it.
		['restarts', '▼', 'NAME   RESTARTS▼ CPU% MEMORY'],
		// The last column: after it while the line has room.
		['memory', '▼', 'NAME   RESTARTS  CPU% MEMORY▼'],
	])('sorted by %s: %s', (id, marker, line) => {
		expect(sortHeading(COLS, {id, marker}, 80)).toBe(line);
	});

	it('the last column filling the line: the marker takes its heading\'s last cell', () => {
		expect(sortHeading(COLS, {id: 'memory', marker: '▼'}, 28)).toBe('NAME   RESTARTS  CPU% MEMOR▼');
	});

	it('a column not shown: no marker', () => {
		expect(sortHeading(COLS, {id: 'uptime', marker: '▼'}, 80)).toBe('NAME   RESTARTS  CPU% MEMORY');
	});
});
