/**
 * `install [--validate]`: installs or updates app 222860 (the L4D2 dedicated server)
 * into STATE/installation with steamcmd, run as the calling user (left4me owns
 * installation/; no root needed). Progress: a bar on a terminal (stderr), NDJSON
 * `left4me.install/1` events with --json.
 */
import {accessSync, constants, readFileSync} from 'node:fs';
import type {Command} from 'commander';
import {Left4meError} from '../core/errors.js';
import {formatBytes} from '../core/format.js';
import {parseEnvFile} from '../core/instance-env.js';
import {lineSplitter} from '../core/journal.js';
import {L4D2_APP_ID, parseSteamcmdLine, progressBar, steamcmdArgv} from '../core/steamcmd.js';
import type {Host} from '../system/host.js';
import {guard, withExamples, withJson, type CliContext} from './context.js';
import {writeJsonLine} from './output.js';

/** Version of each NDJSON line of `install --json`. */
export const INSTALL_SCHEMA = 'left4me.install/1';
/** Host config read by l4d2ctl (KEY=VALUE, EnvironmentFile syntax); `STEAMCMD=` names steamcmd. */
export const HOST_CONFIG = '/etc/left4me/left4me.conf';
/** Where Debian's steamcmd package puts it. */
export const DEFAULT_STEAMCMD = '/usr/games/steamcmd';

/**
 * The steamcmd to run: `--steamcmd`, else `STEAMCMD=` in /etc/left4me/left4me.conf, else /usr/games/steamcmd.
 * @throws Left4meError('failed') when the config file has a bad line
 */
export function resolveSteamcmd(option: string | undefined, configFile = HOST_CONFIG): string {
	if (option) return option;
	let text: string;
	try {
		text = readFileSync(configFile, 'utf8');
	} catch {
		return DEFAULT_STEAMCMD;
	}
	const {values, problems} = parseEnvFile(text);
	if (problems.length > 0) throw new Left4meError('failed', `${configFile}: ${problems[0]}`);
	return values.get('STEAMCMD') || DEFAULT_STEAMCMD;
}

/** Runs steamcmd and reports its progress. @throws Left4meError (usage, permission, failed) */
export async function installCommand(host: Host, options: {validate: boolean; steamcmd?: string; json: boolean}): Promise<void> {
	const steamcmd = resolveSteamcmd(options.steamcmd);
	const dir = host.paths.installation;
	try {
		accessSync(steamcmd, constants.X_OK);
	} catch {
		throw new Left4meError('failed', `steamcmd not found or not executable: ${steamcmd}`, `install Debian's steamcmd package, or name it with --steamcmd PATH or STEAMCMD= in ${HOST_CONFIG}`);
	}
	try {
		accessSync(dir, constants.W_OK);
	} catch {
		throw new Left4meError('permission', `${dir} is not writable by this user`, 'run it as left4me: sudo -u left4me l4d2ctl install');
	}
	const bar = !options.json && process.stderr.isTTY === true;
	let success: string | null = null;
	let failure: string | null = null;
	let lastShown = -1;
	const split = lineSplitter();
	const onLine = (raw: string) => {
		for (const part of raw.split('\r')) {
			const line = parseSteamcmdLine(part);
			if (line.kind === 'progress') {
				if (options.json) writeJsonLine({schema: INSTALL_SCHEMA, type: 'progress', stateCode: line.stateCode, state: line.state, percent: line.percent, bytesDone: line.bytesDone, bytesTotal: line.bytesTotal});
				else if (bar) process.stderr.write(`\r${progressBar(line.percent, formatBytes(line.bytesDone), formatBytes(line.bytesTotal), line.state)}\u001b[K`);
				else if (Math.floor(line.percent / 10) !== lastShown) {
					lastShown = Math.floor(line.percent / 10);
					process.stderr.write(`${line.state} ${line.percent.toFixed(1)}% (${formatBytes(line.bytesDone)} / ${formatBytes(line.bytesTotal)})\n`);
				}
			} else if (line.kind === 'success') success = line.message;
			else if (line.kind === 'error') failure = line.message;
		}
	};
	const handle = host.runner.stream(steamcmdArgv(steamcmd, dir, options.validate), (chunk) => {
		for (const line of split(chunk)) onLine(line);
	});
	const stop = () => handle.stop();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const {exitCode} = await handle.done;
	for (const line of split('\n')) onLine(line);
	process.off('SIGINT', stop);
	process.off('SIGTERM', stop);
	if (bar) process.stderr.write('\n');
	const ok = exitCode === 0 && success !== null && failure === null;
	const message: string = ok ? (success ?? '') : (failure ?? `steamcmd exited ${exitCode ?? 'on a signal'} without "Success! App '${L4D2_APP_ID}' fully installed."`);
	if (options.json) writeJsonLine({schema: INSTALL_SCHEMA, type: 'result', ok, app: L4D2_APP_ID, dir, validate: options.validate, message, exitCode});
	if (!ok) throw new Left4meError('failed', `install of app ${L4D2_APP_ID} failed: ${message}`, 'run it again; with --validate to check every file');
	if (!options.json) process.stdout.write(`installed app ${L4D2_APP_ID} in ${dir}${options.validate ? ' (validated)' : ''}\n`);
}

/** Registers `install`. */
export function registerInstallCommands(program: Command, ctx: CliContext): void {
	const install = program
		.command('install')
		.description(`install or update the L4D2 dedicated server (steamcmd app ${L4D2_APP_ID}) into installation/`)
		.option('--validate', 'check every installed file and repair what differs (slow)', false)
		.option('--steamcmd <path>', `steamcmd to run (default: STEAMCMD= in ${HOST_CONFIG}, else ${DEFAULT_STEAMCMD})`);
	withJson(install, 'NDJSON: left4me.install/1 progress events, then one result event');
	withExamples(install, ['sudo -u left4me l4d2ctl install', 'sudo -u left4me l4d2ctl install --validate --json']);
	install.action(async (o: {validate: boolean; steamcmd?: string; json: boolean}) => guard(o.json, () => installCommand(ctx.host(), o)));
}
