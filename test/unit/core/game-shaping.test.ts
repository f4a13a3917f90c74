import {describe, expect, it} from 'vitest';
import {parseDuration, formatWait} from '../../../source/core/duration.js';
import {formatMap, formatPlayers} from '../../../source/core/game-info.js';
import {parseShapingShow, shapingSummary} from '../../../source/core/shaping.js';
import {isRunningState, withGameInfo, type InstanceView, type ListDocument} from '../../../source/core/snapshot.js';

const view = (name: string, state: string): InstanceView => ({
	name, unit: `left4me-server@${name}.service`, state, subState: '', result: '', enabled: true, port: 27015, layers: [],
	cpuPercent: null, memoryBytes: null, memoryApprox: false, restarts: 0, startLimitHit: false, mainPid: null, uptimeSec: null, configError: null,
	players: null, maxPlayers: null, map: null,
});

describe('withGameInfo', () => {
	const doc = {instances: [view('a', 'active'), view('b', 'active'), view('c', 'inactive')]} as unknown as ListDocument;
	it('fills running instances that answered; silent and stopped ones stay null', () => {
		const games = new Map([['a', {players: 2, maxPlayers: 8, map: 'c1m1_hotel'}], ['b', null], ['c', {players: 1, maxPlayers: 4, map: 'x'}]]);
		const out = withGameInfo(doc, games).instances.map((i) => [i.name, i.players, i.maxPlayers, i.map]);
		expect(out).toEqual([['a', 2, 8, 'c1m1_hotel'], ['b', null, null, null], ['c', null, null, null]]);
	});

	it('gives an activating unit (waiting to restart, or starting) no answer: the last one came from its previous process', () => {
		const restarting = {instances: [{...view('d', 'activating'), subState: 'auto-restart'}, {...view('e', 'activating'), subState: 'start'}, {...view('f', 'active'), subState: 'running'}]} as unknown as ListDocument;
		const games = new Map([['d', {players: 0, maxPlayers: 8, map: 'c1m1_hotel'}], ['e', {players: 1, maxPlayers: 8, map: 'c2m1_highway'}], ['f', {players: 2, maxPlayers: 8, map: 'c3m1_plankcountry'}]]);
		expect(withGameInfo(restarting, games).instances.map((i) => [i.name, i.players, i.map])).toEqual([['d', null, null], ['e', null, null], ['f', 2, 'c3m1_plankcountry']]);
	});
});

describe('isRunningState', () => {
	it.each([
		['active', 'running', true],
		['activating', 'start', true],
		['deactivating', 'stop-sigterm', true],
		['activating', 'auto-restart', false],
		['activating', 'auto-restart-queued', false],
		['failed', 'failed', false],
		['inactive', 'dead', false],
	])('%s/%s → %s', (state, subState, running) => {
		expect(isRunningState(state, subState)).toBe(running);
	});
});

describe('formatPlayers / formatMap', () => {
	it.each([
		[{players: 3, maxPlayers: 8}, true, '3/8'],
		[{players: 0, maxPlayers: 4}, true, '0/4'],
		[{players: null, maxPlayers: null}, true, 'unknown'],
		[{players: null, maxPlayers: null}, false, '-'],
	])('%j running=%s → %s', (i, running, text) => {
		expect(formatPlayers(i, running)).toBe(text);
	});
	it('maps', () => {
		expect([formatMap('c1m1_hotel', true), formatMap(null, true), formatMap(null, false)]).toEqual(['c1m1_hotel', 'unknown', '-']);
	});
});

describe('parseShapingShow', () => {
	it('reads the helper lines, skipping anything else', () => {
		expect(parseShapingShow('eth0\tcake\t100Mbit\nveth1\tnoqueue\t-\nbogus line\nifb0\t-\t-\nwg0\tcake\tunlimited\n')).toEqual([
			{iface: 'eth0', qdisc: 'cake', cake: true, bandwidth: '100Mbit'},
			{iface: 'veth1', qdisc: 'noqueue', cake: false, bandwidth: null},
			{iface: 'ifb0', qdisc: null, cake: false, bandwidth: null},
			{iface: 'wg0', qdisc: 'cake', cake: true, bandwidth: null},
		]);
	});
	it('summarises', () => {
		expect(shapingSummary(parseShapingShow('eth0\tcake\t1Gbit\nlo2\tnoqueue\t-\n'))).toBe('cake 1Gbit on eth0');
		expect(shapingSummary([])).toBe('no cake');
	});
});

describe('parseDuration', () => {
	it.each([['90', 90_000], ['90s', 90_000], ['5m', 300_000], ['1h30m', 5_400_000], ['500ms', 500]])('%s → %i ms', (text, ms) => {
		expect(parseDuration('--timeout', text)).toBe(ms);
	});
	it.each(['', '0', '0s', '5x', '-1m', '1.5m', 'm', '8d', '200h'])('refuses %j', (text) => {
		expect(() => parseDuration('--timeout', text)).toThrow(/--timeout must be a duration/);
	});
	it('formats waits', () => {
		expect([formatWait(4000), formatWait(65_000), formatWait(3_720_000)]).toEqual(['4s', '1m05s', '1h02m']);
	});
});
