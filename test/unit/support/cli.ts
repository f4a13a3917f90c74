/**
 * What the tests of the built `l4d2ctl` binary share: where it is, building it
 * once when missing, and the user a root test run drops to so the sudo path is taken.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The checkout's root. */
export const PROJECT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI entry. */
export const BIN = join(PROJECT, 'dist/cli/main.js');

/** When the tests run as root, helper calls are checked as an unprivileged user (nobody) so the sudo path is taken. */
export const AS_USER: {uid?: number; gid?: number} = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {};

/** Builds dist/ when it is missing (`npm test` builds first; a lone vitest run may not). @throws Error with the build output */
export function ensureBuilt(): void {
	if (existsSync(BIN)) return;
	const build = spawnSync('npm', ['run', 'build'], {cwd: PROJECT, encoding: 'utf8'});
	if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}
