/**
 * Overlay builds: starting and cancelling them through `left4me-script-sandbox`,
 * and reading what they left behind (`STATE/builds/OVERLAY.json`) and which are
 * running (one `systemctl show` for all build units). The only module that
 * reads build results.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {buildBuildsDocument, buildingFromStatuses, isBuilding, parseBuildResult, type BuildResult, type BuildsDocument} from '../core/build-result.js';
import {Left4meError} from '../core/errors.js';
import {isValidName, nameProblem} from '../core/names.js';
import {buildControlGroup, buildResultPath, buildUnit, cgroupDir, helperPath} from '../core/paths.js';
import type {Host} from './host.js';

/** Longest build an operator may ask for, s (the helper's own bound, RuntimeMaxSec=). */
export const MAX_RUNTIME_SEC = 3600;

/** Builds of one host. */
export interface Builds {
	/** Overlay names that have `overlay-scripts/NAME.sh`, sorted. */
	scripts(): string[];
	/** The last result of an overlay, or null when it never finished a build (or the file is unreadable). */
	lastResult(overlay: string): BuildResult | null;
	/** Every overlay with a script or a result, its state and last result. @throws Left4meError when systemctl fails */
	list(): Promise<BuildsDocument>;
	/**
	 * The same document from files alone: a build is running while its unit's cgroup
	 * directory exists (cgroupfs), so the dashboard can refresh it every tick without
	 * spawning a process. `buildingSinceMs` is null here.
	 */
	snapshot(): BuildsDocument;
	/**
	 * Starts `left4me-build-OVERLAY.service` and returns at once (the unit outlives us).
	 * @param maxRuntimeSec RuntimeMaxSec= of this run, 1..3600 s; default 3600
	 * @returns the helper's one-line report
	 * @throws Left4meError: usage (bad name or runtime), not_found (no script), conflict (already building), permission, failed
	 */
	start(overlay: string, options?: {maxRuntimeSec?: number}): Promise<string>;
	/** Stops a running build and waits for its result to be written. @throws Left4meError: not_found when not building */
	cancel(overlay: string): Promise<void>;
	/**
	 * Waits until a build that started at or after `sinceMs` has its result on disk.
	 * Reads the result file every `pollMs` and the unit state every 4th poll (one
	 * `systemctl show`), and gives up when the unit stayed stopped without a result.
	 * @param sinceMs ms since the epoch, taken before the build was started
	 * @throws Left4meError('failed') when the build ended without a result
	 */
	waitForResult(overlay: string, sinceMs: number, options?: {pollMs?: number; signal?: AbortSignal}): Promise<BuildResult>;
}

/** @throws Left4meError('usage') for an invalid overlay name */
export function checkOverlayName(overlay: string): void {
	const problem = nameProblem(overlay);
	if (problem) throw new Left4meError('usage', `invalid overlay name: ${problem}`);
}

/** The build functions of a host. */
export function createBuilds(host: Host, asRoot = process.getuid?.() === 0): Builds {
	const helper = 'left4me-script-sandbox' as const;
	const argvFor = (args: readonly string[]) => (asRoot ? [helperPath(host.paths, helper), ...args] : ['sudo', '-n', '--', helperPath(host.paths, helper), ...args]);
	const runHelper = async (args: readonly string[], timeoutMs: number) => {
		const argv = argvFor(args);
		const result = await host.runner.run(argv, {timeoutMs});
		const error = host.privileged.errorOf(helper, result.exitCode, result.stderr);
		if (error) throw new Left4meError(error.code, error.message, error.hint ?? hintFor(args[0] ?? '', error.code, args[1] ?? ''), argv);
		return result.stdout.trim();
	};
	const readResults = () => {
		const results = new Map<string, BuildResult>();
		let files: string[] = [];
		try {
			files = readdirSync(host.paths.builds);
		} catch {
			return results;
		}
		for (const name of files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter(isValidName)) {
			const r = builds.lastResult(name);
			if (r) results.set(name, r);
		}
		return results;
	};
	const builds: Builds = {
		scripts() {
			try {
				return readdirSync(host.paths.overlayScripts)
					.filter((f) => f.endsWith('.sh'))
					.map((f) => f.slice(0, -3))
					.filter(isValidName)
					.sort();
			} catch {
				return [];
			}
		},
		lastResult(overlay) {
			try {
				const result = parseBuildResult(readFileSync(buildResultPath(host.paths, overlay), 'utf8'));
				return result?.overlay === overlay ? result : null;
			} catch {
				return null;
			}
		},
		async list() {
			const scripts = builds.scripts();
			const results = readResults();
			const names = [...new Set([...scripts, ...results.keys()])];
			const statuses = await host.units.show(names.map(buildUnit));
			return buildBuildsDocument({nowMs: Date.now(), scripts, results, building: buildingFromStatuses(names, statuses)});
		},
		snapshot() {
			const scripts = builds.scripts();
			const results = readResults();
			const building = new Map<string, number | null>();
			for (const name of [...new Set([...scripts, ...results.keys()])]) {
				if (existsSync(cgroupDir(host.paths, buildControlGroup(name)))) building.set(name, null);
			}
			return buildBuildsDocument({nowMs: Date.now(), scripts, results, building});
		},
		async start(overlay, options = {}) {
			checkOverlayName(overlay);
			const sec = options.maxRuntimeSec;
			if (sec !== undefined && (!Number.isInteger(sec) || sec < 1 || sec > MAX_RUNTIME_SEC)) {
				throw new Left4meError('usage', `--max-runtime must be whole seconds from 1 to ${MAX_RUNTIME_SEC} (got ${sec})`);
			}
			return runHelper(['build', overlay, ...(sec === undefined ? [] : ['--max-runtime', String(sec)])], 60_000);
		},
		async cancel(overlay) {
			checkOverlayName(overlay);
			await runHelper(['cancel', overlay], 120_000);
		},
		async waitForResult(overlay, sinceMs, options = {}) {
			const pollMs = options.pollMs ?? 500;
			let stoppedChecks = 0;
			for (let i = 0; ; i++) {
				const result = builds.lastResult(overlay);
				if (result && (result.startedAtMs ?? result.finishedAtMs) >= sinceMs) return result;
				if (i % 4 === 3) {
					const status = (await host.units.show([buildUnit(overlay)])).get(buildUnit(overlay));
					stoppedChecks = isBuilding(status) ? 0 : stoppedChecks + 1;
					if (stoppedChecks >= 3) throw new Left4meError('failed', `${buildUnit(overlay)} ended without writing a result`, `see: l4d2ctl logs build:${overlay}`);
				}
				await sleep(pollMs, undefined, {signal: options.signal});
			}
		},
	};
	return builds;
}

function hintFor(verb: string, code: string, overlay: string): string | undefined {
	if (verb === 'cancel') return code === 'not_found' ? 'l4d2ctl builds shows what is building' : undefined;
	if (code === 'conflict') return `wait for it (l4d2ctl logs build:${overlay} -f) or cancel it (l4d2ctl cancel ${overlay})`;
	if (code === 'not_found') return `write the build script to /var/lib/left4me/overlay-scripts/${overlay}.sh; see l4d2ctl builds`;
	return undefined;
}
