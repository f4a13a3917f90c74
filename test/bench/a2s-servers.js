/**
 * A2S_INFO answers for the benchmark's fixture servers: one UDP socket per game port on
 * 127.0.0.1, each answering A2S_INFO as an L4D2 server does since December 2020 (first an
 * S2C_CHALLENGE, then, for a query that carries the challenge, the info reply;
 * developer.valvesoftware.com/wiki/Server_queries). Run as its own process, so its CPU is
 * not the dashboard's. Usage: node a2s-servers.js FIRST_PORT COUNT (prints `ready`).
 */
import dgram from 'node:dgram';

const [first, count] = process.argv.slice(2).map(Number);
const CHALLENGE = 0x2f6b_1a05;
const text = (s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

function infoReply(i) {
	const appId = Buffer.alloc(2);
	appId.writeUInt16LE(550);
	return Buffer.concat([
		Buffer.from([0xff, 0xff, 0xff, 0xff, 0x49, 17]),
		text(`left4me bench ${i}`),
		text('c1m1_hotel'),
		text('left4dead2'),
		text('Left 4 Dead 2'),
		appId,
		// players, max players, bots, server type (dedicated), environment (linux), visibility, VAC
		Buffer.from([i % 9, 8, 0, 0x64, 0x6c, 0, 1]),
		text('2.2.4.3'),
	]);
}

let bound = 0;
for (let i = 0; i < count; i++) {
	const socket = dgram.createSocket('udp4');
	const reply = infoReply(i);
	socket.on('message', (msg, from) => {
		// 0xFFFFFFFF 'T' "Source Engine Query\0", then the challenge when it has one.
		if (msg.length < 25 || msg.readInt32LE(0) !== -1 || msg[4] !== 0x54) return;
		if (msg.length >= 29 && msg.readInt32LE(25) === CHALLENGE) {
			socket.send(reply, from.port, from.address);
			return;
		}
		const challenge = Buffer.alloc(9);
		challenge.writeInt32LE(-1, 0);
		challenge[4] = 0x41;
		challenge.writeInt32LE(CHALLENGE, 5);
		socket.send(challenge, from.port, from.address);
	});
	socket.bind(first + i, '127.0.0.1', () => {
		if (++bound === count) console.log('ready');
	});
}
