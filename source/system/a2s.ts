/**
 * A2S_INFO queries to the game servers on loopback, through gamedig 5
 * (https://github.com/gamedig/node-gamedig, protocol `valve`), which answers the
 * S2C_CHALLENGE (0x41) that L4D2 servers send since the December 2020 update by
 * repeating the query with the challenge (developer.valvesoftware.com/wiki/Server_queries).
 * UDP packets from this process: no process is spawned.
 */
import type {GameDig} from 'gamedig';
import type {GameInfo} from '../core/game-info.js';

/** Asks one server for its A2S_INFO. */
export interface GameQuerier {
	/**
	 * Queries 127.0.0.1:port (UDP).
	 * @param timeoutMs whole budget for the query including the challenge step, ms
	 * @returns players, max players and map; null when the server did not answer in time or answered garbage
	 */
	info(port: number, timeoutMs: number): Promise<GameInfo | null>;
}

/**
 * The real querier on gamedig; one UDP socket for all queries of this process (unref'd).
 * gamedig (every protocol it knows, with their HTTP and XML libraries) is loaded on the
 * first query, not when l4d2ctl starts.
 */
export function createGameQuerier(host = '127.0.0.1'): GameQuerier {
	let dig: Promise<GameDig> | undefined;
	return {
		async info(port, timeoutMs) {
			try {
				dig ??= import('gamedig').then((m) => new m.GameDig());
				const r = await (await dig).query({
					type: 'l4d2',
					host,
					port,
					givenPortOnly: true,
					requestPlayers: false,
					requestRules: false,
					maxRetries: 1,
					socketTimeout: Math.max(100, Math.floor(timeoutMs / 2)),
					attemptTimeout: timeoutMs,
				});
				// gamedig's reader yields zeros and empty strings past the end of a short datagram:
				// a reply is whole only if the version string after the counts arrived.
				if (!Number.isInteger(r.numplayers) || !Number.isInteger(r.maxplayers) || typeof r.map !== 'string' || !r.version) return null;
				return {players: r.numplayers, maxPlayers: r.maxplayers, map: r.map};
			} catch {
				return null;
			}
		},
	};
}
