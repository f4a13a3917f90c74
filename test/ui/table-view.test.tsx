import {describe, expect, it} from 'vitest';
import {addCpuSamples, cpuTrends, matchesFilter, nextSortColumn, SORT_COLUMNS, sparkline, SPARK_LENGTH, visibleInstances} from '../../source/ui/table-view.js';
import {FLEET, instance} from './fixtures.js';

const names = (rows: ReadonlyArray<{name: string}>) => rows.map((r) => r.name);

describe('visibleInstances', () => {
	it.each([
		['name', false, ['alpha', 'bravo', 'charlie', 'delta']],
		['state', false, ['bravo', 'delta', 'alpha', 'charlie']],
		['cpu', false, ['delta', 'alpha', 'bravo', 'charlie']],
		['cpu', true, ['charlie', 'bravo', 'alpha', 'delta']],
		['memory', false, ['alpha', 'delta', 'bravo', 'charlie']],
		['restarts', false, ['bravo', 'delta', 'alpha', 'charlie']],
		['uptime', false, ['alpha', 'bravo', 'charlie', 'delta']],
		['port', false, ['alpha', 'bravo', 'charlie', 'delta']],
	] as const)('sorts by %s (reversed %s)', (column, reversed, expected) => {
		expect(names(visibleInstances(FLEET, '', {column, reversed}))).toEqual(expected);
	});

	it('filters on name, state, sub-state and result, case-insensitively', () => {
		expect(names(visibleInstances(FLEET, 'LIMIT', {column: 'name', reversed: false}))).toEqual(['bravo']);
		expect(names(visibleInstances(FLEET, 'start-pre', {column: 'name', reversed: false}))).toEqual(['delta']);
		expect(names(visibleInstances(FLEET, 'DEAD', {column: 'name', reversed: false}))).toEqual(['charlie']);
		expect(matchesFilter(instance('x'), '')).toBe(true);
	});

	it('cycles through every sort column', () => {
		let column = SORT_COLUMNS[0];
		const seen = [column];
		for (let i = 1; i < SORT_COLUMNS.length; i++) seen.push((column = nextSortColumn(column)));
		expect(seen).toEqual([...SORT_COLUMNS]);
		expect(nextSortColumn(column)).toBe('name');
	});
});

describe('sparkline', () => {
	it('draws 0–100 % of one core on a fixed scale, gaps as spaces, padded left', () => {
		expect(sparkline([0, 12.5, 50, 99, 100, 250, null])).toBe(' ▁▂▅███ ');
		expect(sparkline([])).toBe(' '.repeat(SPARK_LENGTH));
		expect(sparkline([50], 3)).toBe('  ▅');
	});

	it('keeps the last SPARK_LENGTH samples per listed instance and skips unmeasured snapshots', () => {
		let history = addCpuSamples(new Map(), [instance('a', {cpuPercent: 1})], false);
		expect(history.get('a')).toEqual([]);
		for (let i = 0; i < SPARK_LENGTH + 3; i++) history = addCpuSamples(history, [instance('a', {cpuPercent: i})], true);
		expect(history.get('a')).toEqual(Array.from({length: SPARK_LENGTH}, (_, i) => i + 3));
		expect(addCpuSamples(history, [instance('b')], true).has('a')).toBe(false);
	});

	it('starts the line over when a running instance has no figure (its cgroup is new: restarted) or waits to restart', () => {
		let history = addCpuSamples(new Map(), [instance('a', {cpuPercent: 5})], true);
		history = addCpuSamples(history, [instance('a', {cpuPercent: 6})], true);
		expect(history.get('a')).toEqual([5, 6]);
		history = addCpuSamples(history, [instance('a', {cpuPercent: null})], true);
		expect(history.get('a')).toEqual([]);
		history = addCpuSamples(history, [instance('a', {cpuPercent: 7})], true);
		expect(history.get('a')).toEqual([7]);
		expect(addCpuSamples(history, [instance('a', {state: 'activating', subState: 'auto-restart', cpuPercent: 1})], true).get('a')).toEqual([]);
		// An unmeasured snapshot (the first, or after a failed one) keeps the line.
		expect(addCpuSamples(history, [instance('a', {cpuPercent: null})], false).get('a')).toEqual([7]);
	});
});

describe('cpuTrends', () => {
	it('draws each history as a sparkline and returns the earlier map while no line changes', () => {
		const history = new Map([
			['a', [0, 50, 100]],
			['b', [null, 12.5]],
		]);
		const trends = cpuTrends(history);
		expect([...trends]).toEqual([
			['a', '     ▁▅█'],
			['b', '       ▂'],
		]);
		// 51 % draws the same bar as 50 %.
		expect(cpuTrends(new Map([...history, ['a', [0, 51, 100]]]), trends)).toBe(trends);
		expect(cpuTrends(new Map([...history, ['a', [0, 51, 80]]]), trends).get('a')).toBe('     ▁▅▇');
		expect(cpuTrends(new Map([['a', [0, 50, 100]]]), trends).has('b')).toBe(false);
	});
});
