/**
 * Harness for system tests on a real systemd: a thin TypeScript face on
 * `test/system/container.sh` (which boots Debian trixie in systemd-nspawn).
 *
 * The project checkout is bound read-only at `/src` inside the container.
 */
import {createHash} from 'node:crypto';
import {spawn as spawnChild, type ChildProcess} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {delimiter, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';

/** Absolute path of container.sh (next to this file). */
export const CONTAINER_SH = fileURLToPath(new URL('./container.sh', import.meta.url));

/** Where the checkout appears inside the container. */
export const SOURCE_MOUNT = '/src';

/** Result of a finished command: exit status (null when killed by a signal) and its whole output. */
export type ExecResult = {exitCode: number | null; stdout: string; stderr: string};

/** Options for {@link Container.exec}. */
export type ExecOptions = {
	/** Run as this user (looked up inside); default root. */
	user?: string;
	/** Written to the command's stdin, then closed; default: stdin is /dev/null. */
	input?: string;
	/** Throw when the exit status is not 0 (default true). */
	reject?: boolean;
};

/** A long-running command inside the container (e.g. `journalctl -f`). */
export type SpawnedCommand = {
	/** The host-side child (its stdout/stderr are pipes; stdin is /dev/null). */
	child: ChildProcess;
	/** Sends `signal` (default SIGTERM) to the whole process group on the host side. */
	kill: (signal?: NodeJS.Signals) => void;
	/** Resolves with the exit status (null when killed by a signal) once it ended. */
	exited: Promise<number | null>;
};

/** A booted container. */
export type Container = {
	/** Machine name (also the hostname inside). */
	readonly name: string;
	/** Host PID of systemd-nspawn. */
	readonly nspawnPid: number;
	/** Host PID of the container's PID 1 (systemd). */
	readonly pid1: number;
	/** Host cgroup2 dir holding everything of this container; gone after down(). */
	readonly cgroupDir: string;
	/** Runs `argv` inside (no shell) and collects its output. */
	exec: (argv: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
	/** Starts `argv` inside without waiting; kill it when done (down() ends strays too). */
	spawn: (argv: readonly string[], options?: {user?: string}) => SpawnedCommand;
	/**
	 * Powers the container off cleanly and boots it again from the same root directory
	 * (what it wrote survives); resolves once systemd inside is up. nspawnPid and pid1 change.
	 */
	reboot: () => Promise<void>;
	/** Powers the container off and removes it. Idempotent. */
	down: () => Promise<void>;
};

/** Options for {@link bootContainer}. */
export type BootOptions = {
	/** Host checkout to bind read-only at /src (e.g. process.cwd()). */
	projectDir: string;
};

function onPath(command: string): boolean {
	const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin']);
	return dirs.some((dir) => {
		try {
			accessSync(join(dir, command), constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/**
 * Why system tests cannot run on this machine, or null when they can
 * (running as root, with systemd-nspawn and mmdebstrap installed).
 */
export function systemTestSkipReason(): string | null {
	if (process.getuid?.() !== 0) return 'system tests need root (they boot systemd-nspawn containers)';
	for (const command of ['systemd-nspawn', 'mmdebstrap']) {
		if (!onPath(command)) return `system tests need ${command} (apt-get install systemd-container mmdebstrap)`;
	}
	return null;
}

function execArgs(name: string, argv: readonly string[], user: string | undefined): string[] {
	return [CONTAINER_SH, 'exec', name, ...(user ? ['--user', user] : []), '--', ...argv];
}

/** Parses `container.sh status` output (KEY=VALUE lines). */
function parseStatus(text: string): Record<string, string> {
	return Object.fromEntries(
		text
			.split('\n')
			.filter((line) => line.includes('='))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
}

/**
 * Boots a fresh container named `baseName` plus a short hash of the checkout's path (a previous one of that name is removed
 * first) and resolves once systemd inside is running or degraded. The first
 * call on a machine also builds the cached rootfs (about a minute).
 * @throws Error carrying container.sh's stderr (with the tail of the boot log) when boot fails.
 */
export async function bootContainer(baseName: string, options: BootOptions): Promise<Container> {
	// Two checkouts on one machine (say, CI and a developer) get different machines; a rerun in
	// the same checkout replaces its own leftover container of the same name.
	const name = `${baseName}-${createHash('sha256').update(options.projectDir).digest('hex').slice(0, 6)}`;
	const boot = await execa('bash', [CONTAINER_SH, 'boot', name, '--bind-ro', `${options.projectDir}:${SOURCE_MOUNT}`], {
		stdin: 'ignore',
		reject: false,
	});
	if (boot.exitCode !== 0) throw new Error(`booting container ${name} failed (exit ${boot.exitCode}):\n${boot.stderr}`);
	let status = parseStatus((await execa('bash', [CONTAINER_SH, 'status', name])).stdout);

	const exec = async (argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> => {
		const r = await execa('bash', execArgs(name, argv, opts.user), {
			...(opts.input === undefined ? {stdin: 'ignore' as const} : {input: opts.input}),
			reject: false,
			stripFinalNewline: false,
		});
		const result: ExecResult = {exitCode: r.exitCode ?? null, stdout: String(r.stdout), stderr: String(r.stderr)};
		if ((opts.reject ?? true) && result.exitCode !== 0) {
			throw new Error(`in ${name}: ${JSON.stringify(argv)} exited ${result.exitCode ?? r.signal}\n${result.stderr}`);
		}
		return result;
	};

	const spawn = (argv: readonly string[], opts: {user?: string} = {}): SpawnedCommand => {
		const child = spawnChild('bash', execArgs(name, argv, opts.user), {stdio: ['ignore', 'pipe', 'pipe'], detached: true});
		const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
		const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
			// nsenter does not forward signals: hit the whole group it runs in.
			if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid, signal);
				} catch {
					// already gone
				}
			}
		};
		return {child, kill, exited};
	};

	const down = async (): Promise<void> => {
		await execa('bash', [CONTAINER_SH, 'down', name], {stdin: 'ignore'});
	};

	const reboot = async (): Promise<void> => {
		const r = await execa('bash', [CONTAINER_SH, 'reboot', name], {stdin: 'ignore', reject: false});
		if (r.exitCode !== 0) throw new Error(`rebooting container ${name} failed (exit ${r.exitCode}):\n${r.stderr}`);
		status = parseStatus((await execa('bash', [CONTAINER_SH, 'status', name])).stdout);
	};

	return {
		name,
		get nspawnPid() {
			return Number(status.nspawn_pid);
		},
		get pid1() {
			return Number(status.pid1);
		},
		cgroupDir: status.cgroup ?? '',
		exec,
		spawn,
		reboot,
		down,
	};
}

/**
 * Puts the stand-in server in place inside a container where deploy/install.sh
 * has run (one owner for this step: test/system/stage-stand-in.sh).
 */
export async function stageStandIn(container: Container): Promise<void> {
	await container.exec(['bash', `${SOURCE_MOUNT}/test/system/stage-stand-in.sh`]);
}

/**
 * Polls `probe` every 250 ms until it returns a value other than undefined (an error
 * thrown by the probe counts as "not yet"), or fails after `timeoutMs`.
 * @returns the first defined value
 * @throws Error naming `what` and the probe's last error
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
