/**
 * Human formatting shared by the table printer and the dashboard. Pure.
 */

/** Bytes as IEC units with one decimal (`512.0 MiB`); `-` for null. */
export function formatBytes(bytes: number | null): string {
	if (bytes === null) return '-';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Memory with the approximate marker `~` when it is summed RSS rather than memory.current. */
export function formatMemory(bytes: number | null, approx: boolean): string {
	return bytes === null ? '-' : `${approx ? '~' : ''}${formatBytes(bytes)}`;
}

/** Percent of one core with one decimal (`12.5`); `-` for null. */
export function formatPercent(value: number | null): string {
	return value === null ? '-' : value.toFixed(1);
}

/** A duration in seconds as `45s`, `12m05s`, `3h07m`, `2d04h`; `-` for null. */
export function formatDuration(seconds: number | null): string {
	if (seconds === null) return '-';
	const s = Math.floor(seconds);
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

/**
 * An uptime for a screen that is redrawn only when what it shows changes: seconds in the
 * first minute, then whole minutes (`45s`, `12m`, `3h07m`, `2d04h`), so a running
 * instance changes its cell once a minute, not every second. `-` for null.
 */
export function formatUptime(seconds: number | null): string {
	if (seconds === null || seconds >= 3600) return formatDuration(seconds);
	const s = Math.floor(seconds);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m`;
}

/**
 * The state column: ActiveState, plus the Result when it explains a failure (`failed (exit-code)`),
 * or `failed (start limit)` when systemd's start limit keeps the unit down (InstanceView.startLimitHit).
 */
export function formatState(state: string, result: string, startLimitHit = false): string {
	if (startLimitHit && state === 'failed' && result !== 'start-limit-hit') return 'failed (start limit)';
	return state === 'failed' && result && result !== 'success' ? `failed (${result})` : state;
}
