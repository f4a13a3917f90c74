/**
 * Game-aware commands: `rcon NAME COMMAND...` and `restart NAME --when-empty`.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {Command} from 'commander';
import {parseDuration} from '../core/duration.js';
import {Left4meError} from '../core/errors.js';
import {serverUnit} from '../core/paths.js';
import {isRunningState} from '../core/snapshot.js';
import {createGameQuerier} from '../system/a2s.js';
import type {Host} from '../system/host.js';
import {openRcon, readRconPassword} from '../system/rcon.js';
import {describeCheck, waitUntilEmpty, WHEN_EMPTY_POLL_MS, WHEN_EMPTY_QUERY_MS} from '../system/when-empty.js';
import {ACTION_SCHEMA} from './commands.js';
import {writeJson} from './output.js';

/** Version of `rcon --json`. */
export const RCON_SCHEMA = 'left4me.rcon/1';

/**
 * `rcon NAME COMMAND...`: one command over Source RCON on 127.0.0.1:PORT (TCP). The unit's
 * ActiveState is read first (one `systemctl show`), so a stopped server is named as such
 * before its rcon_password is looked for.
 * @throws Left4meError('failed') `NAME is not running (inactive)` when the unit is not
 *   active, activating, deactivating or reloading
 */
export async function rconCommand(host: Host, name: string, words: readonly string[], options: {json: boolean; timeoutMs: number}): Promise<void> {
	const config = host.instances.read(name);
	const text = words.join(' ');
	if (text.trim() === '') throw new Left4meError('usage', 'rcon needs a command', `e.g. l4d2ctl rcon ${name} status`);
	const unit = serverUnit(name);
	const state = (await host.units.show([unit])).get(unit)?.activeState ?? 'unknown';
	if (!isRunningState(state)) throw new Left4meError('failed', `${name} is not running (${state})`, `start it with: l4d2ctl start ${name}`);
	const session = await openRcon({port: config.port, password: readRconPassword(host.paths, name), timeoutMs: options.timeoutMs});
	try {
		const reply = await session.command(text);
		if (options.json) writeJson({schema: RCON_SCHEMA, instance: name, command: text, reply});
		else process.stdout.write(reply.endsWith('\n') || reply === '' ? reply : `${reply}\n`);
	} finally {
		session.close();
	}
}

/**
 * `restart NAME --when-empty [--timeout D]`: polls A2S_INFO until the server reports 0
 * players, then restarts it. A server that is not running is restarted at once.
 * @throws Left4meError('timeout') when the timeout passes first (nothing restarted)
 */
export async function restartWhenEmpty(host: Host, name: string, options: {json: boolean; timeoutMs: number; pollMs?: number}): Promise<void> {
	const config = host.instances.read(name);
	const unit = serverUnit(name);
	const state = (await host.units.show([unit])).get(unit)?.activeState ?? 'unknown';
	let waited = {waitedMs: 0, checks: 0};
	if (isRunningState(state)) {
		const querier = host.game ?? createGameQuerier();
		let last = '';
		waited = await waitUntilEmpty(
			name,
			{
				query: () => querier.info(config.port, WHEN_EMPTY_QUERY_MS),
				now: () => Date.now(),
				sleep: (ms) => sleep(ms),
				onCheck: (info) => {
					const line = describeCheck(info);
					if (line !== last && !(info && info.players === 0)) process.stderr.write(`l4d2ctl: waiting for ${name} to empty: ${line}\n`);
					last = line;
				},
			},
			options.timeoutMs,
			options.pollMs ?? WHEN_EMPTY_POLL_MS,
		);
	}
	await host.privileged.systemctl('restart', name);
	const waitedSec = Math.round(waited.waitedMs / 1000);
	if (options.json) {
		writeJson({schema: ACTION_SCHEMA, action: 'restart', instance: name, unit, ok: true, whenEmpty: {wasRunning: isRunningState(state), waitedSec, checks: waited.checks}});
	} else {
		process.stdout.write(`restarted ${name} (${unit}) ${isRunningState(state) ? `once empty, after ${waitedSec}s` : 'at once: it was not running'}\n`);
	}
}

/** Parses `--timeout` (default: wait for ever). */
export function parseTimeout(text: string | undefined): number {
	return text === undefined ? Number.POSITIVE_INFINITY : parseDuration('--timeout', text);
}

/**
 * Adds `rcon`.
 * @param guard runs an action and turns errors into one line and an exit status
 */
export function registerGameCommands(program: Command, host: () => Host, guard: (json: boolean, action: () => unknown) => Promise<void>): void {
	program
		.command('rcon')
		.description("run a console command on a server over RCON (password: rcon_password in the instance's cfg/server.cfg)")
		.argument('<name>', 'instance name')
		.argument('<command...>', 'the command and its arguments, e.g. status')
		.option('--timeout <duration>', 'give up when the server does not answer for this long', '5s')
		.option('--json', `print one JSON document (schema ${RCON_SCHEMA})`, false)
		.action(async (name: string, words: string[], o: {json: boolean; timeout: string}) =>
			guard(o.json, () => rconCommand(host(), name, words, {json: o.json, timeoutMs: parseDuration('--timeout', o.timeout)})),
		);
}
