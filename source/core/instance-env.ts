/**
 * `instance.env`: an instance's settings in systemd EnvironmentFile syntax
 * (systemd.exec(5), "EnvironmentFile="): `KEY=VALUE` lines, `#`/`;` comments,
 * optional single or double quotes around the value. Pure: no I/O.
 */
import {Left4meError} from './errors.js';

/** The settings of one instance as l4d2ctl understands them. */
export type InstanceConfig = Readonly<{
	/** UDP/TCP game port, 1024..65535. */
	port: number;
	/** Lower layers, TOP first, as written (relative to STATE or absolute). `installation` is the default stack. */
	lowerdirs: readonly string[];
	/** Extra srcds arguments, split on whitespace by systemd. Empty string when unset. */
	args: string;
}>;

/** One parsed line: key and unquoted value, or a problem with its 1-based line number. */
export type EnvParse = Readonly<{values: ReadonlyMap<string, string>; problems: readonly string[]}>;

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses EnvironmentFile text. Bad lines are reported, never thrown. */
export function parseEnvFile(text: string): EnvParse {
	const values = new Map<string, string>();
	const problems: string[] = [];
	text.split('\n').forEach((raw, index) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
		const eq = line.indexOf('=');
		const key = eq > 0 ? line.slice(0, eq).trim() : '';
		if (!KEY.test(key)) {
			problems.push(`line ${index + 1}: not a KEY=VALUE line`);
			return;
		}
		values.set(key, unquote(line.slice(eq + 1).trim()));
	});
	return {values, problems};
}

function unquote(value: string): string {
	const q = value[0];
	if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
		const inner = value.slice(1, -1);
		return q === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
	}
	return value;
}

/**
 * Reads an instance's config from instance.env text.
 * @throws Left4meError('failed') naming the file's first problem (bad line, missing or bad port)
 */
export function parseInstanceConfig(text: string, where = 'instance.env'): InstanceConfig {
	const {values, problems} = parseEnvFile(text);
	if (problems.length > 0) throw new Left4meError('failed', `${where}: ${problems[0]}`);
	const portText = values.get('L4D2_PORT');
	const port = Number(portText);
	// Digits only: srcds gets the text as written, so `0x6987` or `27015.0` must not pass as a port.
	if (portText === undefined || !/^\d+$/.test(portText) || !isValidPort(port)) {
		throw new Left4meError('failed', `${where}: L4D2_PORT must be a port number 1024-65535 (found ${JSON.stringify(portText ?? null)})`);
	}
	const lowerText = values.get('L4D2_LOWERDIRS') ?? 'installation';
	const lowerdirs = lowerText.split(':').filter((entry) => entry !== '');
	return {port, lowerdirs: lowerdirs.length > 0 ? lowerdirs : ['installation'], args: values.get('L4D2_ARGS') ?? ''};
}

/** True for an integer port in 1024..65535 (unprivileged, as srcds runs as `left4me`). */
export function isValidPort(port: number): boolean {
	return Number.isInteger(port) && port >= 1024 && port <= 65535;
}

/**
 * Serialises a config as instance.env text. Port and lowerdirs are written bare (their
 * characters are validated before); args double-quoted with `"`, `\`, `$` and backquote escaped.
 */
export function formatInstanceConfig(config: InstanceConfig): string {
	const quote = (v: string) => `"${v.replace(/(["\\$`])/g, '\\$1')}"`;
	return [
		'# left4me instance settings (systemd EnvironmentFile syntax). Edit with care; `l4d2ctl` rewrites this file.',
		`L4D2_PORT=${config.port}`,
		`L4D2_LOWERDIRS=${config.lowerdirs.join(':')}`,
		`L4D2_ARGS=${quote(config.args)}`,
		'',
	].join('\n');
}
