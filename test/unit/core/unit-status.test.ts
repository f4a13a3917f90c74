import {describe, expect, it} from 'vitest';
import {parseShowBlocks, parseUnitStatuses, parseUnixTimestamp, toUnitStatus, UNIT_PROPERTIES} from '../../../source/core/unit-status.js';
import {fixture} from '../support/fixtures.js';

const FLEET_UNITS = [
	'left4me-server@alpha.service',
	'left4me-server@beta.service',
	'left4me-server@fresh.service',
	'left4me-server@ghost.service',
	'l4d2-game.slice',
	'l4d2-build.slice',
];

describe('parseUnitStatuses on multi-unit `systemctl show --timestamp=unix` output', () => {
	const statuses = parseUnitStatuses(fixture('systemctl/show-fleet.txt'), FLEET_UNITS);

	it('returns one status per unit block, keyed by Id', () => {
		expect([...statuses.keys()]).toEqual(FLEET_UNITS);
	});

	it.each([
		{
			unit: 'left4me-server@alpha.service',
			expected: {
				loadState: 'loaded',
				activeState: 'active',
				subState: 'running',
				result: 'success',
				unitFileState: 'enabled',
				restarts: 2,
				startLimitBurst: 5,
				mainPid: 48213,
				execMainStatus: 0,
				activeEnterMs: 1_732_870_000_000,
				controlGroup: '/l4d2.slice/l4d2-game.slice/left4me-server@alpha.service',
			},
		},
		{
			unit: 'left4me-server@beta.service',
			expected: {
				loadState: 'loaded',
				activeState: 'failed',
				subState: 'failed',
				result: 'exit-code',
				unitFileState: 'enabled',
				restarts: 5,
				startLimitBurst: 5,
				mainPid: null,
				execMainStatus: 1,
				activeEnterMs: 1_732_869_000_000,
				controlGroup: '',
			},
		},
		{
			unit: 'left4me-server@fresh.service',
			expected: {
				loadState: 'loaded',
				activeState: 'inactive',
				subState: 'dead',
				result: 'success',
				unitFileState: 'disabled',
				restarts: 0,
				startLimitBurst: 5,
				mainPid: null,
				execMainStatus: 0,
				activeEnterMs: null,
				controlGroup: '',
			},
		},
		{
			unit: 'left4me-server@ghost.service',
			expected: {
				loadState: 'not-found',
				activeState: 'inactive',
				subState: 'dead',
				result: 'success',
				unitFileState: '',
				restarts: null,
				startLimitBurst: 5,
				mainPid: null,
				execMainStatus: null,
				activeEnterMs: null,
				controlGroup: '',
			},
		},
		{
			unit: 'l4d2-game.slice',
			expected: {
				loadState: 'loaded',
				activeState: 'active',
				subState: 'active',
				result: '',
				unitFileState: 'static',
				restarts: null,
				startLimitBurst: 5,
				mainPid: null,
				execMainStatus: null,
				activeEnterMs: 1_732_860_000_000,
				controlGroup: '/l4d2.slice/l4d2-game.slice',
			},
		},
	])('$unit', ({unit, expected}) => {
		expect(statuses.get(unit)).toEqual({unit, ...expected});
	});
});

describe('parseUnitStatuses edge cases', () => {
	it('falls back to the requested unit name, in order, when a block has no Id', () => {
		const text = 'ActiveState=active\nSubState=running\n\nActiveState=inactive\nSubState=dead\n';
		const statuses = parseUnitStatuses(text, ['a.service', 'b.service']);
		expect(statuses.get('a.service')?.activeState).toBe('active');
		expect(statuses.get('b.service')?.subState).toBe('dead');
		expect(statuses.get('b.service')?.unit).toBe('b.service');
	});

	it('gives no statuses for empty output', () => {
		expect(parseUnitStatuses('', ['a.service']).size).toBe(0);
	});

	it('defaults missing states to "unknown" and missing strings to ""', () => {
		const status = toUnitStatus(new Map([['Id', 'x.service']]));
		expect(status).toEqual({
			unit: 'x.service',
			loadState: '',
			activeState: 'unknown',
			subState: 'unknown',
			result: '',
			unitFileState: '',
			restarts: null,
			startLimitBurst: null,
			mainPid: null,
			execMainStatus: null,
			activeEnterMs: null,
			controlGroup: '',
		});
	});

	it('treats a non-numeric count as unknown', () => {
		expect(toUnitStatus(new Map([['NRestarts', 'lots']])).restarts).toBeNull();
	});
});

describe('parseShowBlocks', () => {
	it('splits on blank lines, keeps "=" inside values, ignores lines without a key', () => {
		const blocks = parseShowBlocks('Id=a.service\nEnvironment=A=1 B=2\nnonsense\n\n\n\nId=b.service\n');
		expect(blocks.map((b) => Object.fromEntries(b))).toEqual([{Id: 'a.service', Environment: 'A=1 B=2'}, {Id: 'b.service'}]);
	});

	it('keeps an empty value as the empty string', () => {
		expect(parseShowBlocks('ControlGroup=\n')[0]?.get('ControlGroup')).toBe('');
	});
});

describe('parseUnixTimestamp', () => {
	it.each([
		['@1732870000', 1_732_870_000_000],
		['@1732870000.25', 1_732_870_000_250],
		['@1732870000.123456', 1_732_870_000_123],
		[' @1732870000 ', 1_732_870_000_000],
		['@0', null],
		['', null],
		[undefined, null],
		['n/a', null],
		['Fri 2024-11-29 08:46:40 UTC', null],
		['1732870000', null],
	])('%j -> %j', (input, expected) => {
		expect(parseUnixTimestamp(input)).toBe(expected);
	});
});

describe('UNIT_PROPERTIES', () => {
	it('asks for every property the status is built from', () => {
		expect([...UNIT_PROPERTIES].sort()).toEqual(
			['ActiveEnterTimestamp', 'ActiveState', 'ControlGroup', 'ExecMainStatus', 'Id', 'LoadState', 'MainPID', 'NRestarts', 'Result', 'StartLimitBurst', 'SubState', 'UnitFileState'].sort(),
		);
	});
});
