// A2S_INFO through gamedig against the stand-in (the S2C_CHALLENGE step, players from
// the control file, silence) and against peers that answer garbage or skip the challenge.
import {createSocket, type Socket} from 'node:dgram';
import {writeFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {createGameQuerier} from '../../../source/system/a2s.js';
import {startStandIn, type RunningStandIn} from '../support/stand-in.js';
import {removeTree, tempDir} from '../support/tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const f of cleanups.splice(0)) f();
});

function standIn(args: string[], cwd?: string): RunningStandIn {
	const s = startStandIn(args, cwd);
	cleanups.push(() => s.child.kill('SIGKILL'));
	return s;
}

/** A UDP peer on a free loopback port that answers every datagram with `reply(msg)` (null: no answer). */
async function udpPeer(reply: (msg: Buffer) => Buffer | null): Promise<{port: number; received: Buffer[]}> {
	const socket: Socket = createSocket('udp4');
	const received: Buffer[] = [];
	socket.on('message', (msg, peer) => {
		received.push(msg);
		const out = reply(msg);
		if (out) socket.send(out, peer.port, peer.address);
	});
	await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
	cleanups.push(() => socket.close());
	return {port: socket.address().port, received};
}

/** A well-formed A2S_INFO reply (developer.valvesoftware.com/wiki/Server_queries). */
function infoReply(map: string, players: number, max: number): Buffer {
	return Buffer.concat([
		Buffer.from([0xff, 0xff, 0xff, 0xff, 0x49, 17]),
		Buffer.from(`peer\0${map}\0left4dead2\0Left 4 Dead 2\0`),
		Buffer.from([550 & 0xff, 550 >> 8, players, max, 0]),
		Buffer.from('dl'),
		Buffer.from([0, 1]),
		Buffer.from('2.2.4.3\0'),
		Buffer.from([0]),
	]);
}

const querier = createGameQuerier();

describe('A2S_INFO through gamedig', () => {
	it('passes the stand-in\'s S2C_CHALLENGE and reads players, max players and map', async () => {
		const server = standIn(['+map', 'c2m1_highway', '+maxplayers', '8', '-standin-players', '3']);
		expect(await querier.info(await server.port, 1500)).toEqual({players: 3, maxPlayers: 8, map: 'c2m1_highway'});
	});

	it('follows the player count the stand-in reads from ./standin-players at run time', async () => {
		const cwd = tempDir('a2s');
		cleanups.push(() => removeTree(cwd));
		const server = standIn(['-standin-players', '4'], cwd);
		const port = await server.port;
		expect((await querier.info(port, 1500))?.players).toBe(4);
		writeFileSync(`${cwd}/standin-players`, '0\n');
		expect((await querier.info(port, 1500))?.players).toBe(0);
	});

	it('gives null, within its budget, for a silent server', async () => {
		const server = standIn(['-standin-silent']);
		const port = await server.port;
		const started = performance.now();
		expect(await querier.info(port, 800)).toBeNull();
		// Generous bound: the query gave up on its own and did not hang.
		expect(performance.now() - started).toBeLessThan(10_000);
	});

	it('sends the challenge back: the second query carries the 4 bytes the server chose', async () => {
		const challenge = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
		const peer = await udpPeer((msg) =>
			msg.subarray(-4).equals(challenge) ? infoReply('c8m1_apartment', 1, 4) : Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0x41]), challenge]),
		);
		expect(await querier.info(peer.port, 1500)).toEqual({players: 1, maxPlayers: 4, map: 'c8m1_apartment'});
		expect(peer.received.length).toBe(2);
		expect(peer.received[1]!.subarray(-4)).toEqual(challenge);
	});

	it('reads a server that answers at once, without a challenge (before the 2020 update)', async () => {
		const peer = await udpPeer(() => infoReply('c1m1_hotel', 0, 8));
		expect(await querier.info(peer.port, 1500)).toEqual({players: 0, maxPlayers: 8, map: 'c1m1_hotel'});
	});

	it.each([
		['random bytes', Buffer.from('this is not an A2S reply at all')],
		['a truncated info reply', infoReply('c1m1_hotel', 2, 8).subarray(0, 12)],
		['an empty datagram', Buffer.alloc(0)],
	])('gives null for %s', async (_, garbage) => {
		const peer = await udpPeer(() => garbage);
		expect(await querier.info(peer.port, 800)).toBeNull();
	});
});
