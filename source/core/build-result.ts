/**
 * Overlay build results and states. A build's last result is the JSON document
 * `left4me-script-sandbox finish` writes to `STATE/builds/OVERLAY.json` from the
 * unit's ExecStopPost= (systemd.exec(5): `$SERVICE_RESULT`, `$EXIT_CODE`,
 * `$EXIT_STATUS`). Pure: no I/O.
 */
import {constants} from 'node:os';
import {isValidName} from './names.js';
import {buildUnit} from './paths.js';
import type {UnitStatus} from './unit-status.js';

/** Version of the result document the helper writes (and `builds --json` embeds). */
export const BUILD_RESULT_SCHEMA = 'left4me.build-result/1';
/** Version of the `builds` document. */
export const BUILDS_SCHEMA = 'left4me.builds/1';

/** The last finished build of one overlay. */
export type BuildResult = Readonly<{
	schema: typeof BUILD_RESULT_SCHEMA;
	overlay: string;
	unit: string;
	/** systemd Result: success, exit-code, signal, timeout, core-dump, resources, ... */
	result: string;
	/** `exited`, `killed` or `dumped` (systemd's $EXIT_CODE); null when the script never ran. */
	exitCode: string | null;
	/** Exit status (`0`..`255`) or signal name (`TERM`, `KILL`); null when the script never ran. */
	exitStatus: string | null;
	/** True when `l4d2ctl cancel` stopped it. */
	cancelled: boolean;
	/** Start and end, ms since the epoch; start is null if unknown. */
	startedAtMs: number | null;
	finishedAtMs: number;
	/** Wall time of the run, ms; null if the start is unknown. */
	durationMs: number | null;
	/** sha256 (hex) of the exact script that ran. */
	scriptSha256: string | null;
}>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Parses a result file. Returns null for anything that is not a well-formed
 * `left4me.build-result/1` document (a torn or foreign file is "no result").
 */
export function parseBuildResult(text: string): BuildResult | null {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof doc !== 'object' || doc === null) return null;
	const d = doc as Record<string, unknown>;
	const overlay = str(d.overlay);
	const finishedAtMs = num(d.finishedAtMs);
	if (d.schema !== BUILD_RESULT_SCHEMA || overlay === null || !isValidName(overlay) || finishedAtMs === null) return null;
	const sha = str(d.scriptSha256);
	return {
		schema: BUILD_RESULT_SCHEMA,
		overlay,
		unit: buildUnit(overlay),
		result: str(d.result) ?? 'unknown',
		exitCode: str(d.exitCode),
		exitStatus: str(d.exitStatus),
		cancelled: d.cancelled === true,
		startedAtMs: num(d.startedAtMs),
		finishedAtMs,
		durationMs: num(d.durationMs),
		scriptSha256: sha !== null && /^[0-9a-f]{64}$/.test(sha) ? sha : null,
	};
}

/**
 * The exit status a shell would report for the script: its own status when it
 * exited, 128 + signal number when a signal ended it (signal(7)), 1 when it never ran.
 */
export function scriptExitStatus(result: BuildResult): number {
	if (result.exitCode === 'exited' && result.exitStatus !== null && /^\d{1,3}$/.test(result.exitStatus)) return Number(result.exitStatus);
	if ((result.exitCode === 'killed' || result.exitCode === 'dumped') && result.exitStatus !== null) {
		const signal = (constants.signals as Record<string, number | undefined>)[`SIG${result.exitStatus}`];
		if (signal !== undefined) return 128 + signal;
	}
	return 1;
}

/** One word for a result: `ok`, `failed (exit 3)`, `cancelled`, `timeout`, `killed (TERM)`. */
export function describeResult(result: BuildResult): string {
	if (result.cancelled) return 'cancelled';
	if (result.result === 'success') return 'ok';
	if (result.result === 'timeout') return 'timeout';
	if (result.exitCode === 'exited') return `failed (exit ${result.exitStatus ?? '?'})`;
	if (result.exitCode === 'killed' || result.exitCode === 'dumped') return `killed (${result.exitStatus ?? '?'})`;
	return `failed (${result.result})`;
}

/** One overlay in the `builds` document. */
export type BuildView = Readonly<{
	overlay: string;
	unit: string;
	/** True when overlay-scripts/OVERLAY.sh exists. */
	hasScript: boolean;
	/** `building` while the unit is active/activating/deactivating, else `idle`. */
	state: 'building' | 'idle';
	/** When the running build started (ms since the epoch); null when idle. */
	buildingSinceMs: number | null;
	lastResult: BuildResult | null;
}>;

/** The `builds` document. */
export type BuildsDocument = Readonly<{schema: typeof BUILDS_SCHEMA; generatedAt: string; overlays: readonly BuildView[]}>;

const BUSY = new Set(['active', 'activating', 'deactivating', 'reloading', 'refreshing']);

/** True when a build unit's ActiveState means a build is running. */
export function isBuilding(status: UnitStatus | undefined): boolean {
	return status !== undefined && BUSY.has(status.activeState);
}

/**
 * Which overlays are building, from unit statuses: overlay → when its build started
 * (ms since the epoch, null if unknown).
 */
export function buildingFromStatuses(overlays: readonly string[], statuses: ReadonlyMap<string, UnitStatus>): Map<string, number | null> {
	const building = new Map<string, number | null>();
	for (const overlay of overlays) {
		const status = statuses.get(buildUnit(overlay));
		if (isBuilding(status)) building.set(overlay, status?.activeEnterMs ?? null);
	}
	return building;
}

/**
 * Builds the `builds` document: every overlay that has a script, a result or a running build, sorted by name.
 * @param nowMs the document's time, ms since the epoch
 * @param building overlays being built → start (ms since the epoch) or null
 */
export function buildBuildsDocument(
	input: Readonly<{nowMs: number; scripts: readonly string[]; results: ReadonlyMap<string, BuildResult>; building: ReadonlyMap<string, number | null>}>,
): BuildsDocument {
	const names = [...new Set([...input.scripts, ...input.results.keys(), ...input.building.keys()])].sort();
	const scripts = new Set(input.scripts);
	return {
		schema: BUILDS_SCHEMA,
		generatedAt: new Date(input.nowMs).toISOString(),
		overlays: names.map((overlay) => ({
			overlay,
			unit: buildUnit(overlay),
			hasScript: scripts.has(overlay),
			state: input.building.has(overlay) ? 'building' : 'idle',
			buildingSinceMs: input.building.get(overlay) ?? null,
			lastResult: input.results.get(overlay) ?? null,
		})),
	};
}
