/**
 * Throttled A2S_INFO polling for the snapshot: at most one round every
 * {@link GAME_POLL_EVERY_MS}, and for a large fleet at most
 * {@link GAME_QUERIES_PER_SECOND} queries a second on average; every running server
 * queried in parallel with a short timeout, never awaited by the cgroup sampling (a
 * round runs in the background and its answers show up in the next snapshot).
 */
import type {GameInfo} from '../core/game-info.js';
import type {GameQuerier} from './a2s.js';

/** Least time between two rounds of queries, ms. */
export const GAME_POLL_EVERY_MS = 5000;

/**
 * Most queries a second, averaged over a round. One query through gamedig (with the
 * challenge step: two datagrams each way) costs about 0.3 ms of CPU when its code is hot,
 * and more in a dashboard that runs it only now and then (its code is never optimised,
 * and its garbage is collected with everything else): a round for 100 servers every 5 s
 * was 0.7 % of one core. With more than 5 running servers the rounds are spaced out
 * instead: 20 servers are asked every 20 s, 100 every 100 s. `list`, `status` and a
 * refresh after an action still ask at once, and `e` (restart when empty) asks its own
 * server every 2 s.
 */
export const GAME_QUERIES_PER_SECOND = 1;

/** Time between two rounds for this many running servers, ms: {@link GAME_POLL_EVERY_MS} or longer. */
export function gameRoundEveryMs(servers: number, everyMs = GAME_POLL_EVERY_MS): number {
	return Math.max(everyMs, Math.ceil((servers / GAME_QUERIES_PER_SECOND) * 1000));
}
/** Budget for one server's query (challenge step included), ms. */
export const GAME_QUERY_TIMEOUT_MS = 1500;

/** Keeps the last A2S_INFO answer of each running server. */
export class GamePoller {
	private answers = new Map<string, {port: number; info: GameInfo | null}>();
	private targets: ReadonlyMap<string, number> = new Map();
	private round: Promise<void> | null = null;
	private lastRoundAt = -Infinity;
	/** Rounds started so far; an answer is kept only if its round began after its instance was last forgotten. */
	private rounds = 0;
	private forgottenAt = new Map<string, number>();
	/** Bumped whenever `answers` changes. */
	private version = 0;
	private latestCache: {version: number; targets: ReadonlyMap<string, number>; result: ReadonlyMap<string, GameInfo | null>} | null = null;

	constructor(
		private readonly querier: GameQuerier,
		private readonly clock: () => number = () => Date.now(),
		private readonly everyMs = GAME_POLL_EVERY_MS,
		private readonly timeoutMs = GAME_QUERY_TIMEOUT_MS,
	) {}

	/**
	 * Starts a round when one is due (or `force`) and none is running. Returns at once.
	 * @param targets instance name → game port of every running server
	 */
	poll(targets: ReadonlyMap<string, number>, force = false): void {
		this.targets = targets;
		const now = this.clock();
		if (this.round || (!force && now - this.lastRoundAt < gameRoundEveryMs(targets.size, this.everyMs))) return;
		this.lastRoundAt = now;
		const asked = [...targets];
		const round = ++this.rounds;
		this.round = Promise.all(
			asked.map(async ([name, port]) => {
				const info = await this.querier.info(port, this.timeoutMs);
				// Asked before the server was replaced: the answer may be the old process's.
				if ((this.forgottenAt.get(name) ?? 0) >= round) return;
				this.answers.set(name, {port, info});
				this.version++;
			}),
		).then(
			() => void (this.round = null),
			() => void (this.round = null),
		);
	}

	/** Drops the answers of these instances (their server process was replaced), also those still on the way: they show as not yet asked. */
	forget(names: Iterable<string>): void {
		for (const name of names) {
			if (this.answers.delete(name)) this.version++;
			// A round still running may bring the old process's answer: it is dropped too.
			this.forgottenAt.set(name, this.rounds);
		}
	}

	/** Resolves when the running round (if any) has finished. */
	async settled(): Promise<void> {
		await this.round;
	}

	/**
	 * Last answer of each current target: GameInfo, or null when it did not answer.
	 * A target not asked yet, or asked on another port, is absent.
	 */
	latest(): ReadonlyMap<string, GameInfo | null> {
		// Asked on every refresh, changed only by an answer, forget() or new targets.
		if (this.latestCache && this.latestCache.version === this.version && this.latestCache.targets === this.targets) return this.latestCache.result;
		const result = new Map<string, GameInfo | null>();
		for (const [name, port] of this.targets) {
			const answer = this.answers.get(name);
			if (answer && answer.port === port) result.set(name, answer.info);
		}
		this.latestCache = {version: this.version, targets: this.targets, result};
		return result;
	}
}
