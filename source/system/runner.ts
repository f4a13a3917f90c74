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
	/** Stops the process (SIGTERM). Safe to call twice. */
	stop: () => void;
}>;

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
			return {
				done: child.then((r) => ({exitCode: r.exitCode ?? null, stderr: String(r.stderr ?? '')})),
				stop: () => {
					if (stopped) return;
					stopped = true;
					child.kill('SIGTERM');
				},
			};
		},
	};
}
