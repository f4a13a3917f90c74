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
		// Left-aligned: after the heading, in the free cell of its column.
		['name', '▼', 'NAME▼  RESTARTS  CPU% MEMORY'],
		// Right-aligned: before the heading, in the free cell, so the heading stays over the values.
		['cpu', '▲', 'NAME   RESTARTS ▲CPU% MEMORY'],
		// A right-aligned heading that fills its column: the gap before it.
		['restarts', '▼', 'NAME  ▼RESTARTS  CPU% MEMORY'],
	])('sorted by %s: %s', (id, marker, line) => {
		const heading = sortHeading(COLS, {id, marker}, 80);
		expect(heading).toBe(line);
		expect(heading.replace(marker, ' ')).toBe(sortHeading(COLS, null, 80));
	});

	it('a right-aligned heading that fills its column after one that fills its own: the gap after it, else its first cell', () => {
		expect(sortHeading(COLS, {id: 'memory', marker: '▼'}, 80)).toBe('NAME   RESTARTS  CPU% MEMORY▼');
		expect(sortHeading(COLS, {id: 'memory', marker: '▼'}, 28)).toBe('NAME   RESTARTS  CPU% ▼EMORY');
		const cols = [col('restarts', 'RESTARTS', 8, 'right'), col('cpu', 'CPU%', 4, 'right'), col('trend', 'CPU 0-100', 9)];
		expect(sortHeading(cols, null, 80)).toBe('RESTARTS CPU% CPU 0-100');
		expect(sortHeading(cols, {id: 'cpu', marker: '▼'}, 80)).toBe('RESTARTS ▼PU% CPU 0-100');
		expect(sortHeading(cols, {id: 'restarts', marker: '▼'}, 80)).toBe('▼ESTARTS CPU% CPU 0-100');
		// Blank cells before the line (a selection column) count as a gap.
		expect(sortHeading(cols, {id: 'restarts', marker: '▼'}, 82, '  ')).toBe(' ▼RESTARTS CPU% CPU 0-100');
	});

	it('a left-aligned heading that fills its column: the gap after it, unless the next heading starts there; then the gap before', () => {
		const cols = [col('boot', 'BOOT', 4), col('port', 'PORT', 5, 'right'), col('map', 'MAP', 3), col('trend', 'CPU 0-100', 9)];
		expect(sortHeading(cols, {id: 'boot', marker: '▼'}, 80)).toBe('BOOT▼ PORT MAP CPU 0-100');
		expect(sortHeading(cols, {id: 'map', marker: '▼'}, 80)).toBe('BOOT  PORT MA▼ CPU 0-100');
		expect(sortHeading(cols, {id: 'trend', marker: '▼'}, 80)).toBe('BOOT  PORT MAP CPU 0-100▼');
		const named = [col('name', 'NAME', 4), col('state', 'STATE', 5)];
		expect(sortHeading(named, {id: 'name', marker: '▼'}, 80)).toBe('NAM▼ STATE');
		expect(sortHeading(named, {id: 'name', marker: '▼'}, 82, '  ')).toBe(' ▼NAME STATE');
	});

	it('the last column filling the line: the gap before it, else its heading\'s last cell', () => {
		const cols = [col('name', 'NAME', 6), col('state', 'STATE', 5)];
		expect(sortHeading(cols, {id: 'state', marker: '▼'}, 12)).toBe('NAME  ▼STATE');
		const full = [col('name', 'NAME', 4), col('state', 'STATE', 5)];
		expect(sortHeading(full, {id: 'state', marker: '▼'}, 10)).toBe('NAME STAT▼');
	});

	it('a column not shown: no marker', () => {
		expect(sortHeading(COLS, {id: 'uptime', marker: '▼'}, 80)).toBe('NAME   RESTARTS  CPU% MEMORY');
	});
});
