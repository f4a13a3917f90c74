/** What a game server says about itself in its A2S_INFO reply (developer.valvesoftware.com/wiki/Server_queries). Pure. */

/** Players, capacity and map of one server. */
export type GameInfo = Readonly<{
	/** Players on the server now (A2S_INFO "Players"; bots included). */
	players: number;
	/** A2S_INFO "Max. Players". */
	maxPlayers: number;
	/** Current map, e.g. `c1m1_hotel`. */
	map: string;
}>;

/** `3/8`, or `unknown` for a running server that did not answer, `-` for one that is not running. */
export function formatPlayers(info: Pick<GameInfo, 'players' | 'maxPlayers'> | {players: number | null; maxPlayers: number | null}, running: boolean): string {
	if (info.players === null || info.maxPlayers === null) return running ? 'unknown' : '-';
	return `${info.players}/${info.maxPlayers}`;
}

/** The map, `unknown` for a running server that did not answer, `-` for one that is not running. */
export function formatMap(map: string | null, running: boolean): string {
	if (map === null) return running ? 'unknown' : '-';
	return map;
}
