/**
 * Wires the system interfaces for one host, and the snapshot collector both
 * faces use: cgroupfs every tick, `systemctl show` only when something changed.
 */
import os from 'node:os';
import type {CgroupSample} from '../core/cgroup.js';
import type {InstanceConfig} from '../core/instance-env.js';
import type {GameInfo} from '../core/game-info.js';
import {BUILD_SLICE, cgroupDir, GAME_SLICE, instanceOfUnit, makePaths, serverControlGroup, serverUnit, sliceControlGroup, type Paths} from '../core/paths.js';
import {buildListDocument, isRunningState, viewWithGame, withGameInfo, type HostView, type InstanceView, type ListDocument} from '../core/snapshot.js';
import {createGameQuerier, type GameQuerier} from './a2s.js';
import {GamePoller} from './game-poller.js';
import type {UnitStatus} from '../core/unit-status.js';
import {createHostCpuSampler} from './host-cpu.js';
import {createInstanceStore, type InstanceStore} from './instance-store.js';
import {createMetricsReader, detectCgroupRoot, type MetricsReader} from './metrics.js';
import {createPrivileged, type Privileged} from './privileged.js';
import {createProcessRunner, type ProcessRunner} from './runner.js';
import {createUnitReader, type UnitReader} from './systemd.js';

/** Everything that touches one host, behind interfaces tests replace. */
export type Host = Readonly<{
	paths: Paths;
	runner: ProcessRunner;
	units: UnitReader;
	privileged: Privileged;
	metrics: MetricsReader;
	instances: InstanceStore;
	/** Host totals ({@link createHostView}: /proc/stat, and node:os for load and memory); no process is spawned. */
	hostView: () => HostView;
	/** A2S_INFO on loopback; absent in tests that do not want UDP. */
	game?: GameQuerier;
}>;

/**
 * Creates the real host. `LEFT4ME_STATE_DIR` overrides the data root for the
 * unprivileged side only (the helpers never read the environment).
 */
export function createHost(env: NodeJS.ProcessEnv = process.env): Host {
	const paths = makePaths(env.LEFT4ME_STATE_DIR || undefined, detectCgroupRoot());
	const runner = createProcessRunner();
	return {
		paths,
		runner,
		units: createUnitReader(runner),
		privileged: createPrivileged(runner, paths),
		metrics: createMetricsReader(),
		instances: createInstanceStore(paths),
		game: createGameQuerier(),
		hostView: createHostView(),
	};
}

/**
 * The host totals reader: CPU from /proc/stat (host-cpu.ts), the 1-minute load average and
 * memory through node:os (sysinfo(2), /proc/meminfo's MemAvailable). No process is spawned.
 */
export function createHostView(): () => HostView {
	const hostCpu = createHostCpuSampler();
	// Where /proc/stat is unreadable the count still comes from somewhere.
	let cpuCount = 0;
	return () => {
		const cpu = hostCpu();
		cpuCount = cpu.cpuCount || cpuCount || os.availableParallelism();
		return {cpuCount, cpuPercent: cpu.cpuPercent, load1: os.loadavg()[0] ?? 0, memTotalBytes: os.totalmem(), memAvailableBytes: os.freemem()};
	};
}

/**
 * How often unit state is re-read when nothing in cgroupfs or the unit files changed and no
 * unit is between states, ms. What only this catches: a failed unit reset (reset-failed) from
 * outside the dashboard; its own actions refresh at once, and an enable or disable from
 * outside changes a unit directory's mtime ({@link UnitReader.stamp}), seen at the next refresh.
 */
export const UNIT_BACKSTOP_MS = 60_000;

/**
 * How often unit state is re-read while a unit is activating, deactivating or reloading, ms:
 * a server leaving ExecStartPre for ExecStart, or waiting out RestartSec, changes state
 * without changing its cgroup.
 */
export const UNIT_TRANSITION_MS = 2000;

/** ActiveStates a unit passes through (systemd.unit(5), "ActiveState"). */
const TRANSITIONAL_STATES: ReadonlySet<string> = new Set(['activating', 'deactivating', 'reloading', 'refreshing']);

/**
 * How often the dashboard re-reads the host totals, ms. Host CPU is then the average over
 * this window (the sampler measures since its last reading), memory and the 1-minute load
 * average are read at the same moment. The kernel itself updates the load average every
 * 5 s (LOAD_FREQ in kernel/sched/loadavg.c), and a header that changes every second would
 * redraw the whole screen every second on an otherwise idle host.
 */
export const HOST_WINDOW_MS = 5000;

/** Options of {@link SnapshotCollector}. */
export type CollectorOptions = Readonly<{
	/** Re-read the host totals at most this often, ms (0: every collection, as `list` does). */
	hostEveryMs?: number;
	/**
	 * Once {@link SnapshotCollector.focus} names the instances on screen, sample every other
	 * instance only this often, ms (default {@link HOST_WINDOW_MS}). Without a focus every
	 * instance is sampled on every collection.
	 */
	fullEveryMs?: number;
}>;

/** A document and the A2S_INFO answers it holds. */
type LastSnapshot = Readonly<{doc: ListDocument; games: ReadonlyMap<string, GameInfo | null> | undefined}>;

/**
 * Collects snapshots over time. Each {@link SnapshotCollector.collect} reads cgroupfs
 * (files only) and asks systemd again, in ONE `systemctl show`, only when forced, when a
 * cgroup appeared, vanished or was recreated (a start, stop or restart), when a unit
 * file directory changed (an enable, disable or mask: {@link UnitReader.stamp}), after
 * {@link UNIT_TRANSITION_MS} while a unit is between states, or after {@link UNIT_BACKSTOP_MS}.
 *
 * With a focus (the dashboard's rows on screen), a collection in between samples only the
 * focused instances and the two slices, and keeps the other instances' views of the last
 * snapshot as they are: with 100 instances and 20 rows on screen, a refresh reads 22
 * cgroups instead of 102 and builds 20 views instead of 100. Every instance is sampled
 * again after `fullEveryMs`, with the host totals (`hostEveryMs`, which must be set for a focus
 * to take effect), and at once when forced, when unit state or the instances changed, or when a
 * focused cgroup was recreated. An A2S_INFO batch starts with a full sample; its answers are
 * put into the kept views at the next collection.
 */
export class SnapshotCollector {
	private previous = new Map<string, CgroupSample>();
	private statuses = new Map<string, UnitStatus>();
	private names: string[] = [];
	/** Unit or slice → its cgroup directory, for every sample. */
	private groups = new Map<string, string>();
	private configs = new Map<string, InstanceConfig | Error>();
	private lastUnitsAt = -Infinity;
	/** A unit was activating, deactivating or reloading at the last ask. */
	private inTransition = false;
	private lastSampleAt = 0;
	private hostView: HostView | null = null;
	private instancesStamp: number | null = null;
	private unitFilesStamp: string | null = null;
	private hostAt = -Infinity;
	private readonly game: GamePoller | null;
	/** name → game port of the running servers, as of the last unit state read. */
	private targets: Map<string, number> | null = null;
	/** Names of the instances on screen; null: every instance is sampled on every collection. */
	private focused: ReadonlySet<string> | null = null;
	/** Unit → cgroup directory of the focused instances and the slices; rebuilt when the focus or the names change. */
	private focusGroups: Map<string, string> | null = null;
	private lastFullAt = -Infinity;
	/** The last document, and what it was built from: a partial collection keeps its other views. */
	private last: LastSnapshot | null = null;

	constructor(
		private readonly host: Host,
		private readonly clock: () => number = () => Date.now(),
		private readonly options: CollectorOptions = {},
	) {
		this.game = host.game ? new GamePoller(host.game, clock) : null;
	}

	/** Resolves when the running batch of A2S_INFO queries (if any) has finished. */
	async gameSettled(): Promise<void> {
		await this.game?.settled();
	}

	/**
	 * Names the instances whose rows are on screen (null: none is preferred, every instance is
	 * sampled on every collection). The others are sampled every `fullEveryMs`, and asked for
	 * A2S_INFO less often than those on screen (see {@link GamePoller.poll}).
	 */
	focus(names: Iterable<string> | null): void {
		const next = names === null ? null : new Set(names);
		if (next === this.focused || (next && this.focused && next.size === this.focused.size && [...next].every((n) => this.focused!.has(n)))) return;
		this.focused = next;
		this.focusGroups = null;
	}

	/** Adds the latest A2S_INFO answers to a document taken earlier. */
	withLatestGame(doc: ListDocument): ListDocument {
		return this.game ? withGameInfo(doc, this.game.latest()) : doc;
	}

	/**
	 * Takes one snapshot.
	 * @param force re-read instances and unit state even if nothing seems to have changed
	 * @throws Left4meError when systemctl fails
	 */
	async collect(force = false): Promise<ListDocument> {
		const now = this.clock();
		// A created or deleted instance shows at the next refresh, not at the next backstop.
		const stamp = this.host.instances.stamp?.() ?? null;
		const due = now - this.lastUnitsAt >= (this.inTransition ? UNIT_TRANSITION_MS : UNIT_BACKSTOP_MS);
		const reload = force || due || stamp !== this.instancesStamp;
		this.instancesStamp = stamp;
		// An enable, disable or mask from outside shows at the next refresh too.
		const unitFiles = this.host.units.stamp?.() ?? null;
		const unitFilesChanged = unitFiles !== this.unitFilesStamp;
		this.unitFilesStamp = unitFiles;
		if (reload) {
			this.focusGroups = null;
			this.names = this.host.instances.names();
			this.configs = this.host.instances.readAll(this.names);
			// Built when the names are read, not per tick: the reader keys its open files by these directories.
			this.groups = new Map<string, string>(this.names.map((n) => [serverUnit(n), cgroupDir(this.host.paths, serverControlGroup(n))]));
			this.groups.set(GAME_SLICE, cgroupDir(this.host.paths, sliceControlGroup(GAME_SLICE)));
			this.groups.set(BUILD_SLICE, cgroupDir(this.host.paths, sliceControlGroup(BUILD_SLICE)));
		}
		const games = this.game?.latest();
		const last = this.last;
		// Unit state and the instances are as the last snapshot had them (both change only with a
		// full collection): only the cgroup figures may have changed, so sample what is on screen.
		if (
			!reload &&
			!unitFilesChanged &&
			this.focused !== null &&
			last !== null &&
			now - this.lastFullAt < (this.options.fullEveryMs ?? HOST_WINDOW_MS) &&
			// The host totals, the other instances and the next A2S_INFO batch come in one collection:
			// one frame every 5 s on an idle host, not one for each.
			now - this.hostAt < (this.options.hostEveryMs ?? 0)
		) {
			const doc = this.collectFocused(now, last, games);
			if (doc) return doc;
		}
		const groups = this.groups;
		const current = this.host.metrics.sample(groups);
		this.lastFullAt = now;
		if (reload || unitFilesChanged || cgroupsChanged(this.previous, current)) {
			this.statuses = await this.host.units.show([...groups.keys()]);
			this.lastUnitsAt = now;
			this.inTransition = [...this.statuses.values()].some((status) => TRANSITIONAL_STATES.has(status.activeState));
		}
		// A recreated cgroup is a new server process: the last A2S answer was its predecessor's.
		this.game?.forget(this.names.filter((n) => cgroupRecreated(this.previous.get(serverUnit(n)), current.get(serverUnit(n)))));
		// Who is asked changes only with unit state or the instances' configs, both read above.
		if (this.game && (reload || this.lastUnitsAt === now || this.targets === null)) this.targets = this.gameTargets();
		if (this.targets) this.game?.poll(this.targets, force, this.focused);
		const intervalMs = this.previous.size > 0 ? Math.round(now - this.lastSampleAt) : 0;
		// The first reading has no host CPU figure yet (it needs two): read again on the next collection.
		if (this.hostView === null || this.hostView.cpuPercent == null || now - this.hostAt >= (this.options.hostEveryMs ?? 0)) {
			this.hostView = this.host.hostView();
			this.hostAt = now;
		}
		const latestGames = this.game?.latest();
		const doc = buildListDocument(
			{nowMs: now, names: this.names, configs: this.configs, statuses: this.statuses, previous: this.previous, current, host: this.hostView, games: latestGames},
			intervalMs,
		);
		this.previous = current;
		this.lastSampleAt = now;
		this.last = {doc, games: latestGames};
		return doc;
	}

	/**
	 * A collection that samples only the focused instances and the slices; the other views are
	 * the last document's. Undefined (nothing done) when a focused cgroup appeared, vanished or
	 * was recreated: the caller then samples everything, which reads unit state again.
	 */
	private collectFocused(now: number, last: LastSnapshot, games: ReadonlyMap<string, GameInfo | null> | undefined): ListDocument | undefined {
		const groups = (this.focusGroups ??= this.groupsOf(this.focused!));
		const current = this.host.metrics.sample(groups, true);
		for (const [key, sample] of current) if (cgroupRecreated(this.previous.get(key), sample)) return undefined;
		const kept = new Map<string, InstanceView>();
		for (const view of last.doc.instances) {
			if (this.focused!.has(view.name)) continue;
			// An A2S_INFO answer that came since (the batches start with the full samples) shows at once.
			const info = games?.get(view.name);
			kept.set(view.name, games === last.games || info === last.games?.get(view.name) ? view : viewWithGame(view, info));
		}
		const doc = buildListDocument(
			{nowMs: now, names: this.names, configs: this.configs, statuses: this.statuses, previous: this.previous, current, host: this.hostView!, games, kept},
			Math.round(now - this.lastSampleAt),
		);
		// The groups not sampled keep their last samples.
		for (const [key, sample] of current) this.previous.set(key, sample);
		this.lastSampleAt = now;
		this.last = {doc, games};
		return doc;
	}

	/** Unit → cgroup directory of these instances (those that exist) and of the two slices. */
	private groupsOf(names: ReadonlySet<string>): Map<string, string> {
		const groups = new Map<string, string>();
		for (const [unit, dir] of this.groups) if (unit === GAME_SLICE || unit === BUILD_SLICE || names.has(instanceOfUnit(unit) ?? '')) groups.set(unit, dir);
		return groups;
	}

	/** name → game port of each instance whose unit is running and whose config is readable. */
	private gameTargets(): Map<string, number> {
		const targets = new Map<string, number>();
		for (const name of this.names) {
			const config = this.configs.get(name);
			const status = this.statuses.get(serverUnit(name));
			if (config && !(config instanceof Error) && isRunningState(status?.activeState ?? 'unknown', status?.subState)) targets.set(name, config.port);
		}
		return targets;
	}
}

/** True when one cgroup appeared, vanished or was recreated between two samples (absent counts as vanished). */
export function cgroupRecreated(before: CgroupSample | undefined, after: CgroupSample | undefined): boolean {
	return !before || !after || before.exists !== after.exists || before.inode !== after.inode;
}

/** True when a cgroup appeared, vanished or was recreated between two samplings. */
export function cgroupsChanged(previous: ReadonlyMap<string, CgroupSample>, current: ReadonlyMap<string, CgroupSample>): boolean {
	if (previous.size !== current.size) return true;
	for (const [key, sample] of current) if (cgroupRecreated(previous.get(key), sample)) return true;
	return false;
}
