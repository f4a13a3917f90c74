import type {ProcessRunner, RunResult, StreamHandle} from '../../../source/system/runner.js';

/** A ProcessRunner that records every argv and answers from a queue (default: exit 0, no output). */
export class FakeRunner implements ProcessRunner {
	readonly calls: Array<{argv: readonly string[]; timeoutMs?: number; stream: boolean}> = [];
	private readonly results: RunResult[] = [];
	streamChunks: string[] = [];
	streamResult: {exitCode: number | null; stderr: string} = {exitCode: 0, stderr: ''};
	stopped = 0;

	/** Queues the result of the next run(). */
	answer(result: Partial<RunResult>): this {
		this.results.push({exitCode: 0, stdout: '', stderr: '', ...result});
		return this;
	}

	async run(argv: readonly string[], options: {input?: string; timeoutMs?: number} = {}): Promise<RunResult> {
		this.calls.push({argv: [...argv], timeoutMs: options.timeoutMs, stream: false});
		return this.results.shift() ?? {exitCode: 0, stdout: '', stderr: ''};
	}

	stream(argv: readonly string[], onChunk: (text: string) => void): StreamHandle {
		this.calls.push({argv: [...argv], stream: true});
		for (const chunk of this.streamChunks) onChunk(chunk);
		return {done: Promise.resolve(this.streamResult), stop: () => void this.stopped++};
	}
}
