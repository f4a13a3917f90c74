import {describe, expect, it} from 'vitest';
import type {CgroupSample} from '../../../source/core/cgroup.js';
import type {InstanceConfig} from '../../../source/core/instance-env.js';
import {buildListDocument, instanceView, LIST_SCHEMA, type SnapshotInput} from '../../../source/core/snapshot.js';
import {parseUnitStatuses} from '../../../source/core/unit-status.js';
import {fixture} from '../support/fixtures.js';

const NOW = 1_732_870_125_500;
const HOST = {cpuCount: 8, load1: 0.42, memTotalBytes: 16 * 1024 ** 3, memAvailableBytes: 9 * 1024 ** 3};

const sample = (over: Partial<CgroupSample>): CgroupSample => ({
	exists: true,
	inode: 100,
	usageUsec: 0,
	memoryBytes: null,
	memoryApprox: false,
	atMs: 0,
	...over,
});

function input(over: Partial<SnapshotInput> = {}): SnapshotInput {
	const units = ['left4me-server@alpha.service', 'left4me-server@beta.service', 'left4me-server@fresh.service', 'l4d2-game.slice', 'l4d2-build.slice'];
	return {
		nowMs: NOW,
		names: ['fresh', 'beta', 'alpha'],
		configs: new Map<string, InstanceConfig | Error>([
			['alpha', {port: 27015, lowerdirs: ['overlays/maps', 'installation'], args: ''}],
			['beta', {port: 27016, lowerdirs: ['installation'], args: ''}],
			['fresh', new Error('/x/instances/fresh/instance.env: line 1: not a KEY=VALUE line')],
		]),
		statuses: parseUnitStatuses(fixture('systemctl/show-fleet.txt'), units),
		previous: new Map([
			['left4me-server@alpha.service', sample({inode: 7, usageUsec: 1_000_000, atMs: 10_000})],
			['l4d2-game.slice', sample({inode: 5, usageUsec: 9_000_000, atMs: 10_000})],
		]),
		current: new Map([
			['left4me-server@alpha.service', sample({inode: 7, usageUsec: 1_333_333, memoryBytes: 408_317_952, atMs: 10_500})],
			['left4me-server@beta.service', sample({exists: false, inode: null, usageUsec: null})],
			['left4me-server@fresh.service', sample({exists: false, inode: null, usageUsec: null})],
			['l4d2-game.slice', sample({inode: 5, usageUsec: 9_400_000, memoryBytes: 420_000_000, memoryApprox: true, atMs: 10_500})],
			['l4d2-build.slice', sample({exists: false, inode: null, usageUsec: null})],
		]),
		host: HOST,
		...over,
	};
}

describe('buildListDocument', () => {
	const doc = buildListDocument(input(), 500);

	it('carries schema, time, interval and host', () => {
		expect(doc.schema).toBe(LIST_SCHEMA);
		expect(doc.schema).toBe('left4me.list/1');
		expect(doc.generatedAt).toBe('2024-11-29T08:48:45.500Z');
		expect(doc.intervalMs).toBe(500);
		expect(doc.host).toEqual(HOST);
	});

	it('sorts instances by name', () => {
		expect(doc.instances.map((i) => i.name)).toEqual(['alpha', 'beta', 'fresh']);
	});

	it('describes a running instance with CPU rounded to one decimal', () => {
		expect(doc.instances[0]).toEqual({
			name: 'alpha',
			unit: 'left4me-server@alpha.service',
			state: 'active',
			subState: 'running',
			result: 'success',
			enabled: true,
			port: 27015,
			layers: ['overlays/maps', 'installation'],
			cpuPercent: 66.7,
			memoryBytes: 408_317_952,
			memoryApprox: false,
			restarts: 2,
			startLimitHit: false,
			mainPid: 48213,
			uptimeSec: 125,
			configError: null,
			players: null,
			maxPlayers: null,
			map: null,
		});
	});

	it('gives a failed instance no metrics and no uptime', () => {
		// beta: a crash loop the start limit ended (NRestarts reached StartLimitBurst=5), Result still exit-code.
		expect(doc.instances[1]).toMatchObject({state: 'failed', result: 'exit-code', cpuPercent: null, memoryBytes: null, uptimeSec: null, restarts: 5, startLimitHit: true, mainPid: null});
	});

	it('reports a broken instance.env and still shows systemd state', () => {
		expect(doc.instances[2]).toMatchObject({
			state: 'inactive',
			enabled: false,
			port: null,
			layers: [],
			configError: '/x/instances/fresh/instance.env: line 1: not a KEY=VALUE line',
		});
	});

	it('fills slices from their cgroups', () => {
		expect(doc.slices).toEqual({
			game: {unit: 'l4d2-game.slice', cpuPercent: 80, memoryBytes: 420_000_000, memoryApprox: true},
			build: {unit: 'l4d2-build.slice', cpuPercent: null, memoryBytes: null, memoryApprox: false},
		});
	});
});

describe('instanceView', () => {
	it('shows "unknown" and a missing-config error for an instance systemd and the disk know nothing of', () => {
		const view = instanceView('orphan', input({configs: new Map()}));
		expect(view).toMatchObject({state: 'unknown', subState: 'unknown', result: '', enabled: false, port: null, configError: 'instance.env missing', restarts: null});
	});

	it('gives no CPU on the first sample of a running instance', () => {
		const view = instanceView('alpha', input({previous: new Map()}));
		expect(view.cpuPercent).toBeNull();
		expect(view.memoryBytes).toBe(408_317_952);
	});

	it('does not mark memory approximate when it is unknown', () => {
		const current = new Map([['left4me-server@alpha.service', sample({inode: 7, memoryBytes: null, memoryApprox: true})]]);
		expect(instanceView('alpha', input({current}))).toMatchObject({memoryBytes: null, memoryApprox: false});
	});

	it('clamps uptime at zero when the clock is behind ActiveEnterTimestamp', () => {
		expect(instanceView('alpha', input({nowMs: 1_732_869_999_000})).uptimeSec).toBe(0);
	});
});
