/**
 * The fleet snapshot: what `l4d2ctl list --json` prints and the dashboard
 * renders. Built by a pure function from unit statuses, instance configs and
 * cgroup samples, so both faces show the same numbers.
 */
import {cpuPercent, type CgroupSample} from './cgroup.js';
import type {GameInfo} from './game-info.js';
import type {InstanceConfig} from './instance-env.js';
import {BUILD_SLICE, GAME_SLICE, serverUnit} from './paths.js';
import type {UnitStatus} from './unit-status.js';

/** Version of the `list` document; bump the major on any incompatible change. */
export const LIST_SCHEMA = 'left4me.list/1';

/** One server instance in the snapshot. */
export type InstanceView = Readonly<{
	name: string;
	unit: string;
	/** ActiveState (active, inactive, failed, activating, deactivating, ...); `unknown` if systemd said nothing. */
	state: string;
	subState: string;
	/** systemd Result of the last run (success, exit-code, start-limit-hit, ...). */
	result: string;
	/** True when the unit starts at boot (UnitFileState=enabled). */
	enabled: boolean;
	/** Game port from instance.env; null when the file is unreadable. */
	port: number | null;
	/** Lower layers, top first. */
	layers: readonly string[];
	/** CPU over the last interval, percent of ONE core; null when not running or not yet measured. */
	cpuPercent: number | null;
	/** memory.current, or summed RSS when `memoryApprox`; null when not running or unknown. */
	memoryBytes: number | null;
	memoryApprox: boolean;
	/** NRestarts; null if unknown. */
	restarts: number | null;
	/**
	 * The unit failed and systemd's start limit keeps it down (it will not restart by itself):
	 * Result=start-limit-hit, or, for a crash loop, failed once NRestarts reached StartLimitBurst
	 * (systemd then refuses the next automatic restart but keeps the first failure's Result,
	 * e.g. exit-code, and logs "Start request repeated too quickly").
	 */
	startLimitHit: boolean;
	mainPid: number | null;
	/** Seconds since the unit became active; null unless active. */
	uptimeSec: number | null;
	/** Why the instance.env could not be read, or null. */
	configError: string | null;
	/** Players now, from A2S_INFO on loopback; null when not running or the server did not answer. */
	players: number | null;
	/** A2S_INFO max players; null like `players`. */
	maxPlayers: number | null;
	/** A2S_INFO map; null like `players`. */
	map: string | null;
}>;

/** Totals for one slice. */
export type SliceView = Readonly<{
	unit: string;
	cpuPercent: number | null;
	memoryBytes: number | null;
	memoryApprox: boolean;
}>;

/** Host totals (from /proc/stat and node:os; no process spawned). */
export type HostView = Readonly<{
	cpuCount: number;
	/** Host CPU use since the previous snapshot, % of ONE core (cpuCount × 100 = all busy); null on the first. */
	cpuPercent?: number | null;
	/** 1-minute load average. */
	load1: number;
	memTotalBytes: number;
	memAvailableBytes: number;
}>;

/** The `list` document. */
export type ListDocument = Readonly<{
	schema: typeof LIST_SCHEMA;
	/** ISO 8601 time of the snapshot. */
	generatedAt: string;
	/** Length of the CPU measurement interval, ms; 0 when CPU was not measured. */
	intervalMs: number;
	instances: readonly InstanceView[];
	slices: Readonly<{game: SliceView; build: SliceView}>;
	host: HostView;
}>;

/** Everything the pure builder needs; the system layer gathers it. */
export type SnapshotInput = Readonly<{
	nowMs: number;
	names: readonly string[];
	configs: ReadonlyMap<string, InstanceConfig | Error>;
	statuses: ReadonlyMap<string, UnitStatus>;
	/** cgroup samples keyed by unit name (servers and slices): previous and current. */
	previous: ReadonlyMap<string, CgroupSample>;
	current: ReadonlyMap<string, CgroupSample>;
	host: HostView;
	/** Last A2S_INFO answer by instance name (see {@link withGameInfo}); none when absent. */
	games?: ReadonlyMap<string, GameInfo | null>;
	/**
	 * Views of instances not measured again for this snapshot, taken as they are (the same
	 * objects: their uptime is that of the snapshot they come from). Their names need no
	 * sample in `current`.
	 */
	kept?: ReadonlyMap<string, InstanceView>;
}>;

const RUNNING_STATES = new Set(['active', 'activating', 'deactivating', 'reloading']);

function metricsOf(unit: string, input: SnapshotInput) {
	const current = input.current.get(unit);
	if (!current || !current.exists) return {cpuPercent: null, memoryBytes: null, memoryApprox: false};
	return {
		cpuPercent: roundTo(cpuPercent(input.previous.get(unit), current), 1),
		memoryBytes: current.memoryBytes,
		memoryApprox: current.memoryBytes !== null && current.memoryApprox,
	};
}

function roundTo(value: number | null, digits: number): number | null {
	if (value === null) return null;
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

/** True when the unit's automatic restarts reached its StartLimitBurst. */
function hitBurst(status: UnitStatus | undefined): boolean {
	const burst = status?.startLimitBurst ?? null;
	const restarts = status?.restarts ?? null;
	return burst !== null && burst > 0 && restarts !== null && restarts >= burst;
}

/** Builds the view of one instance. */
export function instanceView(name: string, input: SnapshotInput): InstanceView {
	const unit = serverUnit(name);
	const status = input.statuses.get(unit);
	const config = input.configs.get(name);
	const state = status?.activeState ?? 'unknown';
	const running = RUNNING_STATES.has(state);
	const metrics = running ? metricsOf(unit, input) : {cpuPercent: null, memoryBytes: null, memoryApprox: false};
	const ok = config !== undefined && !(config instanceof Error);
	return {
		name,
		unit,
		state,
		subState: status?.subState ?? 'unknown',
		result: status?.result ?? '',
		enabled: status?.unitFileState === 'enabled',
		port: ok ? config.port : null,
		layers: ok ? config.lowerdirs : [],
		...metrics,
		restarts: status?.restarts ?? null,
		startLimitHit: state === 'failed' && (status?.result === 'start-limit-hit' || hitBurst(status)),
		mainPid: status?.mainPid ?? null,
		uptimeSec: state === 'active' && status?.activeEnterMs ? Math.max(0, Math.floor((input.nowMs - status.activeEnterMs) / 1000)) : null,
		configError: config instanceof Error ? config.message : config === undefined ? 'instance.env missing' : null,
		...gameFields(state, input.games?.get(name)),
	};
}

const NO_GAME = {players: null, maxPlayers: null, map: null} as const;

/** Players, max players and map of an instance in this ActiveState with this A2S_INFO answer. */
function gameFields(state: string, info: GameInfo | null | undefined): Pick<InstanceView, 'players' | 'maxPlayers' | 'map'> {
	// Only an active server answers for itself: while activating, the last answer is its previous process's.
	return info && (state === 'active' || state === 'reloading') ? {players: info.players, maxPlayers: info.maxPlayers, map: info.map} : NO_GAME;
}

/** The view with the players, max players and map of this A2S_INFO answer (null: no answer, undefined: not asked). Pure. */
export function viewWithGame(view: InstanceView, info: GameInfo | null | undefined): InstanceView {
	return {...view, ...gameFields(view.state, info)};
}

/**
 * True for the ActiveStates in which the server process may be up. With the SubState, a unit
 * waiting out RestartSec= (`activating/auto-restart`, systemd.service(5)) is not: its process
 * has exited and the next one has not been started.
 */
export function isRunningState(state: string, subState = ''): boolean {
	return RUNNING_STATES.has(state) && !subState.startsWith('auto-restart');
}

/**
 * Adds the last A2S_INFO answers to a document: each active instance named in `games`
 * gets its players, max players and map; a null answer (no reply) and every other
 * instance keep null. Pure.
 */
export function withGameInfo(doc: ListDocument, games: ReadonlyMap<string, GameInfo | null>): ListDocument {
	return {
		...doc,
		instances: doc.instances.map((i) => {
			const info = games.get(i.name);
			return info && (i.state === 'active' || i.state === 'reloading') ? {...i, ...gameFields(i.state, info)} : i;
		}),
	};
}

/** Builds the whole list document. Instances are sorted by name; those in `input.kept` are taken from there. */
export function buildListDocument(input: SnapshotInput, intervalMs: number): ListDocument {
	const kept = input.kept;
	return {
		schema: LIST_SCHEMA,
		generatedAt: new Date(input.nowMs).toISOString(),
		intervalMs,
		instances: [...input.names].sort().map((name) => kept?.get(name) ?? instanceView(name, input)),
		slices: {
			game: {unit: GAME_SLICE, ...metricsOf(GAME_SLICE, input)},
			build: {unit: BUILD_SLICE, ...metricsOf(BUILD_SLICE, input)},
		},
		host: input.host,
	};
}
