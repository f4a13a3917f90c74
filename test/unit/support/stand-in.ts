import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {resolve} from 'node:path';
import {createInterface} from 'node:readline';

/** The stand-in srcds_run (test/fixtures/stand-in). */
export const STAND_IN = resolve(import.meta.dirname, '../../fixtures/stand-in/srcds_run');

export type RunningStandIn = {child: ChildProcessWithoutNullStreams; lines: string[]; port: Promise<number>};

/**
 * Starts the stand-in on a free loopback port (in `cwd` when given) and resolves the port
 * once its start-up banner is complete (UDP and TCP are then bound). Kill `child` when done.
 */
export function startStandIn(args: readonly string[], cwd?: string): RunningStandIn {
	const child = spawn(STAND_IN, ['-game', 'left4dead2', '-ip', '127.0.0.1', '-port', '0', ...args], {cwd});
	const lines: string[] = [];
	const port = new Promise<number>((resolvePort, reject) => {
		let bound = 0;
		createInterface({input: child.stdout}).on('line', (line) => {
			lines.push(line);
			const match = /^Network: IP \S+, mode MP, dedicated Yes, ports (\d+) SV/.exec(line);
			if (match) bound = Number(match[1]);
			if (line.includes('VAC secure mode is activated.') && bound) resolvePort(bound);
		});
		child.on('exit', (code) => reject(new Error(`stand-in exited (${code}) before binding`)));
	});
	return {child, lines, port};
}
