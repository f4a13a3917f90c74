/**
 * Fixed data and fakes for the dashboard tests: snapshots with pinned times,
 * and a Host whose process runner records every argv instead of spawning.
 */
import {Left4meError} from '../../source/core/errors.js';
import {makePaths} from '../../source/core/paths.js';
import {LIST_SCHEMA, type InstanceView, type ListDocument} from '../../source/core/snapshot.js';
import type {UnitStatus} from '../../source/core/unit-status.js';
import type {Host} from '../../source/system/host.js';
import {createPrivileged} from '../../source/system/privileged.js';
import type {ProcessRunner, RunResult, StreamHandle} from '../../source/system/runner.js';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

/** An instance with sensible defaults for a running server. */
export function instance(name: string, fields: Partial<InstanceView> = {}): InstanceView {
	return {
		name,
		unit: `left4me-server@${name}.service`,
		state: 'active',
		subState: 'running',
		result: 'success',
		enabled: true,
		port: 27015,
		layers: ['installation'],
		cpuPercent: 12.5,
		memoryBytes: 512 * MIB,
		memoryApprox: false,
		restarts: 0,
		startLimitHit: false,
		mainPid: 4242,
		uptimeSec: 11_220,
		configError: null,
		players: 3,
		maxPlayers: 8,
		map: 'c1m1_hotel',
		...fields,
	};
}

/** No A2S_INFO answer (not running, or silent). */
const NO_GAME = {players: null, maxPlayers: null, map: null} as const;

/** The four instances most frame tests show: running, crash-looped, stopped, starting with approximate memory. */
export const FLEET: readonly InstanceView[] = [
	instance('alpha'),
	instance('bravo', {state: 'failed', subState: 'failed', result: 'start-limit-hit', port: 27016, restarts: 5, startLimitHit: true, cpuPercent: null, memoryBytes: null, uptimeSec: null, mainPid: null, ...NO_GAME}),
	instance('charlie', {state: 'inactive', subState: 'dead', enabled: false, port: 27017, cpuPercent: null, memoryBytes: null, uptimeSec: null, mainPid: null, ...NO_GAME}),
	instance('delta', {state: 'activating', subState: 'start-pre', port: 27018, cpuPercent: 87.3, memoryBytes: 300 * MIB, memoryApprox: true, restarts: 1, uptimeSec: null, ...NO_GAME}),
];

/** A list document at a fixed time. */
export function snapshot(instances: readonly InstanceView[] = FLEET): ListDocument {
	return {
		schema: LIST_SCHEMA,
		generatedAt: '2025-01-01T12:00:00.000Z',
		intervalMs: 1000,
		instances,
		slices: {
			game: {unit: 'l4d2-game.slice', cpuPercent: 99.8, memoryBytes: 812 * MIB, memoryApprox: false},
			build: {unit: 'l4d2-build.slice', cpuPercent: null, memoryBytes: null, memoryApprox: false},
		},
		host: {cpuCount: 4, cpuPercent: 37.5, load1: 0.42, memTotalBytes: 16 * GIB, memAvailableBytes: 12 * GIB},
	};
}

/** A journal follower the test drives: push chunks, then end it. */
export type FakeFollow = {
	argv: readonly string[];
	onChunk: (text: string) => void;
	stopped: boolean;
	end: (exitCode: number | null, stderr?: string) => void;
};

/** Records argv of every run and stream; `results` decides what a run returns. */
export class FakeRunner implements ProcessRunner {
	readonly runs: string[][] = [];
	readonly follows: FakeFollow[] = [];
	/** Result for the next runs; default: success. */
	result: RunResult = {exitCode: 0, stdout: '', stderr: ''};
	/** When set, runs wait until the test calls it. */
	gate: Promise<void> | null = null;

	async run(argv: readonly string[]): Promise<RunResult> {
		this.runs.push([...argv]);
		if (this.gate) await this.gate;
		return this.result;
	}

	stream(argv: readonly string[], onChunk: (text: string) => void): StreamHandle {
		let finish: (r: {exitCode: number | null; stderr: string}) => void = () => {};
		const done = new Promise<{exitCode: number | null; stderr: string}>((resolve) => (finish = resolve));
		const follow: FakeFollow = {argv: [...argv], onChunk, stopped: false, end: (exitCode, stderr = '') => finish({exitCode, stderr})};
		this.follows.push(follow);
		return {
			done,
			stop: () => {
				follow.stopped = true;
				finish({exitCode: null, stderr: ''});
			},
		};
	}
}

/** The `systemctl` helper argv as the privileged client builds it for a non-root user. */
export const HELPER = '/usr/local/libexec/left4me/left4me-systemctl';
export const JOURNAL_HELPER = '/usr/local/libexec/left4me/left4me-journalctl';

/**
 * A Host on a FakeRunner. `privileged` drives the runner; `units.show` and `instances.read`
 * answer for {@link FLEET} as it is in the snapshot (a reset reads the unit's ActiveState and
 * the instance first). The rest is unused when the test passes its own collector.
 */
export function fakeHost(runner = new FakeRunner()): Host {
	const paths = makePaths();
	const unused = () => {
		throw new Left4meError('failed', 'not used in this test');
	};
	const view = (name: string) => FLEET.find((i) => i.name === name);
	return {
		paths,
		runner,
		units: {show: async (units) => new Map(units.map((unit) => [unit, fleetStatus(unit, FLEET.find((i) => i.unit === unit))]))},
		privileged: createPrivileged(runner, paths, false),
		metrics: {sample: () => unused()},
		instances: {
			names: () => [],
			readAll: () => new Map(),
			read: (name) => {
				const i = view(name);
				if (!i) throw new Left4meError('not_found', `no instance named ${name}`);
				return {port: i.port ?? 27015, lowerdirs: ['installation'], args: ''};
			},
			create: unused,
		},
		hostView: () => snapshot().host,
	};
}

/** The unit status systemd would give for a FLEET instance (or a unit it does not know). */
function fleetStatus(unit: string, i: InstanceView | undefined): UnitStatus {
	return {
		unit,
		loadState: i ? 'loaded' : 'not-found',
		activeState: i?.state ?? 'inactive',
		subState: i?.subState ?? 'dead',
		result: i?.result ?? 'success',
		unitFileState: i?.enabled ? 'enabled' : 'disabled',
		restarts: i?.restarts ?? null,
		startLimitBurst: 5,
		mainPid: i?.mainPid ?? null,
		execMainStatus: null,
		activeEnterMs: null,
		controlGroup: '',
	};
}

/** One `journalctl -o json` line. */
export function journalLine(message: unknown, seconds: number, priority = 6): string {
	return JSON.stringify({__CURSOR: `c${seconds}`, __REALTIME_TIMESTAMP: String(seconds * 1_000_000), PRIORITY: String(priority), _SYSTEMD_UNIT: 'left4me-server@alpha.service', MESSAGE: message, _PID: '4242'});
}

/** Lets promises and Ink's input handling settle. */
export const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
