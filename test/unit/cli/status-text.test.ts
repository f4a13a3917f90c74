// The human output of `l4d2ctl status NAME` (statusText is what statusCommand prints).
import {describe, expect, it} from 'vitest';
import {statusText} from '../../../source/cli/instance-actions.js';
import {instance, MIB} from '../../ui/fixtures.js';

const overlay = {merged: '/var/lib/left4me/runtime/alpha/merged', mounted: true, upperBytes: 2048, upperEntries: 3};
const lines = (text: string) => text.split('\n').filter(Boolean);

describe('status NAME, human output', () => {
	it('a running instance: CPU as % of one core, players and map from A2S_INFO', () => {
		expect(lines(statusText(instance('alpha', {cpuPercent: 7.25, memoryBytes: 300 * MIB, players: 3, maxPlayers: 8, map: 'c2m1_highway'}), overlay))).toEqual([
			'alpha',
			'  unit         left4me-server@alpha.service',
			'  state        active (running)',
			'  at boot      enabled',
			'  port         27015',
			'  layers       installation',
			'  cpu          7.3% of one core',
			'  memory       300.0 MiB',
			'  restarts     0',
			'  uptime       3h07m',
			'  players      3/8',
			'  map          c2m1_highway',
			'  overlay      mounted on /var/lib/left4me/runtime/alpha/merged',
			'  upper layer  3 entries, 2.0 KiB',
		]);
	});

	it('a running instance that did not answer A2S_INFO: unknown, as list says', () => {
		const text = statusText(instance('alpha', {players: null, maxPlayers: null, map: null}), overlay);
		expect(lines(text).filter((l) => /^ {2}(players|map) /.test(l))).toEqual(['  players      unknown', '  map          unknown']);
	});

	it('a stopped instance: no players or map line; CPU "-" without a figure', () => {
		const text = statusText(instance('alpha', {state: 'inactive', subState: 'dead', cpuPercent: null, players: null, maxPlayers: null, map: null}), {...overlay, mounted: false});
		expect(lines(text)).toContain('  cpu          -');
		expect(text).not.toMatch(/^ {2}(players|map) /m);
	});
});
