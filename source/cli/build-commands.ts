/**
 * Headless overlay build commands: `build`, `builds`, `cancel`. (`logs build:OVERLAY`
 * is the `logs` command's.) Builds are transient units started by
 * left4me-script-sandbox: they outlive l4d2ctl, and `--follow` only watches.
 */
import type {Command} from 'commander';
import {describeResult, scriptExitStatus, type BuildResult} from '../core/build-result.js';
import {formatDuration} from '../core/format.js';
import {lineSplitter, parseJournalLine} from '../core/journal.js';
import {buildUnit} from '../core/paths.js';
import {checkOverlayName, createBuilds, MAX_RUNTIME_SEC, type Builds} from '../system/builds.js';
import type {Host} from '../system/host.js';
import {ACTION_SCHEMA, logRecord, parseCount} from './commands.js';
import {writeJson, writeJsonLine} from './output.js';
import {renderTable} from './table.js';

/** Runs an action and reports a thrown error (main.ts's guard). */
export type Guard = (json: boolean, action: () => unknown) => Promise<void>;

/** Adds `build`, `builds` and `cancel` to the program. */
export function registerBuildCommands(program: Command, host: () => Host, guard: Guard): void {
	const builds = () => createBuilds(host());
	program
		.command('build')
		.description('run an overlay\'s build script (overlay-scripts/OVERLAY.sh) in the build sandbox')
		.argument('<overlay>', 'overlay name')
		.option('-f, --follow', 'stream the build\'s journal and exit with the script\'s exit status', false)
		.option('--max-runtime <sec>', `stop the build after SEC seconds (1-${MAX_RUNTIME_SEC})`)
		.option('--json', 'a JSON result; with --follow, NDJSON log records then the result', false)
		.action(async (overlay: string, o: {follow: boolean; maxRuntime?: string; json: boolean}) =>
			guard(o.json, () =>
				buildCommand(host(), builds(), overlay, {
					follow: o.follow,
					json: o.json,
					maxRuntimeSec: o.maxRuntime === undefined ? undefined : parseCount('--max-runtime', o.maxRuntime, MAX_RUNTIME_SEC),
				}),
			),
		);
	program
		.command('builds')
		.description('every overlay: building or idle, and its last build result')
		.option('--json', 'print one JSON document (schema left4me.builds/1)', false)
		.action(async (o: {json: boolean}) => guard(o.json, () => buildsCommand(builds(), {json: o.json})));
	program
		.command('cancel')
		.description('stop a running overlay build')
		.argument('<overlay>', 'overlay name')
		.option('--json', 'print a JSON result', false)
		.action(async (overlay: string, o: {json: boolean}) => guard(o.json, () => cancelCommand(builds(), overlay, {json: o.json})));
}

/** `build OVERLAY [--follow] [--max-runtime SEC] [--json]`; with --follow sets the exit status to the script's. */
export async function buildCommand(
	host: Host,
	builds: Builds,
	overlay: string,
	options: {follow: boolean; json: boolean; maxRuntimeSec?: number},
): Promise<void> {
	checkOverlayName(overlay);
	const sinceMs = Date.now();
	const report = await builds.start(overlay, {maxRuntimeSec: options.maxRuntimeSec});
	if (!options.follow) {
		if (options.json) writeJson({schema: ACTION_SCHEMA, action: 'build', overlay, unit: buildUnit(overlay), ok: true});
		else process.stdout.write(`${report.replace(/^left4me-script-sandbox: /, '')}; follow it with: l4d2ctl logs build:${overlay} -f\n`);
		return;
	}
	const split = lineSplitter();
	const handle = host.privileged.followJournal(`build:${overlay}`, {since: `@${Math.floor(sinceMs / 1000)}`}, (text) => {
		for (const line of split(text)) {
			const entry = parseJournalLine(line);
			if (!entry) continue;
			if (options.json) writeJsonLine(logRecord(entry));
			else process.stdout.write(`${entry.message}\n`);
		}
	});
	// Ctrl-C stops watching; the build itself goes on (it is a unit, not our child).
	const abort = new AbortController();
	const onSignal = () => abort.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	let result: BuildResult;
	try {
		result = await builds.waitForResult(overlay, sinceMs, {signal: abort.signal});
		// The journal may trail the result file by a moment.
		await new Promise((r) => setTimeout(r, 1000));
	} catch (error) {
		if (abort.signal.aborted) {
			process.stderr.write(`l4d2ctl: stopped following; ${buildUnit(overlay)} keeps running (l4d2ctl builds)\n`);
			process.exitCode = 130;
			return;
		}
		throw error;
	} finally {
		handle.stop();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	if (options.json) writeJsonLine(result);
	else process.stderr.write(`l4d2ctl: build ${overlay}: ${describeResult(result)} after ${formatDuration(result.durationMs === null ? null : Math.round(result.durationMs / 1000))}\n`);
	process.exitCode = scriptExitStatus(result);
}

/** `builds [--json]`. */
export async function buildsCommand(builds: Builds, options: {json: boolean}): Promise<void> {
	const doc = await builds.list();
	if (options.json) {
		writeJson(doc);
		return;
	}
	const rows = doc.overlays.map((b) => {
		const r = b.lastResult;
		return [
			b.overlay,
			b.state,
			r ? describeResult(r) : '-',
			r ? new Date(r.finishedAtMs).toISOString().replace(/\.\d+Z$/, 'Z') : '-',
			r?.durationMs == null ? '-' : formatDuration(Math.round(r.durationMs / 1000)),
			r?.scriptSha256 ? r.scriptSha256.slice(0, 12) : '-',
		];
	});
	process.stdout.write(renderTable(['OVERLAY', 'STATE', 'LAST RESULT', 'FINISHED', 'TOOK', 'SCRIPT SHA256'], rows));
	if (doc.overlays.length === 0) process.stdout.write('no overlays; write a build script to /var/lib/left4me/overlay-scripts/NAME.sh\n');
}

/** `cancel OVERLAY [--json]`. */
export async function cancelCommand(builds: Builds, overlay: string, options: {json: boolean}): Promise<void> {
	await builds.cancel(overlay);
	if (options.json) writeJson({schema: ACTION_SCHEMA, action: 'cancel', overlay, unit: buildUnit(overlay), ok: true});
	else process.stdout.write(`cancelled ${overlay} (${buildUnit(overlay)})\n`);
}
