#!/usr/bin/env node
/**
 * The `l4d2ctl` entry: headless commands through commander, or the dashboard
 * when started with no command on a terminal.
 */
import {Command, CommanderError, Option} from 'commander';
import {readFileSync} from 'node:fs';
import {Left4meError} from '../core/errors.js';
import {createHost, type Host} from '../system/host.js';
import {createCommand, lifecycleCommand, listCommand, logsCommand, parseCount} from './commands.js';
import {reportError} from './output.js';
import {registerGameCommands, parseTimeout, restartWhenEmpty} from './game-commands.js';
import {registerShapingCommands} from './shaping-commands.js';

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return pkg.version;
}

/** Runs an action, turning a thrown error into one stderr line and the matching exit status. */
async function guard(json: boolean, action: () => unknown): Promise<void> {
	try {
		await action();
	} catch (error) {
		process.exitCode = reportError(error, json);
	}
}

function buildProgram(host: () => Host, json: boolean): Command {
	const program = new Command('l4d2ctl')
		.description('Run and watch Left 4 Dead 2 dedicated servers under systemd.\nWith no command on a terminal, opens the dashboard.')
		.version(version())
		.option('--read-only', 'dashboard without actions (wall screens)', false)
		.addOption(new Option('--refresh <ms>', 'dashboard refresh interval in ms').default('1000'))
		// With --json, main() reports commander's usage errors as one JSON document instead.
		.configureOutput({outputError: (text, write) => (json ? undefined : write(text))})
		.showHelpAfterError(json ? false : '(run l4d2ctl --help for usage)')
		.exitOverride();

	program
		.command('list')
		.description('list instances with state, CPU % of one core, memory, players and map')
		.option('--json', 'print one JSON document (schema left4me.list/1)', false)
		.option('--interval <ms>', 'CPU measurement interval in ms (0: no CPU figure)', '500')
		.action(async (o: {json: boolean; interval: string}) =>
			guard(o.json, () => listCommand(host(), {json: o.json, intervalMs: parseCount('--interval', o.interval, 60_000)})),
		);

	program
		.command('create')
		.description('create an instance (does not start it)')
		.argument('<name>', 'instance name: a-z, 0-9, "_", "-"; at most 32')
		.requiredOption('--port <port>', 'game port (UDP and TCP), 1024-65535')
		.option('--layer <dir>', 'lower layer above installation, top first; repeatable (e.g. overlays/maps)', (v: string, prev: string[]) => [...prev, v], [] as string[])
		.option('--args <args>', 'extra srcds arguments', '')
		.option('--json', 'print a JSON result', false)
		.action(async (name: string, o: {port: string; layer: string[]; args: string; json: boolean}) =>
			guard(o.json, () => createCommand(host(), name, {port: parseCount('--port', o.port, 65_535), layers: o.layer, args: o.args, json: o.json})),
		);

	for (const [action, text] of [
		['start', 'start an instance now and at every boot (systemctl enable --now)'],
		['stop', 'stop an instance and keep it stopped at boot (systemctl disable --now)'],
		['restart', 'restart an instance'],
	] as const) {
		const command = program
			.command(action)
			.description(text)
			.argument('<name>', 'instance name')
			.option('--json', 'print a JSON result', false);
		if (action === 'restart') {
			command
				.option('--when-empty', 'wait until the server reports 0 players (A2S_INFO), then restart', false)
				.option('--timeout <duration>', 'with --when-empty: give up after this long (e.g. 10m); default: wait for ever');
		}
		command.action(async (name: string, o: {json: boolean; whenEmpty?: boolean; timeout?: string}) =>
			guard(o.json, () => {
				if (o.timeout !== undefined && !o.whenEmpty) throw new Left4meError('usage', '--timeout only goes with --when-empty');
				return o.whenEmpty ? restartWhenEmpty(host(), name, {json: o.json, timeoutMs: parseTimeout(o.timeout)}) : lifecycleCommand(host(), action, name, {json: o.json});
			}),
		);
	}

	program
		.command('logs')
		.description("print an instance's journal")
		.argument('<name>', 'instance name')
		.option('-n, --lines <n>', 'number of past lines', '100')
		.option('-f, --follow', 'keep printing new lines', false)
		.option('--json', 'NDJSON, one left4me.log/1 record per line', false)
		.action(async (name: string, o: {lines: string; follow: boolean; json: boolean}) =>
			guard(o.json, () => logsCommand(host(), name, {lines: parseCount('--lines', o.lines, 100_000), follow: o.follow, json: o.json})),
		);

	registerShapingCommands(program, host, guard);
	registerGameCommands(program, host, guard);

	program.action(async (o: {readOnly: boolean; refresh: string}) =>
		guard(false, async () => {
			if (!process.stdout.isTTY || !process.stdin.isTTY) {
				throw new Left4meError('usage', 'the dashboard needs a terminal', 'for scripts use a command, e.g. l4d2ctl list --json; see l4d2ctl --help');
			}
			const {runDashboard} = await import('../ui/run-dashboard.js');
			await runDashboard(host(), {refreshMs: parseCount('--refresh', o.refresh, 3_600_000) || 1000, readOnly: o.readOnly});
		}),
	);
	return program;
}

/** Parses argv and runs the command; sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
	let cached: Host | undefined;
	const json = argv.includes('--json');
	const program = buildProgram(() => (cached ??= createHost()), json);
	const first = argv[0];
	// The root command has its own action (the dashboard), so commander would call a
	// mistyped command "too many arguments"; name it instead.
	if (first !== undefined && first !== 'help' && !first.startsWith('-') && !program.commands.some((c) => c.name() === first || c.aliases().includes(first))) {
		const known = program.commands.map((c) => c.name());
		process.exitCode = reportError(new Left4meError('usage', `unknown command "${first}"`, `commands: ${known.join(', ')}; see l4d2ctl --help`), json);
		return;
	}
	try {
		// `l4d2ctl help CMD` reads as `l4d2ctl CMD --help`.
		await program.parseAsync(first === 'help' ? [...argv.slice(1), '--help'] : [...argv], {from: 'user'});
	} catch (error) {
		if (error instanceof CommanderError) {
			// Without --json commander has already printed its message (or the help/version text).
			const usage = new Left4meError('usage', error.message.replace(/^error: /, ''));
			process.exitCode = error.exitCode === 0 ? 0 : json ? reportError(usage, true) : usage.exitCode;
			return;
		}
		process.exitCode = reportError(error, json);
	}
}

await main(process.argv.slice(2));
