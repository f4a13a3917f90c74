/**
 * Instances as things on disk and in systemd: list, status, create, initialize,
 * delete, logs. Registered by buildProgram() in main.ts.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {Command} from 'commander';
import {formatMemory, formatPercent, formatState} from '../core/format.js';
import {SnapshotCollector, type Host} from '../system/host.js';
import {createCommand, listCommand, logsCommand, parseCount, parsePort} from './commands.js';
import {guard, withExamples, withJson, type CliContext} from './context.js';
import {deleteCommand, initializeCommand, statusCommand} from './instance-actions.js';
import {writeJsonLine} from './output.js';

/** Registers list, status, create, initialize, delete and logs. */
export function registerInstanceCommands(program: Command, ctx: CliContext): void {
	const list = program
		.command('list')
		.description('list instances with state, CPU % of one core and memory')
		.option('--interval <ms>', 'CPU measurement interval in ms (0: no CPU figure)', '500')
		.option('--watch', 'keep printing, one snapshot per interval (NDJSON with --json)', false);
	withJson(list, 'print one JSON document (schema left4me.list/1); NDJSON with --watch');
	withExamples(list, ['l4d2ctl list', 'l4d2ctl list --json | jq ".instances[] | {name, state}"', 'l4d2ctl list --watch --json --interval 2000']);
	list.action(async (o: {json: boolean; interval: string; watch: boolean}) =>
		guard(o.json, async () => {
			const intervalMs = parseCount('--interval', o.interval, 3_600_000);
			if (o.watch) await watchList(ctx.host(), intervalMs || 1000, o.json);
			else await listCommand(ctx.host(), {json: o.json, intervalMs: Math.min(intervalMs, 60_000)});
		}),
	);

	const status = program.command('status').description("one instance's state, usage and overlay").argument('<name>', 'instance name').option('--interval <ms>', 'CPU measurement interval in ms', '500');
	withJson(status, 'print one JSON document (schema left4me.status/1)');
	withExamples(status, ['l4d2ctl status coop1', 'l4d2ctl status coop1 --json --interval 0']);
	status.action(async (name: string, o: {json: boolean; interval: string}) =>
		guard(o.json, () => statusCommand(ctx.host(), name, {json: o.json, intervalMs: parseCount('--interval', o.interval, 60_000)})),
	);

	const create = program
		.command('create')
		.description('create an instance (does not start it)')
		.argument('<name>', 'instance name: a-z, 0-9, "_", "-"; at most 32')
		.requiredOption('--port <port>', 'game port (UDP and TCP), 1024-65535')
		.option('--layer <dir>', 'lower layer above installation, top first; repeatable (e.g. overlays/maps)', (v: string, prev: string[]) => [...prev, v], [] as string[])
		.option('--args <args>', 'extra srcds arguments', '');
	withJson(create, 'print a JSON result (left4me.action/1)');
	withExamples(create, ['l4d2ctl create coop1 --port 27015', 'l4d2ctl create versus1 --port 27016 --layer overlays/maps --args "+map c8m1_apartment"']);
	create.action(async (name: string, o: {port: string; layer: string[]; args: string; json: boolean}) =>
		guard(o.json, () => createCommand(ctx.host(), name, {port: parsePort(o.port), layers: o.layer, args: o.args, json: o.json})),
	);

	const initialize = program
		.command('initialize')
		.description('create or update an instance from a YAML spec (port, layers top first, serverCfg, args)')
		.argument('<name>', 'instance name')
		.requiredOption('-f, --file <spec.yaml>', 'the spec file');
	withJson(initialize, 'print a JSON result (left4me.action/1 with created, changes, restartNeeded)');
	withExamples(initialize, ['l4d2ctl initialize coop1 -f coop1.yaml', 'printf "port: 27015\\nlayers: [overlays/maps]\\nserverCfg: |\\n  hostname coop1\\n" > coop1.yaml']);
	initialize.action(async (name: string, o: {file: string; json: boolean}) => guard(o.json, () => initializeCommand(ctx.host(), name, o.file, o.json)));

	const del = program
		.command('delete')
		.description('stop and disable an instance, unmount it, remove its runtime and instance dirs (no such instance: nothing to do)')
		.argument('<name>', 'instance name')
		.option('-y, --yes', 'do not ask for confirmation (needed without a terminal)', false);
	withJson(del, 'print a JSON result (left4me.action/1 with existed)');
	withExamples(del, ['l4d2ctl delete coop1', 'l4d2ctl delete coop1 --yes --json']);
	del.action(async (name: string, o: {yes: boolean; json: boolean}) => guard(o.json, () => deleteCommand(ctx.host(), name, o)));

	const logs = program
		.command('logs')
		.description("print an instance's journal")
		.argument('<name>', 'instance name, or build:OVERLAY for an overlay build')
		.option('-n, --lines <n>', 'number of past lines', '100')
		.option('-f, --follow', 'keep printing new lines', false);
	withJson(logs, 'NDJSON, one left4me.log/1 record per line');
	withExamples(logs, ['l4d2ctl logs coop1 -n 20', 'l4d2ctl logs coop1 -f --json']);
	logs.action(async (name: string, o: {lines: string; follow: boolean; json: boolean}) =>
		guard(o.json, () => logsCommand(ctx.host(), name, {lines: parseCount('--lines', o.lines, 100_000), follow: o.follow, json: o.json})),
	);
}

/** `list --watch`: one snapshot per interval until SIGINT/SIGTERM; NDJSON with --json. */
async function watchList(host: Host, intervalMs: number, json: boolean): Promise<void> {
	const collector = new SnapshotCollector(host);
	await collector.collect(true);
	let stopped = false;
	const stop = () => {
		stopped = true;
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	while (!stopped) {
		await sleep(intervalMs);
		if (stopped) break;
		const doc = await collector.collect(false);
		if (json) writeJsonLine(doc);
		else process.stdout.write(`${doc.generatedAt}\n${doc.instances.map((i) => `  ${i.name.padEnd(16)} ${formatState(i.state, i.result, i.startLimitHit).padEnd(22)} ${formatPercent(i.cpuPercent).padStart(6)} ${formatMemory(i.memoryBytes, i.memoryApprox)}`).join('\n')}\n`);
	}
	host.metrics.close?.();
}
