import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Left4meError, type ErrorCode} from '../../../source/core/errors.js';
import {parseInstanceConfig, type InstanceConfig} from '../../../source/core/instance-env.js';
import {makePaths, type Paths} from '../../../source/core/paths.js';
import {createInstanceStore, type InstanceStore} from '../../../source/system/instance-store.js';
import {listTree, removeTree, tempDir, writeTree} from '../support/tree.js';

let root: string;
let state: string;
let paths: Paths;
let store: InstanceStore;

beforeEach(() => {
	root = tempDir('store');
	state = join(root, 'left4me');
	writeTree(state, {
		'installation/srcds_run': '#!/bin/sh\n',
		'installation/left4dead2/cfg/server.cfg': 'hostname "l4d2"\n',
		'overlays/maps/left4dead2/addons/c8m1.vpk': 'vpk',
		'workshop_cache/2123456789/addon.vpk': 'vpk',
		'instances/alpha/instance.env': 'L4D2_PORT=27015\nL4D2_LOWERDIRS=installation\nL4D2_ARGS=""\n',
		'instances/broken/instance.env': 'L4D2_PORT=27020\n[Service]\n',
		'secret/key': 'do not stack me',
	});
	mkdirSync(join(state, 'instances/alpha/cfg'));
	mkdirSync(join(state, 'global_overlay_cache'));
	symlinkSync('/etc', join(state, 'overlays/evil'));
	symlinkSync('../secret', join(state, 'overlays/sneaky'));
	symlinkSync('../overlays', join(state, 'overlays/loop-to-root'));
	symlinkSync('../workshop_cache/2123456789', join(state, 'overlays/alias'));
	symlinkSync('../installation', join(state, 'overlays/base'));
	paths = makePaths(state, join(root, 'cgroup'));
	store = createInstanceStore(paths);
});

afterEach(() => removeTree(root));

function codeOf(action: () => unknown): {code: ErrorCode; message: string} {
	try {
		action();
	} catch (error) {
		expect(error).toBeInstanceOf(Left4meError);
		return {code: (error as Left4meError).code, message: (error as Left4meError).message};
	}
	throw new Error('expected a Left4meError');
}

const config = (over: Partial<InstanceConfig> = {}): InstanceConfig => ({port: 27016, lowerdirs: ['overlays/maps', 'installation'], args: '+map c8m1_apartment', ...over});

describe('create', () => {
	it('writes a parseable instance.env and an empty cfg/', () => {
		store.create('bravo', config());
		const dir = join(state, 'instances/bravo');
		expect(parseInstanceConfig(readFileSync(join(dir, 'instance.env'), 'utf8'))).toEqual(config());
		expect(readdirSync(dir).sort()).toEqual(['cfg', 'instance.env']);
		expect(readdirSync(join(dir, 'cfg'))).toEqual([]);
		expect(statSync(join(dir, 'instance.env')).mode & 0o777).toBe(0o640);
		expect(statSync(join(dir, 'cfg')).isDirectory()).toBe(true);
		expect(store.read('bravo')).toEqual(config());
		expect(store.names()).toEqual(['alpha', 'bravo', 'broken']);
	});

	it('stores layers relative to STATE, including absolute and symlinked ones inside the allowlist', () => {
		store.create('charlie', config({lowerdirs: [join(state, 'overlays/maps'), 'overlays/alias', 'overlays/base', './installation']}));
		expect(store.read('charlie').lowerdirs).toEqual(['overlays/maps', 'overlays/alias', 'overlays/base', 'installation']);
	});

	it('accepts layers when STATE itself is reached through a symlink', () => {
		symlinkSync(state, join(root, 'state-link'));
		const linked = createInstanceStore(makePaths(join(root, 'state-link'), '/sys/fs/cgroup'));
		linked.create('delta', config({lowerdirs: ['overlays/maps', 'installation']}));
		expect(existsSync(join(state, 'instances/delta/instance.env'))).toBe(true);
	});

	describe('refusals change nothing on disk', () => {
		let before: string[];
		beforeEach(() => {
			before = listTree(root);
		});
		afterEach(() => {
			expect(listTree(root)).toEqual(before);
		});

		it('duplicate name -> conflict', () => {
			expect(codeOf(() => store.create('alpha', config()))).toEqual({code: 'conflict', message: 'instance "alpha" already exists'});
		});

		it('port used by another instance -> conflict', () => {
			expect(codeOf(() => store.create('bravo', config({port: 27015})))).toEqual({code: 'conflict', message: 'port 27015 is already used by instance "alpha"'});
		});

		it.each([
			['', /name is empty/],
			['Bravo', /invalid instance name: "Bravo" may use only/],
			['../escape', /invalid instance name/],
			['a'.repeat(33), /33 characters/],
		])('invalid name %j -> usage', (name, message) => {
			const result = codeOf(() => store.create(name, config()));
			expect(result.code).toBe('usage');
			expect(result.message).toMatch(message);
		});

		it.each([80, 1023, 65_536, 27015.5])('invalid port %d -> usage', (port) => {
			expect(codeOf(() => store.create('bravo', config({port})))).toEqual({code: 'usage', message: `invalid port ${port}: use 1024-65535`});
		});

		it.each([
			['path traversal', '../../etc', /outside/],
			['absolute path outside STATE', '/etc', /outside/],
			['a root that is not allowed', 'secret', /not under/],
			['the overlays root itself', 'overlays', /names the root overlays\/ itself/],
			['symlink to /etc', 'overlays/evil', /"overlays\/evil" resolves to \/etc, outside the allowed roots/],
			['symlink to a STATE dir outside the allowlist', 'overlays/sneaky', /resolves to .*\/left4me\/secret, outside the allowed roots/],
			['symlink to the overlays root', 'overlays/loop-to-root', /outside the allowed roots/],
			['nonexistent layer', 'overlays/nope', /overlays\/nope does not exist/],
			['comma-separated list', 'overlays/maps,installation', /contains/],
			['colon-separated list', 'overlays/maps:installation', /contains/],
		])('%s -> usage', (_name, layer, message) => {
			const result = codeOf(() => store.create('bravo', config({lowerdirs: [layer, 'installation']})));
			expect(result.code).toBe('usage');
			expect(result.message).toMatch(/^invalid layer: /);
			expect(result.message).toMatch(message);
		});
	});

	it('ignores a broken instance when checking for a port clash', () => {
		store.create('bravo', config({port: 27020}));
		expect(store.read('bravo').port).toBe(27020);
	});
});

describe('names', () => {
	it('lists only directories with valid instance names, sorted', () => {
		for (const dir of ['Upper', '.hidden', 'with space', '-dash', 'zulu']) mkdirSync(join(state, 'instances', dir));
		writeFileSync(join(state, 'instances/plainfile'), '');
		expect(store.names()).toEqual(['alpha', 'broken', 'zulu']);
	});

	it('is empty when the instances directory is missing', () => {
		removeTree(join(state, 'instances'));
		expect(store.names()).toEqual([]);
	});
});

describe('read and readAll', () => {
	it('reads an instance', () => {
		expect(store.read('alpha')).toEqual({port: 27015, lowerdirs: ['installation'], args: ''});
	});

	it('gives not_found for a missing instance, with a hint', () => {
		let error: unknown;
		try {
			store.read('ghost');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(Left4meError);
		expect((error as Left4meError).code).toBe('not_found');
		expect((error as Left4meError).message).toBe(`no instance named "ghost" (${join(state, 'instances/ghost/instance.env')} does not exist)`);
		expect((error as Left4meError).hint).toBe('list instances with: l4d2ctl list');
	});

	it('gives usage for an invalid name before touching the disk', () => {
		expect(codeOf(() => store.read('../alpha')).code).toBe('usage');
	});

	it('gives failed for a broken instance.env', () => {
		expect(codeOf(() => store.read('broken'))).toEqual({code: 'failed', message: `${join(state, 'instances/broken/instance.env')}: line 2: not a KEY=VALUE line`});
	});

	it('readAll returns configs and errors side by side', () => {
		const all = store.readAll(['alpha', 'broken', 'ghost']);
		expect(all.get('alpha')).toEqual({port: 27015, lowerdirs: ['installation'], args: ''});
		expect(all.get('broken')).toBeInstanceOf(Left4meError);
		expect((all.get('ghost') as Left4meError).code).toBe('not_found');
	});

	it('readAll reads a file again only when it changed: rewritten in place, replaced, or fixed', () => {
		const file = join(state, 'instances/alpha/instance.env');
		const first = store.readAll(['alpha', 'broken']);
		const again = store.readAll(['alpha', 'broken']);
		// Unchanged: the same parsed object, not a new read.
		expect(again.get('alpha')).toBe(first.get('alpha'));
		// Rewritten in place with the same length (same inode, same size): mtime and ctime move.
		const past = new Date(Date.now() - 60_000);
		utimesSync(file, past, past);
		store.readAll(['alpha']);
		writeFileSync(file, 'L4D2_PORT=27016\nL4D2_LOWERDIRS=installation\nL4D2_ARGS=""\n');
		expect(store.readAll(['alpha']).get('alpha')).toEqual({port: 27016, lowerdirs: ['installation'], args: ''});
		// Replaced by rename, as update() does.
		store.update('alpha', config({port: 27017}));
		expect(store.readAll(['alpha']).get('alpha')).toMatchObject({port: 27017});
		// A broken file is read again every time, so fixing it shows at once.
		expect(first.get('broken')).toBeInstanceOf(Left4meError);
		writeFileSync(join(state, 'instances/broken/instance.env'), 'L4D2_PORT=27020\n');
		expect(store.readAll(['broken']).get('broken')).toMatchObject({port: 27020});
	});
});

describe('stamp', () => {
	it('is the mtime of STATE/instances, so it changes when an instance is created; null when the directory is missing', () => {
		const before = store.stamp?.();
		expect(before).toBe(statSync(join(state, 'instances')).mtimeMs);
		// Older than now, so a create in the same clock tick still moves it.
		const past = new Date(Date.now() - 60_000);
		utimesSync(join(state, 'instances'), past, past);
		const old = store.stamp?.();
		store.create('bravo', config());
		expect(store.stamp?.()).not.toBe(old);
		expect(createInstanceStore(makePaths(join(root, 'nowhere'), '/sys/fs/cgroup')).stamp?.()).toBeNull();
	});
});
