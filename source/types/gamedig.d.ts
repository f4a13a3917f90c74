/** The part of gamedig 5 (https://github.com/gamedig/node-gamedig) left4me uses. */
declare module 'gamedig' {
	export type QueryOptions = {
		type: string;
		host: string;
		port: number;
		givenPortOnly?: boolean;
		requestPlayers?: boolean;
		requestRules?: boolean;
		maxRetries?: number;
		socketTimeout?: number;
		attemptTimeout?: number;
	};
	export type QueryResult = {
		name: string;
		map: string;
		numplayers: number;
		maxplayers: number;
		password: boolean;
		version: string;
		raw?: Record<string, unknown>;
	};
	export class GameDig {
		constructor(options?: {listenUdpPort?: number});
		query(options: QueryOptions): Promise<QueryResult>;
	}
}
