/**
 * Headless commands. Each takes the Host and its parsed options, writes its
 * result through output.ts, and throws Left4meError on failure.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {Left4meError} from '../core/errors.js';
import {isValidPort} from '../core/instance-env.js';
import {formatDuration, formatMemory, formatPercent, formatState} from '../core/format.js';
import {lineSplitter, parseJournalLine, type JournalEntry} from '../core/journal.js';
import {serverUnit} from '../core/paths.js';
import {formatMap, formatPlayers} from '../core/game-info.js';
import {isRunningState, type ListDocument} from '../core/snapshot.js';
import {SnapshotCollector, type Host} from '../system/host.js';
import {checkOverlayName} from '../system/builds.js';
import {writeJson, writeJsonLine} from './output.js';
import {renderTable} from './table.js';

/** Version of action results on one instance (`create`, `start`, `reset`, `delete`, ...). */
export const ACTION_SCHEMA = 'left4me.action/1';
/** Version of each NDJSON line of `logs --json`. */
export const LOG_SCHEMA = 'left4me.log/1';

/**
 * `list`: samples cgroupfs twice, `intervalMs` apart, so CPU % covers that interval.
 * @param intervalMs measurement interval, ms (0: no CPU figure)
 */
export async function listCommand(host: Host, options: {json: boolean; intervalMs: number}): Promise<void> {
	const collector = new SnapshotCollector(host);
	let doc: ListDocument = await collector.collect(true);
	// The A2S_INFO round started by the first collect runs alongside the CPU interval.
	if (options.intervalMs > 0) {
		await Promise.all([sleep(options.intervalMs), collector.gameSettled()]);
		doc = await collector.collect(false);
	} else {
		await collector.gameSettled();
		doc = collector.withLatestGame(doc);
	}
	if (options.json) {
		writeJson(doc);
		return;
	}
	const rows = doc.instances.map((i) => [
		i.name,
		formatState(i.state, i.result, i.startLimitHit),
		i.subState,
		i.enabled ? 'yes' : 'no',
		i.port === null ? '-' : String(i.port),
		formatPercent(i.cpuPercent),
		formatMemory(i.memoryBytes, i.memoryApprox),
		i.restarts === null ? '-' : String(i.restarts),
		formatDuration(i.uptimeSec),
		formatPlayers(i, isRunningState(i.state, i.subState)),
		formatMap(i.map, isRunningState(i.state, i.subState)),
	]);
	process.stdout.write(renderTable(['NAME', 'STATE', 'SUB', 'BOOT', 'PORT', 'CPU%', 'MEMORY', 'RESTARTS', 'UPTIME', 'PLAYERS', 'MAP'], rows));
	if (doc.instances.length === 0) process.stdout.write('no instances; create one with: l4d2ctl create NAME --port PORT\n');
}

/** `create NAME --port P [--layer DIR]... [--args ARGS]`. */
export function createCommand(host: Host, name: string, options: {port: number; layers: string[]; args: string; json: boolean}): void {
	const lowerdirs = [...options.layers, 'installation'];
	host.instances.create(name, {port: options.port, lowerdirs, args: options.args});
	const result = {schema: ACTION_SCHEMA, action: 'create', instance: name, unit: serverUnit(name), ok: true};
	if (options.json) writeJson(result);
	else process.stdout.write(`created ${name} (port ${options.port}, layers ${lowerdirs.join(' > ')}); start it with: l4d2ctl start ${name}\n`);
}

/** One journal entry as an NDJSON record of `logs --json`. */
export function logRecord(entry: JournalEntry): Record<string, unknown> {
	return {
		schema: LOG_SCHEMA,
		time: entry.timeMs === null ? null : new Date(entry.timeMs).toISOString(),
		priority: entry.priority,
		unit: entry.unit,
		pid: entry.pid,
		message: entry.message,
		cursor: entry.cursor,
	};
}

function printEntry(entry: JournalEntry, json: boolean): void {
	if (json) writeJsonLine(logRecord(entry));
	else process.stdout.write(`${entry.timeMs === null ? '-' : new Date(entry.timeMs).toISOString()} ${entry.message}\n`);
}

/** `logs NAME|build:OVERLAY [-n N] [-f] [--json]`: the unit's journal through left4me-journalctl. */
export async function logsCommand(host: Host, name: string, options: {lines: number; follow: boolean; json: boolean}): Promise<void> {
	if (name.startsWith('build:')) checkOverlayName(name.slice('build:'.length));
	else host.instances.read(name);
	const split = lineSplitter();
	const emit = (text: string) => {
		for (const line of split(text)) {
			const entry = parseJournalLine(line);
			if (entry) printEntry(entry, options.json);
		}
	};
	if (!options.follow) {
		emit(`${await host.privileged.journal(name, {lines: options.lines})}\n`);
		return;
	}
	const handle = host.privileged.followJournal(name, {lines: options.lines}, emit);
	const stop = () => handle.stop();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const {exitCode, stderr} = await handle.done;
	const error = host.privileged.errorOf('left4me-journalctl', exitCode, stderr);
	if (error && exitCode !== null) throw error;
}

/** Parses a game port option: a whole number 1024-65535 (srcds runs unprivileged). @throws Left4meError('usage') */
export function parsePort(text: string): number {
	const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
	if (!isValidPort(port)) throw new Left4meError('usage', `--port must be a whole number 1024-65535 (got "${text}")`);
	return port;
}

export {parseCount} from './numbers.js';
