/**
 * Instances as things on disk and in systemd: list, status, create, initialize,
 * delete, logs. Registered by buildProgram() in main.ts.
 */
import {readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Command} from 'commander';
import {parse as parseYaml} from 'yaml';
import {Left4meError} from '../core/errors.js';
import {formatBytes, formatDuration, formatMemory, formatPercent, formatState} from '../core/format.js';
import {configOfSpec, specChanges, type InstanceSpec} from '../core/instance-spec.js';
import {nameProblem} from '../core/names.js';
import {serverUnit} from '../core/paths.js';
import {SnapshotCollector, type Host} from '../system/host.js';
import {isMountPoint, listUpperLayer} from '../system/upper-layer.js';
import {ACTION_SCHEMA, createCommand, listCommand, logsCommand, parseCount} from './commands.js';
import {confirm, guard, withExamples, withJson, type CliContext} from './context.js';
import {writeJson, writeJsonLine} from './output.js';
import {errorsText, validatorFor} from './schemas.js';

/** Version of `status NAME --json`. */
export const STATUS_SCHEMA = 'left4me.status/1';

/** `status NAME`: one instance as `list` shows it, plus its overlay. */
export async function statusCommand(host: Host, name: string, options: {json: boolean; intervalMs: number}): Promise<void> {
	host.instances.read(name);
	const collector = new SnapshotCollector(host);
	let doc = await collector.collect(true);
	if (options.intervalMs > 0) {
		await sleep(options.intervalMs);
		doc = await collector.collect(false);
	}
	const instance = doc.instances.find((i) => i.name === name);
	if (!instance) throw new Left4meError('not_found', `no instance named "${name}"`);
	const merged = `${host.paths.runtime}/${name}/merged`;
	let mountinfo = '';
	try {
		mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
	} catch {
		// no /proc: reported as not mounted
	}
	const upper = listUpperLayer(host.paths, name);
	const overlay = {merged, mounted: isMountPoint(mountinfo, merged), upperBytes: upper.totalBytes, upperEntries: upper.entries.length};
	if (options.json) {
		writeJson({schema: STATUS_SCHEMA, generatedAt: doc.generatedAt, intervalMs: doc.intervalMs, instance, overlay});
		return;
	}
	const rows: Array<[string, string]> = [
		['unit', instance.unit],
		['state', `${formatState(instance.state, instance.result)} (${instance.subState})`],
		['at boot', instance.enabled ? 'enabled' : 'disabled'],
		['port', instance.port === null ? '-' : String(instance.port)],
		['layers', instance.layers.join(' > ') || '-'],
		['cpu', formatPercent(instance.cpuPercent)],
		['memory', formatMemory(instance.memoryBytes, instance.memoryApprox)],
		['restarts', instance.restarts === null ? '-' : String(instance.restarts)],
		['uptime', formatDuration(instance.uptimeSec)],
		['overlay', `${overlay.mounted ? 'mounted' : 'not mounted'} on ${merged}`],
		['upper layer', `${overlay.upperEntries} entries, ${formatBytes(overlay.upperBytes)}`],
	];
	if (instance.configError) rows.push(['config error', instance.configError]);
	process.stdout.write(`${name}\n${rows.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join('\n')}\n`);
}

/** Reads and validates a spec file. @throws Left4meError('usage') naming the file and the problem */
export function readSpec(file: string): InstanceSpec {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new Left4meError('usage', `cannot read spec ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
	}
	let data: unknown;
	try {
		data = parseYaml(text, {prettyErrors: false});
	} catch (error) {
		throw new Left4meError('usage', `${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
	}
	const validate = validatorFor('left4me.instance-spec/1');
	if (!validate(data)) throw new Left4meError('usage', `${file}: ${errorsText(validate)}`, 'keys: port (required), layers (top first), serverCfg, args');
	const spec = data as {port: number; layers?: string[]; serverCfg?: string; args?: string};
	return {port: spec.port, layers: spec.layers ?? [], args: spec.args ?? '', ...(spec.serverCfg === undefined ? {} : {serverCfg: spec.serverCfg})};
}

/** `initialize NAME -f SPEC.yaml`: creates the instance, or updates it and says what changed. */
export async function initializeCommand(host: Host, name: string, file: string, json: boolean): Promise<void> {
	const problem = nameProblem(name);
	if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
	const spec = readSpec(file);
	const exists = host.instances.names().includes(name);
	let current = null;
	if (exists) {
		try {
			current = host.instances.read(name);
		} catch {
			current = null; // broken instance.env: the spec rewrites it
		}
	}
	const changes = specChanges(spec, current, exists ? host.instances.readCfg(name, 'server.cfg') : null);
	const config = configOfSpec(spec);
	if (!exists) host.instances.create(name, config);
	else if (changes.some((c) => c.field !== 'serverCfg')) host.instances.update(name, config);
	if (spec.serverCfg !== undefined && changes.some((c) => c.field === 'serverCfg')) host.instances.writeCfg(name, 'server.cfg', spec.serverCfg);
	let restartNeeded = false;
	if (exists && changes.length > 0) {
		const status = (await host.units.show([serverUnit(name)])).get(serverUnit(name));
		restartNeeded = ['active', 'activating', 'reloading'].includes(status?.activeState ?? '');
	}
	if (json) {
		writeJson({schema: ACTION_SCHEMA, action: 'initialize', instance: name, unit: serverUnit(name), ok: true, created: !exists, changes, restartNeeded});
		return;
	}
	const show = (v: unknown) => (v === null ? '(none)' : Array.isArray(v) ? v.join(' > ') : typeof v === 'string' && v.includes('\n') ? `${v.split('\n').length} lines` : JSON.stringify(v));
	const lines = [exists ? (changes.length === 0 ? `${name} is already as ${file} says; nothing changed` : `updated ${name}:`) : `created ${name} from ${file}:`];
	for (const c of changes) lines.push(`  ${c.field}: ${exists ? `${show(c.from)} -> ` : ''}${show(c.to)}`);
	if (restartNeeded) lines.push(`${name} is running with the old settings; apply them with: l4d2ctl restart ${name}`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

/** `delete NAME`: disable --now, then left4me-overlay purge (runtime and instance dirs). No such instance: success. */
export async function deleteCommand(host: Host, name: string, options: {yes: boolean; json: boolean}): Promise<void> {
	const problem = nameProblem(name);
	if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
	const existed = host.instances.exists(name);
	if (existed) {
		await confirm(`delete ${name} (its settings, cfg and upper layer)`, options.yes, `l4d2ctl delete ${name} --yes`);
		await host.privileged.systemctl('disable', name);
		try {
			await host.privileged.overlay('purge', name);
		} catch (error) {
			const e = error as Left4meError;
			if (e.code !== 'conflict') throw error;
			throw new Left4meError('conflict', `cannot delete ${name}: its overlay is busy (runtime/${name}/merged is still mounted after the stop); it is stopped, nothing was removed`, `find what holds it with: fuser -vm ${host.paths.runtime}/${name}/merged, then delete again`, e.argv);
		}
		// A failed unit stays listed by systemd until reset; it is gone now, so forget it.
		await host.privileged.systemctl('reset-failed', name).catch(() => undefined);
	}
	if (options.json) writeJson({schema: ACTION_SCHEMA, action: 'delete', instance: name, unit: serverUnit(name), ok: true, existed});
	else process.stdout.write(existed ? `deleted ${name}\n` : `no instance named ${name}; nothing to delete\n`);
}

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
		guard(o.json, () => createCommand(ctx.host(), name, {port: parseCount('--port', o.port, 65_535), layers: o.layer, args: o.args, json: o.json})),
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
		.argument('<name>', 'instance name')
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
		else process.stdout.write(`${doc.generatedAt}\n${doc.instances.map((i) => `  ${i.name.padEnd(16)} ${formatState(i.state, i.result).padEnd(22)} ${formatPercent(i.cpuPercent).padStart(6)} ${formatMemory(i.memoryBytes, i.memoryApprox)}`).join('\n')}\n`);
	}
}
