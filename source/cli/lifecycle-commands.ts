/**
 * start, stop, restart, enable, disable and reset, each on one instance, several
 * names, or `--all`. One name prints a `left4me.action/1` document; several names
 * or --all print one `left4me.bulk/1` document and exit 5 (partial) when any failed.
 */
import type {Command} from 'commander';
import {parseTimeout, restartWhenEmpty} from './game-commands.js';
import {asLeft4meError, Left4meError} from '../core/errors.js';
import {formatBytes} from '../core/format.js';
import {serverUnit} from '../core/paths.js';
import type {Host} from '../system/host.js';
import type {SystemctlVerb} from '../system/privileged.js';
import {ACTION_SCHEMA} from './commands.js';
import {confirm, guard, withExamples, withJson, type CliContext} from './context.js';
import {writeJson} from './output.js';
import {explainStartFailure, resetInstance} from '../system/reset.js';
import {resetPlan} from './reset.js';

/** Version of the result of an action on several instances. */
export const BULK_SCHEMA = 'left4me.bulk/1';

type Action = 'start' | 'stop' | 'restart' | 'enable' | 'disable' | 'reset';
type Extra = Record<string, unknown>;

const VERB_OF: Readonly<Record<Exclude<Action, 'reset'>, SystemctlVerb>> = {start: 'enable', enable: 'enable', stop: 'disable', disable: 'disable', restart: 'restart'};
const PAST: Readonly<Record<Action, string>> = {start: 'started', enable: 'started', stop: 'stopped', disable: 'stopped', restart: 'restarted', reset: 'reset'};
async function systemctlAction(host: Host, action: Exclude<Action, 'reset'>, name: string): Promise<Extra> {
	host.instances.read(name);
	try {
		await host.privileged.systemctl(VERB_OF[action], name);
	} catch (error) {
		throw VERB_OF[action] === 'disable' ? error : await explainStartFailure(host, name, error);
	}
	return {};
}

function humanResult(action: Action, name: string, extra: Extra): string {
	if (action === 'reset') {
		const again = extra.restarted ? ', started again' : ' (was not running; stays stopped)';
		return `reset ${name}: discarded ${String(extra.discardedEntries)} entries, ${formatBytes(Number(extra.discardedBytes))}${again}`;
	}
	return `${PAST[action]} ${name} (${serverUnit(name)})`;
}

/**
 * Runs `one` on each target. One name: an action document, the error thrown as is.
 * Several or --all: a bulk document, then Left4meError('partial') if any failed.
 */
export async function runOnTargets(host: Host, action: Action, targets: readonly string[], single: boolean, json: boolean, one: (name: string) => Promise<Extra>): Promise<void> {
	if (single) {
		const name = targets[0]!;
		const extra = await one(name);
		if (json) writeJson({schema: ACTION_SCHEMA, action, instance: name, unit: serverUnit(name), ok: true, ...extra});
		else process.stdout.write(`${humanResult(action, name, extra)}\n`);
		return;
	}
	const results: Extra[] = [];
	for (const name of targets) {
		try {
			const extra = await one(name);
			results.push({instance: name, unit: serverUnit(name), ok: true, error: null, ...extra});
			if (!json) process.stdout.write(`${humanResult(action, name, extra)}\n`);
		} catch (error) {
			const e = asLeft4meError(error);
			results.push({instance: name, unit: serverUnit(name), ok: false, error: {code: e.code, message: e.message, hint: e.hint ?? null}});
			if (!json) process.stdout.write(`failed ${name}: ${e.message}\n`);
		}
	}
	const failed = results.filter((r) => !r.ok);
	if (json) writeJson({schema: BULK_SCHEMA, action, ok: failed.length === 0, results});
	if (failed.length > 0) {
		throw new Left4meError('partial', `${failed.length} of ${results.length} instances failed: ${failed.map((r) => r.instance).join(', ')}`, json ? 'each failure is in results[].error' : 'each failure is on its line above');
	}
}

/** Resolves `NAME...` / `--all` into the instance list. @throws Left4meError('usage') */
export function resolveTargets(host: Host, names: readonly string[], all: boolean): {targets: string[]; single: boolean} {
	if (all && names.length > 0) throw new Left4meError('usage', '--all takes no instance names');
	if (all) return {targets: host.instances.names(), single: false};
	if (names.length === 0) throw new Left4meError('usage', 'name at least one instance, or use --all');
	const targets = [...new Set(names)];
	return {targets, single: names.length === 1};
}

/** Registers start, stop, restart, enable, disable and reset. */
export function registerLifecycleCommands(program: Command, ctx: CliContext): void {
	const texts: ReadonlyArray<readonly [Exclude<Action, 'reset'>, string]> = [
		['start', 'start instances now and at every boot (systemctl enable --now)'],
		['stop', 'stop instances and keep them stopped at boot (systemctl disable --now)'],
		['restart', 'restart instances'],
		['enable', 'the same as start: enable --now'],
		['disable', 'the same as stop: disable --now'],
	];
	for (const [action, text] of texts) {
		const command = program
			.command(action)
			.description(text)
			.argument('[names...]', 'instance names')
			.option('--all', 'every instance', false);
		withJson(command, 'print a JSON result (left4me.action/1; left4me.bulk/1 for several)');
		withExamples(command, [`l4d2ctl ${action} coop1`, `l4d2ctl ${action} coop1 coop2 --json`, `l4d2ctl ${action} --all`, ...(action === 'restart' ? ['l4d2ctl restart coop1 --when-empty --timeout 30m'] : [])]);
		if (action === 'restart') {
			command
				.option('--when-empty', 'wait until the server reports 0 players (A2S_INFO), then restart', false)
				.option('--timeout <duration>', 'with --when-empty: give up after this long (e.g. 10m); default: wait for ever');
		}
		command.action(async (names: string[], o: {all: boolean; json: boolean; whenEmpty?: boolean; timeout?: string}) =>
			guard(o.json, async () => {
				const host = ctx.host();
				const {targets, single} = resolveTargets(host, names, o.all);
				if (o.timeout !== undefined && !o.whenEmpty) throw new Left4meError('usage', '--timeout only goes with --when-empty');
				if (o.whenEmpty) {
					if (!single) throw new Left4meError('usage', 'restart --when-empty takes exactly one instance name');
					await restartWhenEmpty(host, targets[0]!, {json: o.json, timeoutMs: parseTimeout(o.timeout)});
					return;
				}
				await runOnTargets(host, action, targets, single, o.json, (name) => systemctlAction(host, action, name));
			}),
		);
	}

	const reset = program
		.command('reset')
		.description('stop, discard the overlay upper layer (and work dir), start again if it was running')
		.argument('[names...]', 'instance names')
		.option('--all', 'every instance', false)
		.option('--dry-run', 'list what would be discarded (paths and bytes), change nothing', false)
		.option('-y, --yes', 'do not ask for confirmation (needed without a terminal)', false);
	withJson(reset, 'print a JSON result (left4me.action/1, left4me.bulk/1, or left4me.reset-plan/1 with --dry-run)');
	withExamples(reset, ['l4d2ctl reset coop1 --dry-run', 'l4d2ctl reset coop1 --yes', 'l4d2ctl reset --all --yes --json']);
	reset.action(async (names: string[], o: {all: boolean; dryRun: boolean; yes: boolean; json: boolean}) =>
		guard(o.json, async () => {
			const host = ctx.host();
			const {targets, single} = resolveTargets(host, names, o.all);
			if (o.dryRun) {
				if (!single) throw new Left4meError('usage', 'reset --dry-run takes exactly one instance name');
				const plan = await resetPlan(host, targets[0]!);
				if (o.json) writeJson(plan);
				else printPlan(plan);
				return;
			}
			await confirm(`reset ${targets.join(', ')} (discard the upper layer)`, o.yes, `l4d2ctl reset ${o.all ? '--all' : targets.join(' ')} --yes`);
			await runOnTargets(host, 'reset', targets, single, o.json, (name) => resetInstance(host, name));
		}),
	);
}

function printPlan(plan: Extra): void {
	const entries = plan.entries as Array<{path: string; type: string; bytes: number}>;
	const where = `${formatBytes(Number(plan.totalBytes))} in ${String(plan.upper)}`;
	const out = [entries.length === 0 ? `reset ${String(plan.instance)} would discard nothing: ${where} is empty` : `reset ${String(plan.instance)} would discard ${entries.length} entries, ${where}:`];
	for (const e of entries) out.push(`  ${formatBytes(e.bytes).padStart(9)}  ${e.type === 'directory' ? `${e.path}/` : e.path}${e.type === 'whiteout' ? ' (whiteout)' : ''}`);
	if ((plan.unreadable as string[]).length > 0) out.push(`  unreadable: ${(plan.unreadable as string[]).join(', ')}`);
	out.push(plan.wouldRestart ? 'it is running: it would be stopped and started again' : 'it is not running: it would stay stopped');
	process.stdout.write(`${out.join('\n')}\n`);
}
