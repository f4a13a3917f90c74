/**
 * The headless side of `l4d2ctl`: commander, every command, usage errors and
 * --version. Commands live in per-area modules, each adding itself with one
 * `register…Commands(program, ctx)` call below. The entry (main.ts) comes here
 * for everything but a plain dashboard start.
 */
import {Command, CommanderError, Option} from 'commander';
import {readFileSync} from 'node:fs';
import {Left4meError} from '../core/errors.js';
import {createHost, type Host} from '../system/host.js';
import {registerBuildCommands} from './build-commands.js';
import {parseRefresh} from './dashboard-args.js';
import {registerCompletionCommands} from './completion-commands.js';
import {guard, type CliContext} from './context.js';
import {registerInstallCommands} from './install-commands.js';
import {registerInstanceCommands} from './instance-commands.js';
import {registerLifecycleCommands} from './lifecycle-commands.js';
import {reportError, writeJson} from './output.js';
import {registerGameCommands} from './game-commands.js';
import {registerShapingCommands} from './shaping-commands.js';

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return pkg.version;
}

function buildProgram(ctx: CliContext, json: boolean): Command {
	const program = new Command('l4d2ctl')
		.description('Run and watch Left 4 Dead 2 dedicated servers under systemd.\nWith no command on a terminal, opens the dashboard.')
		.version(version())
		.option('--read-only', 'dashboard without actions (wall screens)', false)
		.addOption(new Option('--refresh <ms>', 'dashboard refresh interval in ms (default: the preferences\' refreshMs, 1000)'))
		// Commander's own error text is not printed: main() reports its usage errors through
		// reportError, as one line (`l4d2ctl: MESSAGE (hint: …)`) or one JSON document.
		.configureOutput({outputError: () => undefined})
		.addHelpText('after', '\nEvery command takes --json; see l4d2ctl help COMMAND for its examples.\nExit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 permission, 5 partial, 6 conflict, 7 timeout.\n')
		.exitOverride();

	registerInstanceCommands(program, ctx);
	registerLifecycleCommands(program, ctx);
	registerInstallCommands(program, ctx);
	registerBuildCommands(program, ctx.host, guard);
	registerShapingCommands(program, ctx.host, guard);
	registerGameCommands(program, ctx.host, guard);
	registerCompletionCommands(program);

	program.action(async (o: {readOnly: boolean; refresh?: string}) =>
		guard(false, async () => {
			if (!process.stdout.isTTY || !process.stdin.isTTY) {
				throw new Left4meError('usage', 'the dashboard needs a terminal', 'for scripts use a command, e.g. l4d2ctl list --json; see l4d2ctl --help');
			}
			const {runDashboard} = await import('../ui/run-dashboard.js');
			const refreshMs = parseRefresh(o.refresh);
			await runDashboard(ctx.host(), {refreshMs, readOnly: o.readOnly});
		}),
	);
	return program;
}

/** Parses argv and runs the command; sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
	let cached: Host | undefined;
	const json = argv.includes('--json');
	if (json && (argv.includes('--version') || argv.includes('-V')) && argv.every((a) => a.startsWith('-'))) {
		writeJson({schema: 'left4me.version/1', version: version()});
		return;
	}
	const program = buildProgram({host: () => (cached ??= createHost())}, json);
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
			// Exit code 0: help or version, already written by commander.
			if (error.exitCode === 0) {
				process.exitCode = 0;
				return;
			}
			const command = first !== undefined && first !== 'help' && !first.startsWith('-') ? first : undefined;
			const hint = command ? `see l4d2ctl help ${command}` : 'see l4d2ctl --help';
			process.exitCode = reportError(new Left4meError('usage', error.message.replace(/^error: /, ''), hint), json);
			return;
		}
		process.exitCode = reportError(error, json);
	}
}

