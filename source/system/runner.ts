/**
 * The one place that spawns processes. Everything takes an argv array, never a
 * shell string. Callers receive a {@link ProcessRunner}; tests pass a fake.
 */
import {execa} from 'execa';

/** Result of a finished process. */
export type RunResult = Readonly<{exitCode: number; stdout: string; stderr: string}>;

/** A long-running process whose stdout is read as it comes. */
export type StreamHandle = Readonly<{
	/** Resolves with the exit code (null when killed by a signal) and the last stderr text. */
	done: Promise<{exitCode: number | null; stderr: string}>;
	/**
	 * Stops the process: SIGTERM, sent again every {@link STOP_RESEND_MS} until it has exited,
	 * and SIGKILL after {@link STOP_GIVE_UP_MS}. Safe to call twice.
	 */
	stop: () => void;
}>;

/**
 * How often stop() sends SIGTERM again while the process lives, ms. sudo, which runs every
 * helper, can lose a SIGTERM that comes while it is still starting (seen with Debian 13's
 * `Defaults use_pty`: about 1 in 30 followers stopped 5-20 ms after their start kept
 * running, and SIGKILL to sudo leaves its command running); once started, it relays
 * SIGTERM to the command (sudo(8), "Signal handling").
 */
export const STOP_RESEND_MS = 250;
/** After this long stop() sends SIGKILL, ms. */
export const STOP_GIVE_UP_MS = 5000;

/** Spawns processes. */
export interface ProcessRunner {
	/** Runs argv to completion. Never throws for a non-zero exit; throws only when argv[0] cannot be spawned. */
	run(argv: readonly string[], options?: {input?: string; timeoutMs?: number}): Promise<RunResult>;
	/** Starts argv and calls onChunk with each piece of stdout text (UTF-8). */
	stream(argv: readonly string[], onChunk: (text: string) => void): StreamHandle;
}

/** The real runner, on execa (https://github.com/sindresorhus/execa). */
export function createProcessRunner(): ProcessRunner {
	return {
		async run(argv, options = {}) {
			const [file, ...args] = argv;
			if (!file) throw new Error('empty argv');
			const result = await execa(file, args, {
				reject: false,
				input: options.input,
				timeout: options.timeoutMs,
				stripFinalNewline: false,
				env: {LC_ALL: 'C.UTF-8', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: ''},
			});
			if (result.failed && result.exitCode === undefined) {
				throw new Error(`${file}: ${result.shortMessage}`);
			}
			return {exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '')};
		},
		stream(argv, onChunk) {
			const [file, ...args] = argv;
			if (!file) throw new Error('empty argv');
			const child = execa(file, args, {reject: false, buffer: {stdout: false, stderr: true}, stdin: 'ignore', env: {LC_ALL: 'C.UTF-8'}});
			child.stdout?.setEncoding('utf8');
			child.stdout?.on('data', (chunk: string) => onChunk(chunk));
			let stopped = false;
			let exited = false;
			const done = child.then((r) => ({exitCode: r.exitCode ?? null, stderr: String(r.stderr ?? '')}));
			void done.finally(() => {
				exited = true;
			});
			return {
				done,
				stop: () => {
					if (stopped) return;
					stopped = true;
					const startedAt = Date.now();
					const signal = () => {
						if (exited) return;
						const giveUp = Date.now() - startedAt >= STOP_GIVE_UP_MS;
						child.kill(giveUp ? 'SIGKILL' : 'SIGTERM');
						if (!giveUp) setTimeout(signal, STOP_RESEND_MS);
					};
					signal();
				},
			};
		},
	};
}
