/**
 * Parses `systemctl show --property=... UNIT...` output (systemctl(1)): one
 * block of `Key=Value` lines per unit, blocks separated by an empty line, in
 * the order the units were named. Pure: no I/O.
 */

/** Properties l4d2ctl asks systemd for, in one `systemctl show` call. */
export const UNIT_PROPERTIES = [
	'Id',
	'LoadState',
	'ActiveState',
	'SubState',
	'Result',
	'UnitFileState',
	'NRestarts',
	'StartLimitBurst',
	'MainPID',
	'ExecMainStatus',
	'ActiveEnterTimestamp',
	'ControlGroup',
] as const;

/** What systemd says about one unit. */
export type UnitStatus = Readonly<{
	unit: string;
	/** LoadState: loaded, not-found, masked, ... */
	loadState: string;
	/** ActiveState: active, reloading, inactive, failed, activating, deactivating. */
	activeState: string;
	/** SubState: running, dead, failed, auto-restart, start-pre, ... */
	subState: string;
	/** Result of the last run: success, exit-code, signal, start-limit-hit, ... */
	result: string;
	/** UnitFileState: enabled, disabled, static, ...; `enabled` means it starts at boot. */
	unitFileState: string;
	/** NRestarts: automatic restarts since the unit was last started by hand; null if unknown. */
	restarts: number | null;
	/** StartLimitBurst: starts allowed per StartLimitIntervalSec= (systemd.unit(5)); null if unknown. */
	startLimitBurst: number | null;
	/** MainPID, or null when 0. */
	mainPid: number | null;
	/** Exit status of the main process's last run; null if unknown. */
	execMainStatus: number | null;
	/** When the unit last became active, in ms since the epoch; null if never. */
	activeEnterMs: number | null;
	/** ControlGroup path (e.g. `/l4d2.slice/l4d2-game.slice/x.service`); empty when it has none. */
	controlGroup: string;
}>;

/** Splits `systemctl show` output into one property map per unit block. */
export function parseShowBlocks(text: string): Array<Map<string, string>> {
	const blocks: Array<Map<string, string>> = [];
	let current = new Map<string, string>();
	for (const line of text.split('\n')) {
		if (line === '') {
			if (current.size > 0) blocks.push(current);
			current = new Map();
			continue;
		}
		const eq = line.indexOf('=');
		if (eq > 0) current.set(line.slice(0, eq), line.slice(eq + 1));
	}
	if (current.size > 0) blocks.push(current);
	return blocks;
}

function intOrNull(value: string | undefined): number | null {
	if (value === undefined || value === '' || value === '[not set]') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

/**
 * Parses a timestamp as printed by `systemctl show --timestamp=unix` (`@1700000000`)
 * or the empty string. @returns ms since the epoch, or null
 */
export function parseUnixTimestamp(value: string | undefined): number | null {
	if (!value || value === 'n/a') return null;
	const m = /^@(\d+)(?:\.(\d+))?$/.exec(value.trim());
	if (!m) return null;
	const seconds = Number(m[1]);
	return seconds === 0 ? null : seconds * 1000 + Math.round(Number(`0.${m[2] ?? '0'}`) * 1000);
}

/** Turns one property block into a UnitStatus. */
export function toUnitStatus(block: ReadonlyMap<string, string>): UnitStatus {
	const pid = intOrNull(block.get('MainPID'));
	return {
		unit: block.get('Id') ?? '',
		loadState: block.get('LoadState') ?? '',
		activeState: block.get('ActiveState') ?? 'unknown',
		subState: block.get('SubState') ?? 'unknown',
		result: block.get('Result') ?? '',
		unitFileState: block.get('UnitFileState') ?? '',
		restarts: intOrNull(block.get('NRestarts')),
		startLimitBurst: intOrNull(block.get('StartLimitBurst')),
		mainPid: pid === 0 ? null : pid,
		execMainStatus: intOrNull(block.get('ExecMainStatus')),
		activeEnterMs: parseUnixTimestamp(block.get('ActiveEnterTimestamp')),
		controlGroup: block.get('ControlGroup') ?? '',
	};
}

/**
 * Parses the output of one `systemctl show` call for several units.
 * @param units the unit names in the order they were passed, used when a block lacks `Id`
 * @returns map unit name → status
 */
export function parseUnitStatuses(text: string, units: readonly string[]): Map<string, UnitStatus> {
	const result = new Map<string, UnitStatus>();
	parseShowBlocks(text).forEach((block, index) => {
		const status = toUnitStatus(block);
		const unit = status.unit || units[index] || '';
		result.set(unit, {...status, unit});
	});
	return result;
}
