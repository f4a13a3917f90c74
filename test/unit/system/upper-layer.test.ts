import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {resolveSteamcmd} from '../../../source/cli/install-commands.js';
import {makePaths} from '../../../source/core/paths.js';
import {isMountPoint, listUpperLayer} from '../../../source/system/upper-layer.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

let root: string;
beforeEach(() => {
	root = tempDir('upper');
});
afterEach(() => removeTree(root));

describe('listUpperLayer', () => {
	it('lists files, dirs and symlinks (never followed) with bytes, sorted', () => {
		writeTree(root, {'runtime/a/upper/left4dead2/cfg/server.cfg': 'hostname x\n', 'runtime/a/upper/z.log': 'zz'});
		symlinkSync('/etc', join(root, 'runtime/a/upper/etc-link'));
		const listing = listUpperLayer(makePaths(root), 'a');
		expect(listing).toEqual({
			upper: join(root, 'runtime/a/upper'),
			exists: true,
			entries: [
				{path: 'etc-link', type: 'symlink', bytes: 4},
				{path: 'left4dead2', type: 'directory', bytes: 0},
				{path: 'left4dead2/cfg', type: 'directory', bytes: 0},
				{path: 'left4dead2/cfg/server.cfg', type: 'file', bytes: 11},
				{path: 'z.log', type: 'file', bytes: 2},
			],
			totalBytes: 17,
			unreadable: [],
		});
	});

	it('an instance that never ran has an empty listing', () => {
		expect(listUpperLayer(makePaths(root), 'ghost')).toMatchObject({exists: false, entries: [], totalBytes: 0});
		mkdirSync(join(root, 'runtime/b'), {recursive: true});
		writeFileSync(join(root, 'runtime/b/upper'), 'not a dir');
		expect(listUpperLayer(makePaths(root), 'b')).toMatchObject({exists: false, entries: []});
	});
});

describe('isMountPoint', () => {
	const info = ['22 1 8:1 / / rw - ext4 /dev/sda1 rw', '36 22 0:32 / /var/lib/left4me/runtime/a\\040b/merged rw - overlay left4me-a rw', ''].join('\n');
	it.each([
		['/var/lib/left4me/runtime/a b/merged', true],
		['/', true],
		['/var/lib/left4me/runtime/a', false],
		['/var/lib/left4me/runtime/a\\040b/merged', false],
	])('%s -> %s', (point, expected) => {
		expect(isMountPoint(info, point)).toBe(expected);
	});
});

describe('resolveSteamcmd', () => {
	it('takes --steamcmd, else STEAMCMD= from the config file, else /usr/games/steamcmd', () => {
		const conf = join(root, 'left4me.conf');
		expect(resolveSteamcmd(undefined, conf)).toBe('/usr/games/steamcmd');
		writeFileSync(conf, '# host config\nSTEAMCMD=/opt/steamcmd/steamcmd.sh\n');
		expect(resolveSteamcmd(undefined, conf)).toBe('/opt/steamcmd/steamcmd.sh');
		expect(resolveSteamcmd('/x/steamcmd', conf)).toBe('/x/steamcmd');
		writeFileSync(conf, 'garbage line\n');
		expect(() => resolveSteamcmd(undefined, conf)).toThrow(/left4me\.conf: line 1: not a KEY=VALUE line/);
	});
});
