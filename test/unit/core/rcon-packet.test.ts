import {describe, expect, it} from 'vitest';
import {encodeRconPacket, parseRconPassword, RCON_TYPE, RconDecoder, ReplyAssembler} from '../../../source/core/rcon-packet.js';

const response = (id: number, body: string | Buffer) => {
	const text = Buffer.isBuffer(body) ? body : Buffer.from(body);
	const p = Buffer.alloc(14 + text.length);
	p.writeInt32LE(10 + text.length, 0);
	p.writeInt32LE(id, 4);
	p.writeInt32LE(RCON_TYPE.RESPONSE_VALUE, 8);
	text.copy(p, 12);
	return p;
};

describe('encodeRconPacket', () => {
	it('writes size, id, type, body and two NULs, little-endian (Source RCON wiki)', () => {
		expect(encodeRconPacket(7, RCON_TYPE.EXECCOMMAND, 'status').toString('hex')).toBe(
			'10000000' + '07000000' + '02000000' + Buffer.from('status').toString('hex') + '0000',
		);
		expect(encodeRconPacket(9, RCON_TYPE.RESPONSE_VALUE, '').toString('hex')).toBe('0a000000090000000000000000' + '00');
	});

	it('refuses a NUL in the body and an over-long command', () => {
		expect(() => encodeRconPacket(1, 2, 'a\0b')).toThrow(/NUL/);
		expect(() => encodeRconPacket(1, 2, 'x'.repeat(4001))).toThrow(/at most 4000/);
	});
});

describe('RconDecoder', () => {
	const stream = Buffer.concat([response(3, 'hello '), response(3, 'world\n'), response(4, ''), response(4, Buffer.from([0, 1, 0, 0]))]);
	const decoded = [
		{id: 3, type: 0, body: 'hello '},
		{id: 3, type: 0, body: 'world\n'},
		{id: 4, type: 0, body: ''},
		{id: 4, type: 0, body: '\u0000\u0001\u0000\u0000'},
	];
	const plain = (ps: ReturnType<RconDecoder['push']>) => ps.map((p) => ({id: p.id, type: p.type, body: p.body.toString('latin1')}));

	it('decodes several packets in one chunk', () => {
		expect(plain(new RconDecoder().push(stream))).toEqual(decoded);
	});

	it.each([1, 2, 3, 5, 13, 64])('reassembles packets split into %i-byte chunks', (size) => {
		const decoder = new RconDecoder();
		const out = [];
		for (let at = 0; at < stream.length; at += size) out.push(...decoder.push(stream.subarray(at, at + size)));
		expect(plain(out)).toEqual(decoded);
	});

	it('reads a 4096-byte body (the most srcds puts in one packet)', () => {
		const body = 'y'.repeat(4096);
		expect(new RconDecoder().push(response(1, body))[0]!.body.toString()).toBe(body);
	});

	it.each([[5], [-1], [100_000]])('throws on a size field of %i', (size) => {
		const b = Buffer.alloc(14);
		b.writeInt32LE(size, 0);
		expect(() => new RconDecoder().push(b)).toThrow(/bad RCON packet size/);
	});
});

describe('ReplyAssembler', () => {
	it('joins every packet of the command until the echo of the empty packet', () => {
		const r = new ReplyAssembler(5, 6);
		const packets = new RconDecoder().push(Buffer.concat([response(5, 'a'.repeat(4096)), response(5, 'b'.repeat(4096)), response(5, 'tail\n'), response(6, '')]));
		expect(packets.map((p) => r.accept(p))).toEqual([false, false, false, true]);
		expect(r.text()).toBe(`${'a'.repeat(4096)}${'b'.repeat(4096)}tail\n`);
	});

	it('ignores other ids, other types and everything after the echo', () => {
		const r = new ReplyAssembler(5, 6);
		expect(r.accept({id: 4, type: 0, body: Buffer.from('stale')})).toBe(false);
		expect(r.accept({id: 5, type: RCON_TYPE.AUTH_RESPONSE, body: Buffer.from('x')})).toBe(false);
		expect(r.accept({id: 5, type: 0, body: Buffer.from('ok')})).toBe(false);
		expect(r.accept({id: 6, type: 0, body: Buffer.alloc(0)})).toBe(true);
		expect(r.accept({id: 5, type: 0, body: Buffer.from('late')})).toBe(true);
		expect(r.text()).toBe('ok');
	});
});

describe('parseRconPassword', () => {
	it.each([
		['rcon_password "s3cret"\n', 's3cret'],
		['hostname "x"\n  rcon_password   "with space"  // note\n', 'with space'],
		['rcon_password bare\r\n', 'bare'],
		['rcon_password "first"\nrcon_password "second"\n', 'second'],
		['rcon_password ""\n', null],
		['// rcon_password "commented"\n', null],
		['sv_rcon_password "x"\n', null],
		['', null],
	])('%j → %j', (cfg, expected) => {
		expect(parseRconPassword(cfg)).toBe(expected);
	});
});
