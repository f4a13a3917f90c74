/**
 * Throttled A2S_INFO polling for the snapshot: a batch of queries at most every
 * {@link GAME_POLL_EVERY_MS}, and for a large fleet at most {@link GAME_QUERIES_PER_SECOND}
 * queries a second on average; the servers of one batch are queried in parallel with a
 * short timeout, never awaited by the cgroup sampling (a batch runs in the background and
 * its answers show up in the next snapshot).
 */
import type {GameInfo} from '../core/game-info.js';
import type {GameQuerier} from './a2s.js';

/** Least time between two batches of queries, ms. */
export const GAME_POLL_EVERY_MS = 5000;

/**
 * Most queries a second, averaged over time. One query through gamedig (with the challenge
 * step: two datagrams each way) costs about 0.3 ms of CPU when its code is hot, and 0.6 to
 * 0.7 ms in a dashboard that runs it only now and then (its code is never optimised, and its
 * garbage is collected with everything else): asking 100 servers every 5 s was 0.7 % of one
 * core. With more than 5 running servers each is therefore asked less often: 20 servers
 * every 20 s, 100 every 100 s. `list`, `status` and a refresh after an action still ask
 * every server at once, and `e` (restart when empty) asks its own server every 2 s.
 */
export const GAME_QUERIES_PER_SECOND = 1;

/** How often each server is asked when this many are running (and asked at `perSecond`), ms: {@link GAME_POLL_EVERY_MS} or longer. */
export function gameRoundEveryMs(servers: number, everyMs = GAME_POLL_EVERY_MS, perSecond = GAME_QUERIES_PER_SECOND): number {
	return Math.max(everyMs, Math.ceil((servers / perSecond) * 1000));
}

/**
 * Servers asked in one batch when this many are running: all of them up to
 * `everyMs × GAME_QUERIES_PER_SECOND` (5), else that many, so that a fleet's queries are
 * spread evenly over time (100 servers: 5 every 5 s) instead of coming as one burst per
 * round. A burst of 100 gamedig queries is about 60 ms of CPU in one second.
 */
export function gameBatchSize(servers: number, everyMs = GAME_POLL_EVERY_MS): number {
	if (servers <= 0) return 0;
	return Math.min(servers, Math.ceil((servers * everyMs) / gameRoundEveryMs(servers, everyMs)));
}

/**
 * Queries a second for the servers whose rows are on screen, once the dashboard names them
 * ({@link GamePoller.poll}'s `shown`): each is asked every {@link gameRoundEveryMs} at this
 * rate, so every 5 s for up to 2 rows, every 30 s for 12, every 50 s for 20.
 */
export const GAME_SHOWN_QUERIES_PER_SECOND = 0.4;

/**
 * How often a server whose row is off screen is asked, ms. Its players and map are seen only
 * once it is scrolled to (rows scrolled on whose answers are older than a row on screen's
 * are asked in the next batches, at most {@link gameBatchSize} a batch) or when the table
 * is sorted by players.
 */
export const GAME_HIDDEN_EVERY_MS = 300_000;

/**
 * A server on screen that did not answer is asked again in the next batch, up to this many
 * times in a row, before it waits for its turn like the others: a server just started or
 * restarted (asked by the refresh after the action) may not be listening yet.
 */
export const GAME_RETRIES = 3;

/** Budget for one server's query (challenge step included), ms. */
export const GAME_QUERY_TIMEOUT_MS = 1500;

/** Keeps the last A2S_INFO answer of each running server. */
export class GamePoller {
	private answers = new Map<string, {port: number; info: GameInfo | null}>();
	private targets: ReadonlyMap<string, number> = new Map();
	private batch: Promise<void> | null = null;
	private lastBatchAt = -Infinity;
	/** Batches started so far; an answer is kept only if its batch began after its instance was last forgotten. */
	private batches = 0;
	private forgottenAt = new Map<string, number>();
	/**
	 * Instance name → when it was last asked (clock ms), in which batch, and how many of its
	 * last answers in a row were no answer; absent: never asked, or forgotten since.
	 */
	private asked = new Map<string, {at: number; batch: number; misses: number}>();
	/** A forced poll came while a batch ran: it runs when that batch ends. */
	private forcePending = false;
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
	 * Starts a batch when one is due and none is running: the {@link gameBatchSize} targets
	 * asked longest ago, those never asked (just started, or replaced) first. With `shown`
	 * (the rows on screen), a batch asks only targets whose last answer is due: every
	 * {@link gameRoundEveryMs} at {@link GAME_SHOWN_QUERIES_PER_SECOND} for a row on screen,
	 * every {@link GAME_HIDDEN_EVERY_MS} for one off screen, and every batch for one on screen
	 * that did not answer, {@link GAME_RETRIES} times in a row; those on screen first, and still
	 * at most {@link gameBatchSize} of all targets (100 servers, 12 on screen: each asked
	 * once within about 2.5 minutes of the start). `force` asks every target at once, as soon
	 * as the running batch (if any) has ended. Returns at once.
	 * @param targets instance name → game port of every running server
	 * @param shown names of the instances on screen; null: every target is asked in turn
	 */
	poll(targets: ReadonlyMap<string, number>, force = false, shown: ReadonlySet<string> | null = null): void {
		this.targets = targets;
		if (this.batch) {
			this.forcePending ||= force;
			return;
		}
		const now = this.clock();
		if (!force && now - this.lastBatchAt < this.everyMs) return;
		const size = gameBatchSize(targets.size, this.everyMs);
		const asked = force ? [...targets] : shown ? this.dueAsked(targets, size, shown, now) : this.oldestAsked(targets, size);
		if (asked.length === 0) return;
		// A forced poll (after an action) does not put off the next batch: a server it found not listening yet is asked again then.
		if (!force) this.lastBatchAt = now;
		const batch = ++this.batches;
		for (const [name] of asked) this.asked.set(name, {at: now, batch, misses: this.asked.get(name)?.misses ?? 0});
		this.batch = Promise.all(
			asked.map(async ([name, port]) => {
				const info = await this.querier.info(port, this.timeoutMs);
				// Asked before the server was replaced: the answer may be the old process's.
				if ((this.forgottenAt.get(name) ?? 0) >= batch) return;
				const entry = this.asked.get(name);
				if (entry?.batch === batch) entry.misses = info === null ? entry.misses + 1 : 0;
				// The same answer again changes nothing: latest() stays the same object.
				const before = this.answers.get(name);
				if (before && before.port === port && sameInfo(before.info, info)) return;
				this.answers.set(name, {port, info});
				this.version++;
			}),
		).then(
			() => this.ended(),
			() => this.ended(),
		);
	}

	private ended(): void {
		this.batch = null;
		if (!this.forcePending) return;
		this.forcePending = false;
		this.poll(this.targets, true);
	}

	/** The `count` targets asked longest ago, never asked first; ties in the targets' order. */
	private oldestAsked(targets: ReadonlyMap<string, number>, count: number): Array<[string, number]> {
		this.dropGone(targets);
		const entries = [...targets];
		const order = (name: string) => this.asked.get(name)?.batch ?? -1;
		// Array.prototype.sort is stable (ECMA-262 since 2019): equal batches keep the targets' order.
		return entries.sort((a, b) => order(a[0]) - order(b[0])).slice(0, count);
	}

	/**
	 * At most `count` targets whose answer is due: those on screen first, never asked before
	 * asked, then asked longest ago first. A target counts as due half a batch interval early,
	 * so that a collection that comes a few ms late does not put it off by a whole batch.
	 */
	private dueAsked(targets: ReadonlyMap<string, number>, count: number, shown: ReadonlySet<string>, now: number): Array<[string, number]> {
		this.dropGone(targets);
		let onScreen = 0;
		for (const name of targets.keys()) if (shown.has(name)) onScreen++;
		const shownEveryMs = gameRoundEveryMs(onScreen, this.everyMs, GAME_SHOWN_QUERIES_PER_SECOND);
		const slack = this.everyMs / 2;
		const due: Array<[string, number]> = [];
		for (const entry of targets) {
			const last = this.asked.get(entry[0]);
			if (last === undefined || now - last.at >= this.dueAfter(last.misses, shown.has(entry[0]), shownEveryMs) - slack) due.push(entry);
		}
		// On screen before off screen; in each, never asked (just started or replaced) or asked again after no answer first.
		const rank = ([name]: [string, number]) => (shown.has(name) ? 0 : 2) + (this.retried(name, shown) ? 0 : 1);
		const order = (name: string) => this.asked.get(name)?.batch ?? -1;
		return due.sort((a, b) => rank(a) - rank(b) || order(a[0]) - order(b[0])).slice(0, count);
	}

	/** How long after its last query a target is due, ms. */
	private dueAfter(misses: number, onScreen: boolean, shownEveryMs: number): number {
		if (!onScreen) return GAME_HIDDEN_EVERY_MS;
		return retrying(misses) ? this.everyMs : shownEveryMs;
	}

	/** Never asked, or on screen and asked again after no answer. */
	private retried(name: string, shown: ReadonlySet<string>): boolean {
		const last = this.asked.get(name);
		return last === undefined || (shown.has(name) && retrying(last.misses));
	}

	/** Names that are no longer targets are not kept: one started again is asked first. */
	private dropGone(targets: ReadonlyMap<string, number>): void {
		for (const name of this.asked.keys()) if (!targets.has(name)) this.asked.delete(name);
	}

	/** Drops the answers of these instances (their server process was replaced), also those still on the way: they show as not yet asked. */
	forget(names: Iterable<string>): void {
		for (const name of names) {
			if (this.answers.delete(name)) this.version++;
			// A batch still running may bring the old process's answer: it is dropped too.
			this.forgottenAt.set(name, this.batches);
			// The new process is asked in the next batch.
			this.asked.delete(name);
		}
	}

	/** Resolves when the running batch (if any), and a forced one that waited for it, have finished. */
	async settled(): Promise<void> {
		while (this.batch) await this.batch;
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

/** True while a server on screen with this many answers missed in a row is asked again in the next batch. */
function retrying(misses: number): boolean {
	return misses > 0 && misses <= GAME_RETRIES;
}

function sameInfo(a: GameInfo | null, b: GameInfo | null): boolean {
	return a === b || (a !== null && b !== null && a.players === b.players && a.maxPlayers === b.maxPlayers && a.map === b.map);
}
