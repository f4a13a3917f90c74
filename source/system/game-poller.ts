/**
 * Throttled A2S_INFO polling for the snapshot: at most one round every
 * {@link GAME_POLL_EVERY_MS}, every running server queried in parallel with a short
 * timeout, never awaited by the cgroup sampling (a round runs in the background and
 * its answers show up in the next snapshot).
 */
import type {GameInfo} from '../core/game-info.js';
import type {GameQuerier} from './a2s.js';

/** Least time between two rounds of queries, ms. */
export const GAME_POLL_EVERY_MS = 5000;
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
		if (this.round || (!force && now - this.lastRoundAt < this.everyMs)) return;
		this.lastRoundAt = now;
		const asked = [...targets];
		const round = ++this.rounds;
		this.round = Promise.all(
			asked.map(async ([name, port]) => {
				const info = await this.querier.info(port, this.timeoutMs);
				// Asked before the server was replaced: the answer may be the old process's.
				if ((this.forgottenAt.get(name) ?? 0) >= round) return;
				this.answers.set(name, {port, info});
			}),
		).then(
			() => void (this.round = null),
			() => void (this.round = null),
		);
	}

	/** Drops the answers of these instances (their server process was replaced), also those still on the way: they show as not yet asked. */
	forget(names: Iterable<string>): void {
		for (const name of names) {
			this.answers.delete(name);
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
	latest(): Map<string, GameInfo | null> {
		const result = new Map<string, GameInfo | null>();
		for (const [name, port] of this.targets) {
			const answer = this.answers.get(name);
			if (answer && answer.port === port) result.set(name, answer.info);
		}
		return result;
	}
}
