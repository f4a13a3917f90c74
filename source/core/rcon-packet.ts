/**
 * Source RCON framing (developer.valvesoftware.com/wiki/Source_RCON_Protocol). Pure.
 *
 * A packet is: int32 LE size (bytes after this field), int32 LE id, int32 LE type, the
 * body as NUL-terminated text, and one more NUL. TCP is a stream: one read may carry
 * part of a packet or several; {@link RconDecoder} reassembles them. srcds splits a long
 * reply into several RESPONSE_VALUE packets of at most 4096 body bytes and never marks
 * the last one, so a client sends an empty RESPONSE_VALUE after each command: srcds
 * answers it (in order) with an empty RESPONSE_VALUE of the same id, then one more
 * RESPONSE_VALUE of that id whose body is `00 01 00 00`. {@link ReplyAssembler} reads a
 * reply until that echo.
 */

/** Packet types (the wiki's SERVERDATA_* names). AUTH_RESPONSE and EXECCOMMAND share 2. */
export const RCON_TYPE = {AUTH: 3, AUTH_RESPONSE: 2, EXECCOMMAND: 2, RESPONSE_VALUE: 0} as const;

/** Largest size field accepted, bytes: 4096 body bytes plus id, type and two NULs, with room. */
export const RCON_MAX_SIZE = 4096 + 10 + 1024;
/** Longest command body sent, bytes (srcds reads at most 4096 per packet). */
export const RCON_MAX_COMMAND = 4000;

/** One decoded packet. */
export type RconPacket = Readonly<{id: number; type: number; body: Buffer}>;

/**
 * Encodes one packet.
 * @throws Error when the body holds a NUL or exceeds {@link RCON_MAX_COMMAND} bytes
 */
export function encodeRconPacket(id: number, type: number, body: string): Buffer {
	const text = Buffer.from(body, 'utf8');
	if (text.includes(0)) throw new Error('an RCON command cannot hold a NUL byte');
	if (text.length > RCON_MAX_COMMAND) throw new Error(`an RCON command is at most ${RCON_MAX_COMMAND} bytes`);
	const packet = Buffer.alloc(14 + text.length);
	packet.writeInt32LE(10 + text.length, 0);
	packet.writeInt32LE(id, 4);
	packet.writeInt32LE(type, 8);
	text.copy(packet, 12);
	return packet;
}

/** Reassembles packets from stream chunks. */
export class RconDecoder {
	private pending: Buffer = Buffer.alloc(0);

	/**
	 * Adds a chunk and returns every packet now complete, in order.
	 * @throws Error when a size field is out of range (not an RCON peer, or a broken stream)
	 */
	push(chunk: Buffer): RconPacket[] {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		const packets: RconPacket[] = [];
		while (this.pending.length >= 4) {
			const size = this.pending.readInt32LE(0);
			if (size < 10 || size > RCON_MAX_SIZE) throw new Error(`bad RCON packet size ${size}`);
			if (this.pending.length < 4 + size) break;
			const id = this.pending.readInt32LE(4);
			const type = this.pending.readInt32LE(8);
			// Body, its NUL, then the empty string's NUL: drop the two terminators when present.
			let end = 4 + size;
			if (this.pending[end - 1] === 0) end--;
			if (end > 12 && this.pending[end - 1] === 0) end--;
			packets.push({id, type, body: Buffer.from(this.pending.subarray(12, end))});
			this.pending = this.pending.subarray(4 + size);
		}
		return packets;
	}
}

/**
 * Collects the reply to one command: RESPONSE_VALUE bodies with the command's id, until
 * the echo of the empty packet sent after it (id `terminatorId`).
 */
export class ReplyAssembler {
	private readonly parts: Buffer[] = [];
	private finished = false;

	constructor(
		readonly commandId: number,
		readonly terminatorId: number,
	) {}

	/** Feeds one packet. @returns true once the reply is complete */
	accept(packet: RconPacket): boolean {
		if (this.finished) return true;
		if (packet.type !== RCON_TYPE.RESPONSE_VALUE) return false;
		if (packet.id === this.terminatorId) this.finished = true;
		else if (packet.id === this.commandId) this.parts.push(packet.body);
		return this.finished;
	}

	/** The whole reply text (UTF-8, invalid bytes as U+FFFD). */
	text(): string {
		return Buffer.concat(this.parts).toString('utf8');
	}
}

/**
 * The rcon_password of a server.cfg (Source cfg syntax: `rcon_password "secret"` or
 * `rcon_password secret`, `//` comments; the last setting wins). Pure.
 * @returns the password, or null when none is set or it is empty
 */
export function parseRconPassword(cfg: string): string | null {
	let found: string | null = null;
	for (const raw of cfg.split('\n')) {
		const line = raw.replace(/\r$/, '');
		const m = /^\s*rcon_password\s+(?:"([^"]*)"|([^\s"/]+))/.exec(line);
		if (m) found = m[1] ?? m[2] ?? '';
	}
	return found === '' ? null : found;
}
