/**
 * `l4d2ctl shaping [--json]`, `shaping apply IFACE RATE`, `shaping clear IFACE`: the CAKE
 * qdisc on the egress interface, through the left4me-apply-cake helper.
 */
import type {Command} from 'commander';
import {Left4meError} from '../core/errors.js';
import {RATE_PATTERN, SHAPING_SCHEMA} from '../core/shaping.js';
import type {Host} from '../system/host.js';
import {readShaping} from '../system/shaping.js';
import {renderTable} from './table.js';
import {writeJson} from './output.js';
import {ACTION_SCHEMA} from './commands.js';

const HELPER = 'left4me-apply-cake';
const IFACE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** The human-mode line when no interface has CAKE (or there is none but lo); `--json` then lists what there is. */
export const NOT_CONFIGURED = 'no traffic shaping configured (see README, "Traffic shaping")';

function checkIface(iface: string): void {
	if (!IFACE_PATTERN.test(iface)) throw new Left4meError('usage', `invalid interface name "${iface}"`, 'use a name from: l4d2ctl shaping');
}

/** Helper notes ("nothing to do") without the helper's name prefix. */
function notes(stderr: string): string[] {
	return stderr.split('\n').filter(Boolean).map((l) => l.replace(/^left4me-apply-cake: /, ''));
}

async function showCommand(host: Host, json: boolean): Promise<void> {
	const interfaces = await readShaping(host.privileged);
	if (json) {
		writeJson({schema: SHAPING_SCHEMA, interfaces});
		return;
	}
	const rows = interfaces.map((i) => [i.iface, i.qdisc ?? '-', i.cake ? (i.bandwidth ?? 'unlimited') : '-']);
	if (rows.length > 0) process.stdout.write(renderTable(['INTERFACE', 'ROOT QDISC', 'CAKE BANDWIDTH'], rows));
	if (!interfaces.some((i) => i.cake)) process.stdout.write(`${NOT_CONFIGURED}\n`);
}

async function changeCommand(host: Host, action: 'apply' | 'clear', iface: string, rate: string | undefined, json: boolean): Promise<void> {
	checkIface(iface);
	if (rate !== undefined && !RATE_PATTERN.test(rate)) {
		throw new Left4meError('usage', `invalid rate "${rate}"`, 'a whole number with kbit, mbit or gbit, e.g. 100mbit');
	}
	const {stderr} = await host.privileged.run(HELPER, rate === undefined ? [action, iface] : [action, iface, rate], 30_000);
	const [after] = await readShaping(host.privileged, iface);
	if (json) {
		writeJson({schema: ACTION_SCHEMA, action: `shaping-${action}`, interface: iface, ok: true, notes: notes(stderr), shaping: after ?? null});
		return;
	}
	for (const note of notes(stderr)) process.stdout.write(`${note}\n`);
	if (after) process.stdout.write(`${iface}: root qdisc ${after.qdisc ?? '-'}${after.cake ? ` at ${after.bandwidth ?? 'unlimited'}` : ''}\n`);
}

/** `--json` after a subcommand can land on `shaping` itself (commander parses the parent's options too). */
function wantsJson(o: {json: boolean}, cmd: Command): boolean {
	return o.json || cmd.optsWithGlobals<{json?: boolean}>().json === true;
}

/**
 * Adds `shaping` and its subcommands.
 * @param guard runs an action and turns errors into one line and an exit status
 */
export function registerShapingCommands(program: Command, host: () => Host, guard: (json: boolean, action: () => unknown) => Promise<void>): void {
	const shaping = program
		.command('shaping')
		.description('show the root qdisc (CAKE or not) of each network interface')
		.option('--json', `print one JSON document (schema ${SHAPING_SCHEMA})`, false)
		.action(async (o: {json: boolean}) => guard(o.json, () => showCommand(host(), o.json)));
	shaping
		.command('apply')
		.description('put CAKE at RATE on IFACE (replaces the root qdisc; the same rate again changes nothing)')
		.argument('<iface>', 'egress interface, e.g. eth0')
		.argument('<rate>', 'e.g. 100mbit, 1gbit')
		.option('--json', 'print a JSON result', false)
		.action(async (iface: string, rate: string, o: {json: boolean}, cmd: Command) => {
			const json = wantsJson(o, cmd);
			return guard(json, () => changeCommand(host(), 'apply', iface, rate, json));
		});
	shaping
		.command('clear')
		.description('remove CAKE from IFACE (no CAKE there: nothing to do)')
		.argument('<iface>', 'interface')
		.option('--json', 'print a JSON result', false)
		.action(async (iface: string, o: {json: boolean}, cmd: Command) => {
			const json = wantsJson(o, cmd);
			return guard(json, () => changeCommand(host(), 'clear', iface, undefined, json));
		});
}
