/**
 * Unit state from systemd, read without privileges. All units in ONE
 * `systemctl show` call (systemctl(1)), never one call per unit.
 */
import {statSync} from 'node:fs';
import {Left4meError} from '../core/errors.js';
import {UNIT_FILE_DIRS} from '../core/paths.js';
import {parseUnitStatuses, UNIT_PROPERTIES, type UnitStatus} from '../core/unit-status.js';
import type {ProcessRunner} from './runner.js';

/** Reads unit state. */
export interface UnitReader {
	/**
	 * Status of each named unit (units that do not exist come back with LoadState=not-found).
	 * @throws Left4meError('failed') when systemctl itself fails
	 */
	show(units: readonly string[]): Promise<Map<string, UnitStatus>>;
	/**
	 * A stamp that changes when a unit is enabled, disabled or masked: the mtimes (ms) of
	 * {@link UNIT_FILE_DIRS}, a missing one as `-`. Two stat(2) calls: cheap enough for every
	 * refresh tick. Fakes may leave it out.
	 */
	stamp?(): string;
}

/**
 * UnitReader on `systemctl show --timestamp=unix`.
 * @param unitFileDirs directories whose mtimes make the stamp (tests pass their own)
 */
export function createUnitReader(runner: ProcessRunner, unitFileDirs: readonly string[] = UNIT_FILE_DIRS): UnitReader {
	return {
		stamp() {
			let stamp = '';
			for (const dir of unitFileDirs) stamp += `${statSync(dir, {throwIfNoEntry: false})?.mtimeMs ?? '-'} `;
			return stamp;
		},
		async show(units) {
			if (units.length === 0) return new Map();
			const argv = ['systemctl', 'show', '--timestamp=unix', `--property=${UNIT_PROPERTIES.join(',')}`, '--', ...units];
			const result = await runner.run(argv, {timeoutMs: 10_000});
			if (result.exitCode !== 0) {
				throw new Left4meError('failed', `systemctl show failed: ${firstLine(result.stderr)}`, undefined, argv);
			}
			return parseUnitStatuses(result.stdout, units);
		},
	};
}

/** First non-empty line of a text, or a placeholder. */
export function firstLine(text: string): string {
	return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '(no output)';
}
