import {beforeEach, describe, expect, it} from 'vitest';
import type {CgroupSample} from '../../../source/core/cgroup.js';
import {Left4meError} from '../../../source/core/errors.js';
import type {InstanceConfig} from '../../../source/core/instance-env.js';
import {makePaths} from '../../../source/core/paths.js';
import {parseUnitStatuses} from '../../../source/core/unit-status.js';
import type {GameQuerier} from '../../../source/system/a2s.js';
import {cgroupsChanged, HOST_WINDOW_MS, SnapshotCollector, UNIT_BACKSTOP_MS, UNIT_TRANSITION_MS, type Host} from '../../../source/system/host.js';
import type {InstanceStore} from '../../../source/system/instance-store.js';
import type {MetricsReader} from '../../../source/system/metrics.js';
import {createPrivileged} from '../../../source/system/privileged.js';
import type {UnitReader} from '../../../source/system/systemd.js';
import {GAME_HIDDEN_EVERY_MS} from '../../../source/system/game-poller.js';
import {FakeRunner} from '../support/fake-runner.js';

const ALPHA = 'left4me-server@alpha.service';
const FRESH = 'left4me-server@fresh.service';
const BROKEN = 'left4me-server@broken.service';
const GAME = 'l4d2-game.slice';
const BUILD = 'l4d2-build.slice';
const CG = '/sys/fs/cgroup';

type Group = {inode: number; usageUsec: number; memoryBytes: number | null; memoryApprox: boolean};

/** A scripted world: the clock, the cgroups that exist, what systemd says, what is on disk. */
class World {
	now = 1_732_870_100_000;
	groups = new Map<string, Group>([
		[`${CG}/l4d2.slice/l4d2-game.slice/${ALPHA}`, {inode: 9001, usageUsec: 5_000_000, memoryBytes: 398_748 * 1024, memoryApprox: true}],
		[`${CG}/l4d2.slice/l4d2-game.slice`, {inode: 9000, usageUsec: 7_000_000, memoryBytes: 500_000_000, memoryApprox: true}],
	]);
	showCalls: string[][] = [];
	sampleCalls: string[][] = [];
	nameCalls = 0;
	instanceNames = ['fresh', 'alpha', 'broken'];
	statusText = [
		`Id=${ALPHA}\nLoadState=loaded\nActiveState=active\nSubState=running\nResult=success\nUnitFileState=enabled\nNRestarts=0\nMainPID=48213\nActiveEnterTimestamp=@1732870000\nControlGroup=/l4d2.slice/l4d2-game.slice/${ALPHA}`,
		`Id=${FRESH}\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nResult=success\nUnitFileState=disabled\nNRestarts=0\nMainPID=0\nActiveEnterTimestamp=\nControlGroup=`,
		`Id=${BROKEN}\nLoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\nUnitFileState=enabled\nNRestarts=3\nMainPID=0\nActiveEnterTimestamp=@1732869000\nControlGroup=`,
		`Id=${GAME}\nLoadState=loaded\nActiveState=active\nSubState=active\nUnitFileState=static\nControlGroup=/l4d2.slice/l4d2-game.slice`,
		`Id=${BUILD}\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=static\nControlGroup=`,
	].join('\n\n');

	readonly units: UnitReader = {
		show: async (units) => {
			this.showCalls.push([...units]);
			return parseUnitStatuses(this.statusText, units);
		},
	};

	readonly metrics: MetricsReader = {
		sample: (groups) => {
			this.sampleCalls.push([...groups.keys()]);
			const result = new Map<string, CgroupSample>();
			for (const [key, dir] of groups) {
				const g = this.groups.get(dir);
				result.set(
					key,
					g
						? {exists: true, inode: g.inode, usageUsec: g.usageUsec, memoryBytes: g.memoryBytes, memoryApprox: g.memoryApprox, atMs: this.now}
						: {exists: false, inode: null, usageUsec: null, memoryBytes: null, memoryApprox: false, atMs: this.now},
				);
			}
			return result;
		},
	};

	instancesMtime = 1;

	readonly instances: InstanceStore = {
		stamp: () => this.instancesMtime,
		names: () => {
			this.nameCalls++;
			return [...this.instanceNames];
		},
		readAll: (names) =>
			new Map<string, InstanceConfig | Error>(
				names.map((n) => [
					n,
					n === 'broken'
						? new Left4meError('failed', '/var/lib/left4me/instances/broken/instance.env: L4D2_PORT must be a port number 1024-65535 (found "http")')
						: {port: n === 'alpha' ? 27015 : 27016, lowerdirs: ['installation'], args: ''},
				]),
			),
		read: () => {
			throw new Error('not used');
		},
		create: () => {
			throw new Error('not used');
		},
	};

	hostViews = 0;

	host(): Host {
		const runner = new FakeRunner();
		const paths = makePaths('/var/lib/left4me', CG);
		return {
			paths,
			runner,
			units: this.units,
			privileged: createPrivileged(runner, paths, false),
			metrics: this.metrics,
			instances: this.instances,
			hostView: () => ({cpuCount: 4, cpuPercent: 10 * ++this.hostViews, load1: 1.5, memTotalBytes: 8 * 1024 ** 3, memAvailableBytes: 3 * 1024 ** 3}),
		};
	}

	group(unit: string): Group {
		const dir = unit.endsWith('.slice') ? `${CG}/l4d2.slice/${unit}` : `${CG}/l4d2.slice/l4d2-game.slice/${unit}`;
		const g = this.groups.get(dir);
		if (!g) throw new Error(`no cgroup ${dir}`);
		return g;
	}
}

let world: World;
let collector: SnapshotCollector;

beforeEach(() => {
	world = new World();
	collector = new SnapshotCollector(world.host(), () => world.now);
});

describe('SnapshotCollector: when systemd is asked', () => {
	it('asks once, for every server unit and both slices, on the first refresh', async () => {
		await collector.collect();
		expect(world.showCalls).toEqual([[FRESH, ALPHA, BROKEN, GAME, BUILD]]);
		expect(world.sampleCalls).toEqual([[FRESH, ALPHA, BROKEN, GAME, BUILD]]);
	});

	it('does not ask while no cgroup appeared, vanished or was recreated and the backstop has not elapsed', async () => {
		await collector.collect();
		for (let i = 1; i <= 9; i++) {
			world.now += 1000;
			world.group(ALPHA).usageUsec += 250_000;
			await collector.collect();
		}
		expect(world.showCalls).toHaveLength(1);
		expect(world.sampleCalls).toHaveLength(10);
		expect(world.nameCalls).toBe(1);
	});

	it('re-reads the instances at the next refresh when STATE/instances changed (one created or deleted)', async () => {
		await collector.collect();
		world.now += 1000;
		await collector.collect();
		expect(world.nameCalls).toBe(1);
		world.instanceNames.push('zulu');
		world.instancesMtime += 1;
		world.now += 1000;
		const doc = await collector.collect();
		expect(world.nameCalls).toBe(2);
		expect(doc.instances.map((i) => i.name)).toContain('zulu');
		expect(world.showCalls).toHaveLength(2);
	});

	it('asks again when a cgroup is recreated (new inode)', async () => {
		await collector.collect();
		world.now += 1000;
		world.group(ALPHA).inode = 9100;
		await collector.collect();
		expect(world.showCalls).toHaveLength(2);
		expect(world.showCalls[1]).toEqual([FRESH, ALPHA, BROKEN, GAME, BUILD]);
	});

	it('asks again when a cgroup appears and when it vanishes', async () => {
		await collector.collect();
		world.now += 1000;
		world.groups.set(`${CG}/l4d2.slice/l4d2-game.slice/${FRESH}`, {inode: 9200, usageUsec: 0, memoryBytes: 0, memoryApprox: true});
		await collector.collect();
		expect(world.showCalls).toHaveLength(2);
		world.now += 1000;
		await collector.collect();
		expect(world.showCalls).toHaveLength(2);
		world.now += 1000;
		world.groups.delete(`${CG}/l4d2.slice/l4d2-game.slice/${ALPHA}`);
		await collector.collect();
		expect(world.showCalls).toHaveLength(3);
	});

	it('asks again, and re-reads the instances, once the backstop has elapsed since the last ask', async () => {
		await collector.collect();
		world.now += UNIT_BACKSTOP_MS - 1;
		await collector.collect();
		expect(world.showCalls).toHaveLength(1);
		world.instanceNames.push('zulu');
		world.now += 1;
		const doc = await collector.collect();
		expect(world.showCalls).toHaveLength(2);
		expect(world.showCalls[1]).toContain('left4me-server@zulu.service');
		expect(world.nameCalls).toBe(2);
		expect(doc.instances.map((i) => i.name)).toEqual(['alpha', 'broken', 'fresh', 'zulu']);
	});

	it('asks every UNIT_TRANSITION_MS while a unit is activating, and goes back to the backstop once none is', async () => {
		// alpha is in ExecStartPre: its cgroup will not change when ExecStart begins.
		world.statusText = world.statusText.replace('ActiveState=active\nSubState=running', 'ActiveState=activating\nSubState=start-pre');
		await collector.collect();
		world.now += UNIT_TRANSITION_MS - 1;
		await collector.collect();
		expect(world.showCalls).toHaveLength(1);
		world.now += 1;
		await collector.collect();
		expect(world.showCalls).toHaveLength(2);
		// Now running: quiet until the backstop.
		world.statusText = world.statusText.replace('ActiveState=activating\nSubState=start-pre', 'ActiveState=active\nSubState=running');
		world.now += UNIT_TRANSITION_MS;
		const doc = await collector.collect();
		expect(world.showCalls).toHaveLength(3);
		expect(doc.instances.find((i) => i.name === 'alpha')).toMatchObject({state: 'active', subState: 'running'});
		world.now += UNIT_TRANSITION_MS;
		await collector.collect();
		expect(world.showCalls).toHaveLength(3);
		expect(UNIT_TRANSITION_MS).toBeLessThan(UNIT_BACKSTOP_MS);
	});

	it('restarts the backstop after an ask caused by a cgroup change', async () => {
		await collector.collect();
		world.now += UNIT_BACKSTOP_MS * 0.6;
		world.group(ALPHA).inode = 9101;
		await collector.collect();
		world.now += UNIT_BACKSTOP_MS * 0.6;
		await collector.collect();
		expect(world.showCalls).toHaveLength(2);
	});

	it('asks at the next refresh when the unit files changed (an enable or disable from outside), without reading the instances again', async () => {
		let stamp = '1 1 ';
		const watched = new SnapshotCollector({...world.host(), units: {show: world.units.show, stamp: () => stamp}}, () => world.now);
		await watched.collect();
		world.now += 1000;
		await watched.collect();
		expect(world.showCalls).toHaveLength(1);
		stamp = '1 2 ';
		world.now += 1000;
		await watched.collect();
		expect(world.showCalls).toHaveLength(2);
		expect(world.nameCalls).toBe(1);
		world.now += 1000;
		await watched.collect();
		expect(world.showCalls).toHaveLength(2);
	});

	it('asks when forced', async () => {
		await collector.collect();
		world.now += 10;
		await collector.collect(true);
		expect(world.showCalls).toHaveLength(2);
		expect(world.nameCalls).toBe(2);
	});

	it('passes a systemctl failure on', async () => {
		world.units.show = async () => {
			throw new Left4meError('failed', 'systemctl show failed: Failed to connect to bus');
		};
		await expect(collector.collect()).rejects.toThrow('systemctl show failed');
	});
});

describe('SnapshotCollector: the list document', () => {
	it('has no CPU figure on the first sample and an interval of 0', async () => {
		const doc = await collector.collect(true);
		expect(doc.intervalMs).toBe(0);
		expect(doc.instances.find((i) => i.name === 'alpha')).toMatchObject({cpuPercent: null, memoryBytes: 398_748 * 1024, memoryApprox: true});
	});

	it('computes CPU from two samples, in percent of one core', async () => {
		await collector.collect(true);
		world.now += 500;
		world.group(ALPHA).usageUsec += 125_000;
		world.group(GAME).usageUsec += 600_000;
		const doc = await collector.collect();
		expect(doc.intervalMs).toBe(500);
		expect(doc.generatedAt).toBe(new Date(world.now).toISOString());
		const alpha = doc.instances.find((i) => i.name === 'alpha');
		expect(alpha).toMatchObject({state: 'active', subState: 'running', enabled: true, port: 27015, cpuPercent: 25, memoryApprox: true, mainPid: 48213, uptimeSec: 100});
		expect(doc.slices.game).toEqual({unit: GAME, cpuPercent: 120, memoryBytes: 500_000_000, memoryApprox: true});
		expect(doc.slices.build).toEqual({unit: BUILD, cpuPercent: null, memoryBytes: null, memoryApprox: false});
		expect(doc.host).toEqual({cpuCount: 4, cpuPercent: world.hostViews * 10, load1: 1.5, memTotalBytes: 8 * 1024 ** 3, memAvailableBytes: 3 * 1024 ** 3});
	});

	it('gives no CPU across a restart (recreated cgroup)', async () => {
		await collector.collect(true);
		world.now += 500;
		Object.assign(world.group(ALPHA), {inode: 9300, usageUsec: 40_000});
		const doc = await collector.collect();
		expect(doc.instances.find((i) => i.name === 'alpha')?.cpuPercent).toBeNull();
	});

	it('shows a never-started instance with its systemd state and null metrics', async () => {
		const doc = await collector.collect(true);
		expect(doc.instances.find((i) => i.name === 'fresh')).toEqual({
			name: 'fresh',
			unit: FRESH,
			state: 'inactive',
			subState: 'dead',
			result: 'success',
			enabled: false,
			port: 27016,
			layers: ['installation'],
			cpuPercent: null,
			memoryBytes: null,
			memoryApprox: false,
			restarts: 0,
			startLimitHit: false,
			mainPid: null,
			uptimeSec: null,
			configError: null,
			players: null,
			maxPlayers: null,
			map: null,
		});
	});

	it('reports a broken instance.env as configError and keeps systemd\'s view', async () => {
		const doc = await collector.collect(true);
		expect(doc.instances.find((i) => i.name === 'broken')).toMatchObject({
			state: 'failed',
			result: 'exit-code',
			restarts: 3,
			port: null,
			layers: [],
			configError: '/var/lib/left4me/instances/broken/instance.env: L4D2_PORT must be a port number 1024-65535 (found "http")',
		});
	});
});

describe('SnapshotCollector: host totals', () => {
	it('reads them on every collection by default (list, list --watch)', async () => {
		for (let i = 0; i < 3; i++, world.now += 1000) await collector.collect();
		expect(world.hostViews).toBe(3);
	});

	it('with hostEveryMs, reads them at most that often and repeats the last reading in between', async () => {
		const dashboard = new SnapshotCollector(world.host(), () => world.now, {hostEveryMs: HOST_WINDOW_MS});
		const seen: (number | null | undefined)[] = [];
		for (let i = 0; i < 11; i++, world.now += 1000) seen.push((await dashboard.collect()).host.cpuPercent);
		// t=0 s, 5 s and 10 s read the host; the collections between repeat the last figure.
		expect(world.hostViews).toBe(3);
		expect(seen).toEqual([10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 30]);
	});

	it('reads again on the next collection while the host CPU figure is missing (the first reading has none)', async () => {
		const figures = [null, 42, 43];
		let reads = 0;
		const host = world.host();
		const dashboard = new SnapshotCollector({...host, hostView: () => ({...host.hostView(), cpuPercent: figures[reads++] as number | null})}, () => world.now, {hostEveryMs: HOST_WINDOW_MS});
		const seen: (number | null | undefined)[] = [];
		for (let i = 0; i < 3; i++, world.now += 1000) seen.push((await dashboard.collect()).host.cpuPercent);
		expect(seen).toEqual([null, 42, 42]);
		expect(reads).toBe(2);
	});
});

describe('SnapshotCollector: A2S answers', () => {
	it('drops a restarted server\'s last answer (its cgroup was recreated) until it is asked again', async () => {
		const asked: number[] = [];
		const game: GameQuerier = {info: async (port) => (asked.push(port), {players: 3, maxPlayers: 8, map: 'c1m1_hotel'})};
		const withGame = new SnapshotCollector({...world.host(), game}, () => world.now);
		await withGame.collect();
		await withGame.gameSettled();
		world.now += 1000;
		expect((await withGame.collect()).instances.find((i) => i.name === 'alpha')?.players).toBe(3);
		world.group(ALPHA).inode = 9100;
		world.now += 1000;
		const restarted = (await withGame.collect()).instances.find((i) => i.name === 'alpha');
		expect([restarted?.state, restarted?.players, restarted?.map]).toEqual(['active', null, null]);
		expect(asked).toEqual([27015]);
	});
});

describe('SnapshotCollector: focus (the rows on screen)', () => {
	const SLICES = [GAME, BUILD];

	it('samples only the focused instances and the slices between full samples, and keeps the other views as they were', async () => {
		const dashboard = new SnapshotCollector(world.host(), () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		const first = await dashboard.collect(true);
		dashboard.focus(['fresh']);
		world.sampleCalls.length = 0;
		const docs = [first];
		for (let i = 1; i <= 5; i++) {
			world.now += 1000;
			world.group(ALPHA).usageUsec += 100_000;
			world.group(GAME).usageUsec += 100_000;
			docs.push(await dashboard.collect());
		}
		// t=1..4 s: fresh and the slices; t=5 s: everything again.
		expect(world.sampleCalls).toEqual([...Array.from({length: 4}, () => [FRESH, ...SLICES]), [FRESH, ALPHA, BROKEN, ...SLICES]]);
		const alpha = docs.map((d) => d.instances.find((i) => i.name === 'alpha')!);
		// Not on screen: the same view until the full sample, which measures CPU over its 5 s.
		expect(alpha.slice(1, 5).every((v) => v === alpha[0])).toBe(true);
		expect(alpha[5]).not.toBe(alpha[0]);
		expect(alpha[5]!.cpuPercent).toBe(10);
		// The slices are measured on every collection, over 1 s.
		expect(docs.slice(1).map((d) => d.slices.game.cpuPercent)).toEqual([10, 10, 10, 10, 10]);
		expect(docs.slice(1).map((d) => d.intervalMs)).toEqual([1000, 1000, 1000, 1000, 1000]);
		expect(world.showCalls).toHaveLength(1);
	});

	it('measures a focused instance on every collection', async () => {
		const dashboard = new SnapshotCollector(world.host(), () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		await dashboard.collect(true);
		dashboard.focus(['alpha']);
		const seen: (number | null)[] = [];
		for (const used of [50_000, 250_000, 0]) {
			world.now += 1000;
			world.group(ALPHA).usageUsec += used;
			seen.push((await dashboard.collect()).instances.find((i) => i.name === 'alpha')!.cpuPercent);
		}
		expect(seen).toEqual([5, 25, 0]);
		expect(world.sampleCalls.slice(1)).toEqual([[ALPHA, ...SLICES], [ALPHA, ...SLICES], [ALPHA, ...SLICES]]);
	});

	it('samples everything, and asks systemd, in the same collection when a focused cgroup was recreated', async () => {
		const dashboard = new SnapshotCollector(world.host(), () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		await dashboard.collect(true);
		dashboard.focus(['alpha']);
		world.now += 1000;
		await dashboard.collect();
		world.group(ALPHA).inode = 9400;
		world.now += 1000;
		const doc = await dashboard.collect();
		expect(world.sampleCalls.slice(1)).toEqual([[ALPHA, ...SLICES], [ALPHA, ...SLICES], [FRESH, ALPHA, BROKEN, ...SLICES]]);
		expect(world.showCalls).toHaveLength(2);
		expect(doc.instances.find((i) => i.name === 'alpha')!.cpuPercent).toBeNull();
	});

	it('starts A2S_INFO batches with the full samples and shows their answers at the next collection, also off screen', async () => {
		let players = 3;
		const asked: number[] = [];
		const game: GameQuerier = {info: async (port) => (asked.push(port), {players, maxPlayers: 8, map: 'c1m1_hotel'})};
		const dashboard = new SnapshotCollector({...world.host(), game}, () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		await dashboard.collect(true);
		await dashboard.gameSettled();
		const alphaPort = asked[0];
		dashboard.focus(['fresh']);
		// alpha is off screen: asked again 5 minutes after the last time, at a full sample.
		world.now += GAME_HIDDEN_EVERY_MS - 5000;
		await dashboard.collect();
		await dashboard.gameSettled();
		players = 5;
		world.sampleCalls.length = 0;
		const playersSeen: (number | null)[] = [];
		for (let i = 1; i <= 6; i++) {
			world.now += 1000;
			playersSeen.push((await dashboard.collect()).instances.find((v) => v.name === 'alpha')!.players);
			await dashboard.gameSettled();
		}
		// The full sample at 5 s asks alpha; its 5 players show at 6 s, in a collection that samples only `fresh` and the slices.
		expect(world.sampleCalls.map((c) => c.length)).toEqual([3, 3, 3, 3, 5, 3]);
		expect(playersSeen).toEqual([3, 3, 3, 3, 3, 5]);
		expect(asked.filter((port) => port === alphaPort)).toHaveLength(2);
	});

	it('asks A2S_INFO of a server on screen every 5 s, and of one off screen every 5 minutes', async () => {
		const asked: number[] = [];
		const game: GameQuerier = {info: async (port) => (asked.push(port), {players: 1, maxPlayers: 8, map: 'c1m1_hotel'})};
		const dashboard = new SnapshotCollector({...world.host(), game}, () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		await dashboard.collect(true);
		await dashboard.gameSettled();
		expect(asked).toHaveLength(1);
		const minute = async () => {
			asked.length = 0;
			for (let i = 1; i <= 60; i++) {
				world.now += 1000;
				await dashboard.collect();
				await dashboard.gameSettled();
			}
			return asked.length;
		};
		// alpha (the one running server) off screen, then on screen.
		dashboard.focus(['fresh', 'broken']);
		expect(await minute()).toBe(0);
		dashboard.focus(['alpha']);
		expect(await minute()).toBe(12);
		// With no focus (list --watch), every server in turn: one server, every 5 s.
		dashboard.focus(null);
		expect(await minute()).toBe(12);
	});

	it('with an empty focus samples only the slices in between; with none, everything every time', async () => {
		const dashboard = new SnapshotCollector(world.host(), () => world.now, {hostEveryMs: HOST_WINDOW_MS, fullEveryMs: 5000});
		await dashboard.collect(true);
		dashboard.focus([]);
		world.now += 1000;
		await dashboard.collect();
		dashboard.focus(null);
		world.now += 1000;
		await dashboard.collect();
		expect(world.sampleCalls.slice(1)).toEqual([SLICES, [FRESH, ALPHA, BROKEN, ...SLICES]]);
	});
});

describe('cgroupsChanged', () => {
	const s = (exists: boolean, inode: number | null): CgroupSample => ({exists, inode, usageUsec: 1, memoryBytes: 1, memoryApprox: false, atMs: 0});
	it.each([
		['identical', [['a', s(true, 1)]], [['a', s(true, 1)]], false],
		['usage only differs', [['a', s(true, 1)]], [['a', {...s(true, 1), usageUsec: 99}]], false],
		['new inode', [['a', s(true, 1)]], [['a', s(true, 2)]], true],
		['appeared', [['a', s(false, null)]], [['a', s(true, 2)]], true],
		['vanished', [['a', s(true, 1)]], [['a', s(false, null)]], true],
		['new key', [['a', s(true, 1)]], [['a', s(true, 1)], ['b', s(false, null)]], true],
		['renamed key', [['a', s(true, 1)]], [['b', s(true, 1)]], true],
		['first sampling', [], [['a', s(false, null)]], true],
	] as const)('%s -> %s', (_name, before, after, expected) => {
		expect(cgroupsChanged(new Map(before), new Map(after))).toBe(expected);
	});
});
