/**
 * Whole-number options of the CLI. Pure.
 */
import {Left4meError} from '../core/errors.js';

/** Parses a non-negative integer option. @throws Left4meError('usage') */
export function parseCount(flag: string, text: string, max: number): number {
	if (!/^\d+$/.test(text) || Number(text) > max) throw new Left4meError('usage', `${flag} must be a whole number 0-${max} (got "${text}")`);
	return Number(text);
}
