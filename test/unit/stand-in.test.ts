// The stand-in srcds_run that system tests install in place of the game: console
// lines, the A2S_INFO challenge handshake, SIGTERM and requested crashes.
import type {ChildProcessWithoutNullStreams} from 'node:child_process';
import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {startStandIn, type RunningStandIn} from './support/stand-in.js';

const HEADER = Buffer.from([0xff, 0xff, 0xff, 0xff]);
const QUERY = Buffer.concat([HEADER, Buffer.from('TSource Engine Query\0', 'latin1')]);

const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
	for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the stand-in on a free loopback port and kills it after the test. */
function start(...extra: string[]): RunningStandIn {
	const server = startStandIn(extra);
	running.push(server.child);
	return server;
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
	if (child.exitCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
}

/** Send one datagram to 127.0.0.1:port; resolve the first reply, or null after timeoutMs. */
function ask(port: number, message: Buffer, timeoutMs = 2000): Promise<Buffer | null> {
	const socket = createSocket('udp4');
	return new Promise((resolveReply) => {
		const timer = setTimeout(() => finish(null), timeoutMs);
		const finish = (reply: Buffer | null) => {
			clearTimeout(timer);
			socket.close();
			resolveReply(reply);
		};
		socket.on('message', (reply) => finish(reply));
		socket.send(message, port, '127.0.0.1');
	});
}

/** Parse an A2S_INFO reply (after the 0xFFFFFFFF header) into its documented fields. */
function parseInfo(reply: Buffer) {
	let at = 4;
	const byte = () => reply[at++];
	const string = () => {
		const end = reply.indexOf(0, at);
		const text = reply.toString('utf8', at, end);
		at = end + 1;
		return text;
	};
	const header = String.fromCharCode(byte());
	const protocol = byte();
	const name = string();
	const map = string();
	const folder = string();
	const game = string();
	const appId = reply.readUInt16LE(at);
	at += 2;
	return {
		header, protocol, name, map, folder, game, appId, players: byte(), maxPlayers: byte(), bots: byte(),
		serverType: String.fromCharCode(byte()), environment: String.fromCharCode(byte()),
		visibility: byte(), vac: byte(), version: string(),
	};
}

describe('stand-in srcds_run', () => {
	it('prints srcds-like console lines and answers A2S_INFO after the challenge', async () => {
		const server = start('+map', 'c2m1_highway', '+maxplayers', '8', '-standin-players', '3');
		const port = await server.port;
		expect(server.lines).toEqual(expect.arrayContaining([
			'Console initialized.', 'Using breakpad crash handler', 'Server is hibernating',
			'Connection to Steam servers successful.',
		]));

		const challenge = await ask(port, QUERY);
		expect(challenge).not.toBeNull();
		expect(challenge!.subarray(0, 5)).toEqual(Buffer.concat([HEADER, Buffer.from('A')]));
		expect(challenge!.length).toBe(9);

		const reply = await ask(port, Buffer.concat([QUERY, challenge!.subarray(5, 9)]));
		expect(reply).not.toBeNull();
		expect(parseInfo(reply!)).toEqual({
			header: 'I', protocol: 17, name: 'left4me stand-in', map: 'c2m1_highway', folder: 'left4dead2',
			game: 'Left 4 Dead 2', appId: 550, players: 3, maxPlayers: 8, bots: 0, serverType: 'd',
			environment: 'l', visibility: 0, vac: 1, version: expect.any(String),
		});
	});

	it('answers a wrong challenge with a challenge again', async () => {
		const port = await start().port;
		const reply = await ask(port, Buffer.concat([QUERY, Buffer.from([1, 2, 3, 4])]));
		expect(String.fromCharCode(reply![4])).toBe('A');
	});

	it('stays silent on UDP with -standin-silent', async () => {
		const port = await start('-standin-silent').port;
		expect(await ask(port, QUERY, 500)).toBeNull();
	});

	it('exits 0 on SIGTERM after a shutdown line', async () => {
		const server = start();
		await server.port;
		server.child.kill('SIGTERM');
		expect(await exitOf(server.child)).toBe(0);
		expect(server.lines.at(-1)).toMatch(/shutting down/i);
	});

	it('exits 1 after a fatal line with -standin-crash-after 1', async () => {
		const server = start('-standin-crash-after', '1');
		await server.port;
		expect(await exitOf(server.child)).toBe(1);
		expect(server.lines.some((line) => line.startsWith('FATAL ERROR'))).toBe(true);
	});
});
