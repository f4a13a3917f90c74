// What deploy/install.sh installs: the esbuild bundle of l4d2ctl, alone (no node_modules),
// run with the V8 flags deploy/bundle.mjs names.
import {spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain ES module of the build, without type declarations
import {NODE_FLAGS} from '../../../deploy/bundle.mjs';
import {BIN, ensureBuilt, PROJECT} from '../support/cli.js';

const flags = NODE_FLAGS as string[];
let app: string;

beforeAll(() => {
	ensureBuilt();
	// The files install_app() copies, in the same layout, with no node_modules anywhere above.
	app = mkdtempSync(join(tmpdir(), 'left4me-app-'));
	mkdirSync(join(app, 'dist/cli'), {recursive: true});
	for (const f of readdirSync(join(PROJECT, 'dist/cli')).filter((f) => f === 'main.js' || /^chunk-.*\.js$/.test(f))) cpSync(join(PROJECT, 'dist/cli', f), join(app, 'dist/cli', f));
	cpSync(join(PROJECT, 'dist/schemas'), join(app, 'dist/schemas'), {recursive: true});
	cpSync(join(PROJECT, 'package.json'), join(app, 'package.json'));
});

afterAll(() => rmSync(app, {recursive: true, force: true}));

describe('the installed bundle', () => {
	it('runs with no node_modules: every dependency is inside it', () => {
		const version = spawnSync(process.execPath, [...flags, join(app, 'dist/cli/main.js'), '--version', '--json'], {cwd: app, encoding: 'utf8'});
		expect(version.stderr).toBe('');
		expect(JSON.parse(version.stdout)).toEqual({schema: 'left4me.version/1', version: JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version});
		// A YAML spec read through the bundled yaml and validated by the bundled ajv against dist/schemas.
		const spec = join(app, 'bad.yaml');
		cpSync(join(PROJECT, 'package.json'), spec);
		const bad = spawnSync(process.execPath, [join(app, 'dist/cli/main.js'), 'initialize', 'alpha', '-f', spec], {cwd: app, encoding: 'utf8', env: {...process.env, LEFT4ME_STATE_DIR: app}});
		expect(bad.status).toBe(2);
		expect(bad.stderr).toMatch(/^l4d2ctl: .*bad\.yaml: .*port/);
	});

	it('its #! line carries the V8 flags, and install.sh passes the same ones', () => {
		expect(flags.length).toBeGreaterThan(0);
		expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags.join(' ')}`);
		const install = readFileSync(join(PROJECT, 'deploy/install.sh'), 'utf8');
		expect(install).toContain(`readonly NODE_FLAGS='${flags.join(' ')}'`);
	});

	it('each flag is one Node accepts', () => {
		const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], {encoding: 'utf8'});
		expect(run.stderr).toBe('');
		expect(run.stdout).toBe('ok');
	});
});
