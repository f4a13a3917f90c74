/**
 * Throttled A2S_INFO polling for the snapshot: each running server asked at most every
 * {@link GAME_POLL_EVERY_MS}, and a large fleet at most {@link GAME_QUERIES_PER_SECOND}
 * queries a second, spread over time; each query has a short timeout and is never
 * awaited by the cgroup sampling (answers show up in the next snapshot).
 */
import type {GameInfo} from '../core/game-info.js';
import type {GameQuerier} from './a2s.js';

/** Least time between two queries to one server, ms. */
export const GAME_POLL_EVERY_MS = 5000;

/**
 * Most queries a second, on average. One query through gamedig (with the challenge step:
 * two datagrams each way) costs about 0.3 ms of CPU, more when its code is cold, and a
 * round for 100 servers every 5 s was 0.7 % of one core. With more than 10 running
 * servers each is asked less often, and a few at a time: 20 servers every 10 s, 100
 * every 50 s. `list`, `status` and a refresh after an action still ask everyone at once,
 * and `e` (restart when empty) asks its own server every 2 s.
 */
export const GAME_QUERIES_PER_SECOND = 2;

/** How often each server is asked, for this many running servers, ms: {@link GAME_POLL_EVERY_MS} or longer. */
export function gameRoundEveryMs(servers: number, everyMs = GAME_POLL_EVERY_MS): number {
	return Math.max(everyMs, Math.ceil((servers / GAME_QUERIES_PER_SECOND) * 1000));
}
/** Budget for one server's query (challenge step included), ms. */
export const GAME_QUERY_TIMEOUT_MS = 1500;

/** Keeps the last A2S_INFO answer of each running server. */
export class GamePoller {
	private answers = new Map<string, {port: number; info: GameInfo | null}>();
	private targets: ReadonlyMap<string, number> = new Map();
	/** Queries on their way, by instance name. */
	private inFlight = new Map<string, Promise<void>>();
	/** When each instance was last asked (clock ms); absent: never, or forgotten since. */
	private askedAt = new Map<string, number>();
	private lastPollAt: number | null = null;
	/** Queries sent so far; an answer is kept only if it was asked after its instance was last forgotten. */
	private asks = 0;
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
	 * Asks the targets that are due, without waiting for the answers. Each server is due
	 * {@link gameRoundEveryMs} after it was last asked; with `force`, every target not already
	 * being asked is asked now. Up to 5 servers are asked together; a larger fleet is asked a
	 * few at a time, longest-waiting first, {@link GAME_QUERIES_PER_SECOND} a second on average,
	 * so the cost is even over time (and gamedig's code stays warm) instead of one burst.
	 * @param targets instance name → game port of every running server
	 */
	poll(targets: ReadonlyMap<string, number>, force = false): void {
		this.targets = targets;
		const now = this.clock();
		const period = gameRoundEveryMs(targets.size, this.everyMs);
		const due: Array<[string, number]> = [];
		for (const [name, port] of targets) {
			if (this.inFlight.has(name)) continue;
			if (force || now - (this.askedAt.get(name) ?? -Infinity) >= period) due.push([name, port]);
		}
		let allowance = due.length;
		if (!force && period > this.everyMs && this.lastPollAt !== null) {
			allowance = Math.max(1, Math.floor((GAME_QUERIES_PER_SECOND * (now - this.lastPollAt)) / 1000));
		}
		this.lastPollAt = now;
		if (allowance < due.length) due.sort(([a], [b]) => (this.askedAt.get(a) ?? -Infinity) - (this.askedAt.get(b) ?? -Infinity));
		for (const [name, port] of due.slice(0, allowance)) this.ask(name, port, now);
	}

	private ask(name: string, port: number, now: number): void {
		const asked = ++this.asks;
		this.askedAt.set(name, now);
		const query = this.querier.info(port, this.timeoutMs).then(
			(info) => {
				// Asked before the server was replaced: the answer may be the old process's.
				if ((this.forgottenAt.get(name) ?? 0) >= asked) return;
				this.answers.set(name, {port, info});
				this.version++;
			},
			() => {},
		);
		this.inFlight.set(name, query);
		void query.finally(() => this.inFlight.delete(name));
	}

	/**
	 * Drops the answers of these instances (their server process was replaced), also those
	 * still on the way: they show as not yet asked. Each is asked again {@link GAME_POLL_EVERY_MS}
	 * from now, however large the fleet (a server just started may not answer yet).
	 */
	forget(names: Iterable<string>): void {
		const dueAt = this.clock() + this.everyMs;
		for (const name of names) {
			if (this.answers.delete(name)) this.version++;
			// A query still on its way may bring the old process's answer: it is dropped too.
			this.forgottenAt.set(name, this.asks);
			// One never asked is due already.
			if (this.askedAt.has(name)) this.askedAt.set(name, dueAt - gameRoundEveryMs(this.targets.size, this.everyMs));
		}
	}

	/** Resolves when every query on its way has been answered or has timed out. */
	async settled(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
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
