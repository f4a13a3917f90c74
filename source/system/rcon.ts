/**
 * A Source RCON client over TCP (node:net) on loopback, framed by core/rcon-packet.ts.
 * The password is used for SERVERDATA_AUTH only: it never appears in an error, a log
 * line or a result.
 */
import {Socket} from 'node:net';
import {readFileSync} from 'node:fs';
import {posix as path} from 'node:path';
import {Left4meError} from '../core/errors.js';
import {encodeRconPacket, parseRconPassword, RCON_TYPE, RconDecoder, ReplyAssembler, type RconPacket} from '../core/rcon-packet.js';
import type {Paths} from '../core/paths.js';

/** An authenticated RCON connection. */
export interface RconSession {
	/**
	 * Runs one command; commands are sent one after another.
	 * @returns the whole reply text, however many packets it took
	 * @throws Left4meError('failed') on timeout or a closed connection
	 */
	command(text: string): Promise<string>;
	/** Closes the connection. Safe to call twice. */
	close(): void;
}

/** Where and how to connect. */
export type RconTarget = Readonly<{host?: string; port: number; password: string; timeoutMs?: number}>;

/** `STATE/instances/NAME/cfg/server.cfg`, staged into the game at each start. */
export function serverCfgPath(paths: Paths, name: string): string {
	return path.join(paths.instances, name, 'cfg', 'server.cfg');
}

/**
 * The instance's rcon_password from its server.cfg.
 * @throws Left4meError('usage') when the file has none, ('permission') when it cannot be read;
 *   the message never holds the password
 */
export function readRconPassword(paths: Paths, name: string): string {
	const file = serverCfgPath(paths, name);
	let text = '';
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT') {
			throw new Left4meError('permission', `cannot read ${file}: ${code ?? 'error'}`, 'run l4d2ctl as left4me or a member of the left4me group');
		}
	}
	const password = parseRconPassword(text);
	if (password === null) {
		throw new Left4meError('usage', `no rcon_password in ${file}`, `add a line rcon_password "..." there and restart ${name}`);
	}
	return password;
}

/**
 * Connects and authenticates (SERVERDATA_AUTH; srcds answers an empty RESPONSE_VALUE,
 * then AUTH_RESPONSE with our id, or -1 for a wrong password).
 * @throws Left4meError('failed') when the server cannot be reached or times out,
 *   ('permission') when it refuses the password
 */
export async function openRcon(target: RconTarget): Promise<RconSession> {
	const host = target.host ?? '127.0.0.1';
	const timeoutMs = target.timeoutMs ?? 5000;
	const where = `${host}:${target.port}`;
	const socket = new Socket();
	const decoder = new RconDecoder();
	let waiter: ((packet: RconPacket | Error) => void) | null = null;
	const backlog: Array<RconPacket | Error> = [];
	const deliver = (item: RconPacket | Error) => {
		if (waiter) waiter(item);
		else backlog.push(item);
	};
	socket.on('data', (chunk: Buffer) => {
		try {
			for (const packet of decoder.push(chunk)) deliver(packet);
		} catch (error) {
			deliver(new Left4meError('failed', `RCON on ${where}: ${(error as Error).message}`));
			socket.destroy();
		}
	});
	socket.on('error', (error) => deliver(new Left4meError('failed', `cannot reach RCON on ${where}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
	socket.on('close', () => deliver(new Left4meError('failed', `RCON on ${where} closed the connection`)));

	/** Next packet, or a Left4meError after timeoutMs. */
	const next = () =>
		new Promise<RconPacket>((resolve, reject) => {
			const item = backlog.shift();
			if (item) {
				if (item instanceof Error) reject(item);
				else resolve(item);
				return;
			}
			const timer = setTimeout(() => {
				waiter = null;
				reject(new Left4meError('failed', `RCON on ${where} did not answer within ${timeoutMs} ms`));
			}, timeoutMs);
			waiter = (got) => {
				clearTimeout(timer);
				waiter = null;
				if (got instanceof Error) reject(got);
				else resolve(got);
			};
		});

	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Left4meError('failed', `cannot reach RCON on ${where}: timed out after ${timeoutMs} ms`)), timeoutMs);
		socket.once('connect', () => {
			clearTimeout(timer);
			resolve();
		});
		socket.once('error', (error) => {
			clearTimeout(timer);
			reject(new Left4meError('failed', `cannot reach RCON on ${where}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, 'is the server running? see l4d2ctl list'));
		});
		socket.connect(target.port, host);
	}).catch((error: unknown) => {
		socket.destroy();
		throw error;
	});
	backlog.length = 0;

	let nextId = 1;
	const close = () => socket.destroy();
	try {
		const authId = nextId++;
		socket.write(encodeRconPacket(authId, RCON_TYPE.AUTH, target.password));
		for (;;) {
			const packet = await next();
			if (packet.type !== RCON_TYPE.AUTH_RESPONSE) continue;
			if (packet.id !== authId) throw new Left4meError('permission', `RCON on ${where} refused the password`, 'check rcon_password in the instance\'s cfg/server.cfg (the server reads it at start)');
			break;
		}
	} catch (error) {
		close();
		throw error;
	}

	let queue: Promise<unknown> = Promise.resolve();
	const ignored = new Set<number>();
	const run = async (text: string): Promise<string> => {
		const commandId = nextId++;
		const terminatorId = nextId++;
		socket.write(encodeRconPacket(commandId, RCON_TYPE.EXECCOMMAND, text));
		socket.write(encodeRconPacket(terminatorId, RCON_TYPE.RESPONSE_VALUE, ''));
		const reply = new ReplyAssembler(commandId, terminatorId);
		for (;;) {
			const packet = await next();
			// The extra `00 01 00 00` packet srcds sends after an echo belongs to an earlier terminator.
			if (ignored.has(packet.id)) continue;
			if (reply.accept(packet)) break;
		}
		ignored.add(terminatorId);
		return reply.text();
	};
	return {
		command(text) {
			const result = queue.then(() => run(text));
			queue = result.catch(() => undefined);
			return result;
		},
		close,
	};
}
