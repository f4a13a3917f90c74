/**
 * Instances on disk: `STATE/instances/NAME/instance.env` and `cfg/`. The only
 * module that reads or writes them (the overlay helper reads instance.env on
 * its own, as root, trusting nothing).
 */
import {mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {posix as path} from 'node:path';
import {Left4meError} from '../core/errors.js';
import {formatInstanceConfig, isValidPort, parseInstanceConfig, type InstanceConfig} from '../core/instance-env.js';
import {normalizeLayer} from '../core/layers.js';
import {isValidName, nameProblem} from '../core/names.js';
import {ALLOWED_LAYER_ROOTS, instanceEnvPath, type Paths} from '../core/paths.js';

/** Reads and creates instances. */
export interface InstanceStore {
	/** Names of all instances (directories under STATE/instances with a valid name), sorted. */
	names(): string[];
	/** The config of each named instance, or the Error that reading it gave. */
	readAll(names: readonly string[]): Map<string, InstanceConfig | Error>;
	/** @throws Left4meError('usage') for a bad name, ('not_found') when absent, ('failed') for a broken file */
	read(name: string): InstanceConfig;
	/**
	 * Creates an instance. Checks name, port (range and clash with another instance) and layers
	 * (allowlist after resolving symlinks); writes instance.env atomically and an empty cfg/.
	 * @throws Left4meError('usage' | 'conflict') and changes nothing on disk
	 */
	create(name: string, config: InstanceConfig): void;
}

/** The store on the real filesystem. */
export function createInstanceStore(paths: Paths): InstanceStore {
	const store: InstanceStore = {
		names() {
			let entries: string[];
			try {
				entries = readdirSync(paths.instances, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name);
			} catch {
				return [];
			}
			return entries.filter(isValidName).sort();
		},
		readAll(names) {
			const result = new Map<string, InstanceConfig | Error>();
			for (const name of names) {
				try {
					result.set(name, store.read(name));
				} catch (error) {
					result.set(name, error instanceof Error ? error : new Error(String(error)));
				}
			}
			return result;
		},
		read(name) {
			const problem = nameProblem(name);
			if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
			const file = instanceEnvPath(paths, name);
			let text: string;
			try {
				text = readFileSync(file, 'utf8');
			} catch {
				throw new Left4meError('not_found', `no instance named "${name}" (${file} does not exist)`, 'list instances with: l4d2ctl list');
			}
			return parseInstanceConfig(text, file);
		},
		create(name, config) {
			const problem = nameProblem(name);
			if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
			if (!isValidPort(config.port)) throw new Left4meError('usage', `invalid port ${config.port}: use 1024-65535`);
			const lowerdirs = config.lowerdirs.map((ref) => checkLayer(paths, ref));
			const existing = store.names();
			if (existing.includes(name)) throw new Left4meError('conflict', `instance "${name}" already exists`);
			for (const [other, cfg] of store.readAll(existing)) {
				if (!(cfg instanceof Error) && cfg.port === config.port) {
					throw new Left4meError('conflict', `port ${config.port} is already used by instance "${other}"`);
				}
			}
			const dir = path.join(paths.instances, name);
			mkdirSync(dir, {mode: 0o750});
			try {
				mkdirSync(path.join(dir, 'cfg'), {mode: 0o750});
				const tmp = path.join(dir, '.instance.env.tmp');
				writeFileSync(tmp, formatInstanceConfig({...config, lowerdirs}), {mode: 0o640, flag: 'wx'});
				renameSync(tmp, instanceEnvPath(paths, name));
			} catch (error) {
				removeQuietly(dir);
				throw new Left4meError('failed', `could not create instance "${name}": ${(error as Error).message}`);
			}
		},
	};
	return store;
}

/**
 * Normalises a layer and checks it exists and resolves (through symlinks) inside an allowed root.
 * @returns the layer relative to STATE
 * @throws Left4meError('usage')
 */
export function checkLayer(paths: Paths, ref: string): string {
	const normal = normalizeLayer(paths.state, ref);
	if ('error' in normal) throw new Left4meError('usage', `invalid layer: ${normal.error}`);
	let real: string;
	try {
		real = realpathSync(path.join(paths.state, normal.ok));
	} catch {
		throw new Left4meError('usage', `invalid layer: ${path.join(paths.state, normal.ok)} does not exist`);
	}
	const stateReal = realpathSync(paths.state);
	const inside = ALLOWED_LAYER_ROOTS.some((root) => {
		const base = path.join(stateReal, root);
		return real === base ? root === 'installation' : real.startsWith(`${base}/`);
	});
	if (!inside) throw new Left4meError('usage', `invalid layer: "${ref}" resolves to ${real}, outside the allowed roots`);
	return normal.ok;
}

/** Removes a directory this process has just created (mkdir without `recursive` guarantees it was new). */
function removeQuietly(dir: string): void {
	rmSync(dir, {recursive: true, force: true});
}
