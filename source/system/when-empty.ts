/**
 * Waiting until a server is empty, by A2S_INFO: only an answer with 0 players counts.
 * A server that does not answer is `unknown`, never empty, so silence never triggers.
 */
import {Left4meError} from '../core/errors.js';
import {formatWait} from '../core/duration.js';
import type {GameInfo} from '../core/game-info.js';

/** How often the server is asked while waiting, ms. */
export const WHEN_EMPTY_POLL_MS = 2000;
/** Budget of one query, ms. */
export const WHEN_EMPTY_QUERY_MS = 1500;

/** What the wait needs; tests pass fakes. */
export type WaitDeps = Readonly<{
	/** One A2S_INFO query; null when the server did not answer. */
	query: () => Promise<GameInfo | null>;
	/** ms since some fixed point. */
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** Called after each query with what it said (null: no answer). */
	onCheck?: (info: GameInfo | null, elapsedMs: number) => void;
}>;

/** How a finished wait went. */
export type WaitResult = Readonly<{waitedMs: number; checks: number}>;

/**
 * Polls until the server reports 0 players.
 * @param name instance name, for messages
 * @param timeoutMs give up after this long (ms); Infinity waits for ever
 * @param pollMs pause between queries (ms)
 * @throws Left4meError('timeout') naming the last answer ("3/8 players on c1m2_streets", or "no answer")
 */
export async function waitUntilEmpty(name: string, deps: WaitDeps, timeoutMs: number, pollMs = WHEN_EMPTY_POLL_MS): Promise<WaitResult> {
	const start = deps.now();
	let checks = 0;
	for (;;) {
		const info = await deps.query();
		checks++;
		const elapsed = deps.now() - start;
		deps.onCheck?.(info, elapsed);
		if (info !== null && info.players === 0) return {waitedMs: elapsed, checks};
		if (elapsed + pollMs > timeoutMs) {
			throw new Left4meError(
				'timeout',
				`gave up waiting for ${name} to empty after ${formatWait(elapsed)}: ${describeCheck(info)}; not restarted`,
				`restart now with: l4d2ctl restart ${name}`,
			);
		}
		await deps.sleep(pollMs);
	}
}

/** `3/8 players on c1m2_streets`, or `no answer to A2S_INFO (players unknown)`. */
export function describeCheck(info: GameInfo | null): string {
	return info === null ? 'no answer to A2S_INFO (players unknown)' : `${info.players}/${info.maxPlayers} players on ${info.map}`;
}
