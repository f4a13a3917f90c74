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

/** Stands in for `systemctl show` on PATH: every unit FAKE_ACTIVE (default inactive). */
export const FAKE_SYSTEMCTL = `#!/bin/sh
seen=0
for a in "$@"; do
  if [ "$seen" = 1 ]; then
    printf 'Id=%s\\nLoadState=loaded\\nActiveState=%s\\nSubState=running\\nResult=success\\nUnitFileState=enabled\\nNRestarts=0\\nMainPID=0\\nExecMainStatus=0\\nActiveEnterTimestamp=\\nControlGroup=\\n\\n' "$a" "\${FAKE_ACTIVE:-inactive}"
  fi
  [ "$a" = -- ] && seen=1
done
exit 0
`;

/** What one run of the built CLI gave; stderrLines without empty lines. */
export type BinRun = {status: number | null; stdout: string; stderr: string; stderrLines: string[]};

/**
 * Runs the built CLI to completion (30 s at most) with stdin closed.
 * @param env added to the process environment
 * @param asUser run as {@link AS_USER} (the sudo path) when the tests run as root
 */
export function runBin(args: readonly string[], options: {cwd: string; env: Record<string, string>; asUser?: boolean}): BinRun {
	const result = spawnSync(process.execPath, [BIN, ...args], {
		cwd: options.cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 30_000,
		env: {...process.env, ...options.env},
		...(options.asUser ? AS_USER : {}),
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr, stderrLines: result.stderr.split('\n').filter((l) => l !== '')};
}
