/**
 * Traffic shaping state: what `left4me-apply-cake show` prints, parsed. Pure.
 * The helper prints one line per interface, `NAME<TAB>KIND<TAB>BANDWIDTH`, where KIND
 * is the root qdisc (tc-cake(8), tc(8)) and BANDWIDTH CAKE's rate as tc prints it.
 */

/** Version of `shaping --json`. */
export const SHAPING_SCHEMA = 'left4me.shaping/1';

/** The root qdisc of one interface. */
export type InterfaceShaping = Readonly<{
	/** Interface name, e.g. `eth0`. */
	iface: string;
	/** Kind of the root qdisc (`cake`, `noqueue`, `fq_codel`, ...); null when tc showed none. */
	qdisc: string | null;
	/** True when the root qdisc is CAKE. */
	cake: boolean;
	/** CAKE's bandwidth as tc prints it (`100Mbit`), or null (not CAKE, or unlimited). */
	bandwidth: string | null;
}>;

/** Parses the helper's `show` output; lines that are not three tab-separated fields are skipped. */
export function parseShapingShow(text: string): InterfaceShaping[] {
	const result: InterfaceShaping[] = [];
	for (const line of text.split('\n')) {
		const fields = line.split('\t');
		if (fields.length !== 3 || fields[0] === '') continue;
		const [iface, kind, bw] = fields as [string, string, string];
		const qdisc = kind === '-' ? null : kind;
		result.push({iface, qdisc, cake: qdisc === 'cake', bandwidth: qdisc === 'cake' && bw !== '-' && bw !== 'unlimited' ? bw : null});
	}
	return result;
}

/** One short phrase for a header: `cake 100Mbit on eth0`, or `no cake` when no interface has it. */
export function shapingSummary(interfaces: readonly InterfaceShaping[]): string {
	const shaped = interfaces.filter((i) => i.cake);
	if (shaped.length === 0) return 'no cake';
	return shaped.map((i) => `cake ${i.bandwidth ?? 'unlimited'} on ${i.iface}`).join(', ');
}

/** A rate as the helper takes it: a whole number with kbit, mbit or gbit (tc(8), "RATES"). */
export const RATE_PATTERN = /^[1-9]\d{0,8}(kbit|mbit|gbit)$/;
