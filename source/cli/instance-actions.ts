/**
 * The work behind status, initialize and delete (registered in instance-commands.ts).
 */
import {readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {parse as parseYaml} from 'yaml';
import {Left4meError} from '../core/errors.js';
import {formatBytes, formatDuration, formatMemory, formatPercent, formatState} from '../core/format.js';
import {formatMap, formatPlayers} from '../core/game-info.js';
import {configOfSpec, specChanges, type InstanceSpec} from '../core/instance-spec.js';
import {nameProblem} from '../core/names.js';
import {serverUnit} from '../core/paths.js';
import {isRunningState, type InstanceView} from '../core/snapshot.js';
import {SnapshotCollector, type Host} from '../system/host.js';
import {isMountPoint, listUpperLayer} from '../system/upper-layer.js';
import {ACTION_SCHEMA} from './commands.js';
import {confirm} from './context.js';
import {writeJson} from './output.js';
import {errorsText, validatorFor} from './schemas.js';

/** Version of `status NAME --json`. */
export const STATUS_SCHEMA = 'left4me.status/1';

/**
 * `status NAME`: one instance as `list` shows it (CPU as % of one core over `intervalMs`; players and map
 * from A2S_INFO when running, `unknown` when it did not answer), plus its overlay.
 */
export async function statusCommand(host: Host, name: string, options: {json: boolean; intervalMs: number}): Promise<void> {
	host.instances.read(name);
	const collector = new SnapshotCollector(host);
	let doc = await collector.collect(true);
	// As in `list`: the A2S_INFO round started by the first collect runs alongside the CPU interval.
	if (options.intervalMs > 0) {
		await Promise.all([sleep(options.intervalMs), collector.gameSettled()]);
		doc = await collector.collect(false);
	} else {
		await collector.gameSettled();
		doc = collector.withLatestGame(doc);
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
	process.stdout.write(statusText(instance, overlay));
}

/** The overlay part of `status`: where the instance is mounted and how much its upper layer holds (bytes). */
export type StatusOverlay = Readonly<{merged: string; mounted: boolean; upperBytes: number; upperEntries: number}>;

/**
 * The human output of `status NAME`: the name, then one `key value` line each. CPU is % of one core
 * (`-` without a measurement interval); `players` and `map` (A2S_INFO) only for a running instance,
 * `unknown` when it did not answer, as in `list`. Pure.
 */
export function statusText(instance: InstanceView, overlay: StatusOverlay): string {
	const running = isRunningState(instance.state, instance.subState);
	const rows: Array<[string, string]> = [
		['unit', instance.unit],
		['state', `${formatState(instance.state, instance.result, instance.startLimitHit)}${instance.subState === instance.state ? '' : ` (${instance.subState})`}`],
		['at boot', instance.enabled ? 'enabled' : 'disabled'],
		['port', instance.port === null ? '-' : String(instance.port)],
		['layers', instance.layers.join(' > ') || '-'],
		['cpu', instance.cpuPercent === null ? '-' : `${formatPercent(instance.cpuPercent)}% of one core`],
		['memory', formatMemory(instance.memoryBytes, instance.memoryApprox)],
		['restarts', instance.restarts === null ? '-' : String(instance.restarts)],
		['uptime', formatDuration(instance.uptimeSec)],
		...(running ? ([['players', formatPlayers(instance, true)], ['map', formatMap(instance.map, true)]] as Array<[string, string]>) : []),
		['overlay', `${overlay.mounted ? 'mounted' : 'not mounted'} on ${overlay.merged}`],
		['upper layer', `${overlay.upperEntries} entries, ${formatBytes(overlay.upperBytes)}`],
	];
	if (instance.configError) rows.push(['config error', instance.configError]);
	return `${instance.name}\n${rows.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join('\n')}\n`;
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
