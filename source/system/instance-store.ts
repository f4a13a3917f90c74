/**
 * Instances on disk: `STATE/instances/NAME/instance.env` and `cfg/`. The only
 * module that reads or writes them (the overlay helper reads instance.env on
 * its own, as root, trusting nothing).
 */
import {lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
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
	/**
	 * The config of each named instance, or the Error that reading it gave. A file whose
	 * inode, size, mtime and ctime (stat(2)) are those of its last good read is not read again.
	 */
	readAll(names: readonly string[]): Map<string, InstanceConfig | Error>;
	/** @throws Left4meError('usage') for a bad name, ('not_found') when absent, ('failed') for a broken file */
	read(name: string): InstanceConfig;
	/**
	 * Creates an instance. Checks name, port (range and clash with another instance) and layers
	 * (allowlist after resolving symlinks); writes instance.env atomically and an empty cfg/.
	 * @throws Left4meError('usage' | 'conflict') and changes nothing on disk
	 */
	create(name: string, config: InstanceConfig): void;
	/**
	 * Rewrites an existing instance's instance.env atomically, with the same checks as create
	 * (a port clash with itself is none). @throws Left4meError('usage' | 'not_found' | 'conflict')
	 */
	update(name: string, config: InstanceConfig): void;
	/** Text of `cfg/FILE`, or null when absent. FILE is a plain file name. */
	readCfg(name: string, file: string): string | null;
	/** Writes `cfg/FILE` atomically (mode 0640). */
	writeCfg(name: string, file: string, text: string): void;
	/** True when STATE/instances/NAME or STATE/runtime/NAME exists (even broken or half-deleted). */
	exists(name: string): boolean;
	/**
	 * A stamp that changes when an instance is created or deleted: the mtime (ms) of
	 * STATE/instances (an entry added or removed changes its directory's mtime, stat(2)); null
	 * when it cannot be read. One stat: cheap enough for every refresh tick.
	 */
	stamp?(): number | null;
}

/** The store on the real filesystem. */
export function createInstanceStore(paths: Paths): InstanceStore {
	/** name → the stat identity of instance.env at its last good read, and what it said. */
	const known = new Map<string, {identity: string; config: InstanceConfig}>();
	const identityOf = (name: string): string | null => {
		try {
			const st = statSync(instanceEnvPath(paths, name));
			return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
		} catch {
			return null;
		}
	};
	const store: InstanceStore = {
		stamp() {
			try {
				return lstatSync(paths.instances).mtimeMs;
			} catch {
				return null;
			}
		},
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
				// Stat before reading: a file replaced in between is read again next time.
				const identity = isValidName(name) ? identityOf(name) : null;
				const last = known.get(name);
				if (identity !== null && last?.identity === identity) {
					result.set(name, last.config);
					continue;
				}
				known.delete(name);
				try {
					const config = store.read(name);
					result.set(name, config);
					if (identity !== null) known.set(name, {identity, config});
				} catch (error) {
					result.set(name, error instanceof Error ? error : new Error(String(error)));
				}
			}
			for (const name of known.keys()) if (!result.has(name)) known.delete(name);
			return result;
		},
		read(name) {
			const problem = nameProblem(name);
			if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
			const file = instanceEnvPath(paths, name);
			let text: string;
			try {
				text = readFileSync(file, 'utf8');
			} catch (error) {
				if (store.names().includes(name)) {
					const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read';
					throw new Left4meError('failed', `instance "${name}" is broken: ${file} ${why}`, `rewrite it with: l4d2ctl initialize ${name} -f SPEC.yaml, or remove it with: l4d2ctl delete ${name} --yes`);
				}
				throw new Left4meError('not_found', `no instance named "${name}" (${file} does not exist)`, 'list instances with: l4d2ctl list');
			}
			try {
				return parseInstanceConfig(text, file);
			} catch (error) {
				const e = error as Left4meError;
				throw new Left4meError(e.code, e.message, `fix the file, or rewrite it with: l4d2ctl initialize ${name} -f SPEC.yaml`);
			}
		},
		create(name, config) {
			const lowerdirs = checkConfig(name, config);
			const existing = store.names();
			if (existing.includes(name)) throw new Left4meError('conflict', `instance "${name}" already exists`);
			checkPortFree(name, config.port);
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
		update(name, config) {
			const lowerdirs = checkConfig(name, config);
			if (!store.names().includes(name)) throw new Left4meError('not_found', `no instance named "${name}"`, 'list instances with: l4d2ctl list');
			checkPortFree(name, config.port);
			writeAtomic(instanceEnvPath(paths, name), formatInstanceConfig({...config, lowerdirs}));
		},
		readCfg(name, file) {
			try {
				return readFileSync(path.join(paths.instances, name, 'cfg', plainFile(file)), 'utf8');
			} catch {
				return null;
			}
		},
		writeCfg(name, file, text) {
			const dir = path.join(paths.instances, name, 'cfg');
			mkdirSync(dir, {recursive: true, mode: 0o750});
			writeAtomic(path.join(dir, plainFile(file)), text);
		},
		exists(name) {
			if (!isValidName(name)) return false;
			return [path.join(paths.instances, name), path.join(paths.runtime, name)].some((p) => {
				try {
					lstatSync(p);
					return true;
				} catch {
					return false;
				}
			});
		},
	};

	/** Checks name, port and layers; returns the layers relative to STATE. */
	function checkConfig(name: string, config: InstanceConfig): string[] {
		const problem = nameProblem(name);
		if (problem) throw new Left4meError('usage', `invalid instance name: ${problem}`);
		if (!isValidPort(config.port)) throw new Left4meError('usage', `invalid port ${config.port}: use 1024-65535`);
		return config.lowerdirs.map((ref) => checkLayer(paths, ref));
	}

	function checkPortFree(name: string, port: number): void {
		for (const [other, cfg] of store.readAll(store.names())) {
			if (other !== name && !(cfg instanceof Error) && cfg.port === port) {
				throw new Left4meError('conflict', `port ${port} is already used by instance "${other}"`);
			}
		}
	}
	return store;
}

function plainFile(file: string): string {
	if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(file)) throw new Left4meError('usage', `invalid cfg file name "${file}"`);
	return file;
}

/** Writes a file through a temp file and rename(2), so readers see the old or the new text. */
function writeAtomic(file: string, text: string): void {
	const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
	rmSync(tmp, {force: true});
	writeFileSync(tmp, text, {mode: 0o640, flag: 'wx'});
	renameSync(tmp, file);
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
