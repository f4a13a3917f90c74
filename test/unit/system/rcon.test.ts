// The RCON client against the stand-in (auth, a status reply spanning packets, bad
// password) and against hostile peers (a reply trickled byte by byte, silence, refusal).
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {makePaths} from '../../../source/core/paths.js';
import {openRcon, readRconPassword} from '../../../source/system/rcon.js';
import {startStandIn, type RunningStandIn} from '../support/stand-in.js';
import {writeTree} from '../support/tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const f of cleanups.splice(0)) f();
});

function standIn(args: string[]): RunningStandIn {
	const s = startStandIn(args);
	cleanups.push(() => s.child.kill('SIGKILL'));
	return s;
}

async function rejection(p: Promise<unknown>): Promise<Left4meError> {
	try {
		await p;
	} catch (error) {
		expect(error).toBeInstanceOf(Left4meError);
		return error as Left4meError;
	}
	throw new Error('expected a rejection');
}

/** A TCP server on a free loopback port running `onConnection`. */
async function tcpServer(onConnection: Parameters<typeof createServer>[0]): Promise<number> {
	const server: Server = createServer(onConnection);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	cleanups.push(() => server.close());
	const address = server.address();
	if (typeof address !== 'object' || address === null) throw new Error('no address');
	return address.port;
}

describe('openRcon against the stand-in', () => {
	it('authenticates and reads a status reply that spans several packets whole', async () => {
		const server = standIn(['+rcon_password', 'hunter2', '-standin-players', '2', '+map', 'c5m1_waterfront']);
		const session = await openRcon({port: await server.port, password: 'hunter2'});
		try {
			const status = await session.command('status');
			expect(Buffer.byteLength(status)).toBeGreaterThan(2 * 4096);
			expect(status.startsWith('hostname: left4me stand-in\n')).toBe(true);
			expect(status).toContain('map     : c5m1_waterfront');
			expect(status).toContain('players : 2 humans');
			expect(status.match(/^# stand-in filler line \d+ of 150/gm)).toHaveLength(150);
			expect(status).toMatch(/#end \(uptime \d+s\)\n$/);
			// The next command on the same connection gets its own reply, not the tail of the last.
			expect(await session.command('echo one two')).toBe('one two\n');
			expect(await session.command('standin_players 0')).toBe('players set to 0\n');
			expect(await session.command('status')).toContain('players : 0 humans');
		} finally {
			session.close();
		}
	});

	it('refuses a wrong password with a permission error that does not name it', async () => {
		const server = standIn(['+rcon_password', 'hunter2']);
		const error = await rejection(openRcon({port: await server.port, password: 'wrong-guess-42'}));
		expect(error.code).toBe('permission');
		expect(error.message).toMatch(/refused the password/);
		expect(`${error.message} ${error.hint}`).not.toContain('wrong-guess-42');
		expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
	});

	it('is refused by a stand-in without any rcon_password', async () => {
		const server = standIn([]);
		expect((await rejection(openRcon({port: await server.port, password: 'x'}))).code).toBe('permission');
	});
});

describe('openRcon against other peers', () => {
	it('reads a reply trickled one byte at a time', async () => {
		const port = await tcpServer((socket) => {
			let got = Buffer.alloc(0);
			let writing: Promise<void> = Promise.resolve();
			socket.on('data', (chunk) => {
				got = Buffer.concat([got, chunk]);
				const packets: Buffer[] = [];
				const packet = (id: number, type: number, body: string) => {
					const b = Buffer.alloc(14 + body.length);
					b.writeInt32LE(10 + body.length, 0);
					b.writeInt32LE(id, 4);
					b.writeInt32LE(type, 8);
					b.write(body, 12, 'latin1');
					return b;
				};
				while (got.length >= 4 && got.length >= 4 + got.readInt32LE(0)) {
					const size = got.readInt32LE(0);
					const id = got.readInt32LE(4);
					const type = got.readInt32LE(8);
					got = got.subarray(4 + size);
					if (type === 3) packets.push(packet(id, 0, ''), packet(id, 2, ''));
					else if (type === 2) packets.push(packet(id, 0, 'part one, '), packet(id, 0, 'part two'));
					else packets.push(packet(id, 0, ''), packet(id, 0, '\u0000\u0001\u0000\u0000'));
				}
				const bytes = Buffer.concat(packets);
				// One byte per write, each in its own turn of the event loop, in order.
				writing = writing.then(async () => {
					for (const byte of bytes) {
						socket.write(Buffer.from([byte]));
						await new Promise((r) => setImmediate(r));
					}
				});
			});
		});
		const session = await openRcon({port, password: 'p'});
		try {
			expect(await session.command('anything')).toBe('part one, part two');
			expect(await session.command('again')).toBe('part one, part two');
		} finally {
			session.close();
		}
	});

	it('fails with a clear line when nothing listens', async () => {
		const port = await tcpServer(() => undefined);
		cleanups.splice(0).forEach((f) => f());
		await new Promise((r) => setTimeout(r, 50));
		const error = await rejection(openRcon({port, password: 'p', timeoutMs: 2000}));
		expect(error.code).toBe('failed');
		expect(error.message).toMatch(new RegExp(`cannot reach RCON on 127.0.0.1:${port}: ECONNREFUSED`));
	});

	it('times out on a peer that accepts and never answers', async () => {
		const port = await tcpServer(() => undefined);
		const error = await rejection(openRcon({port, password: 'p', timeoutMs: 300}));
		expect(error.message).toBe(`RCON on 127.0.0.1:${port} did not answer within 300 ms`);
	});
});

describe('readRconPassword', () => {
	it('reads rcon_password from instances/NAME/cfg/server.cfg, and names the file (not a password) when absent', () => {
		const state = mkdtempSync(join(tmpdir(), 'left4me-rcon-'));
		cleanups.push(() => rmSync(state, {recursive: true, force: true}));
		writeTree(state, {'instances/a/cfg/server.cfg': 'hostname "A"\nrcon_password "pw-a"\n', 'instances/b/cfg/server.cfg': 'hostname "B"\n'});
		const paths = makePaths(state);
		expect(readRconPassword(paths, 'a')).toBe('pw-a');
		expect(() => readRconPassword(paths, 'b')).toThrow(`no rcon_password in ${state}/instances/b/cfg/server.cfg`);
		expect(() => readRconPassword(paths, 'c')).toThrow(/no rcon_password/);
		// A server.cfg that cannot be read is said so, not reported as "no rcon_password".
		writeTree(state, {'instances/d/cfg/server.cfg/x': ''});
		expect(() => readRconPassword(paths, 'd')).toThrow(/^cannot read .*instances\/d\/cfg\/server.cfg: EISDIR$/);
	});
});
