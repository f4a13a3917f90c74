/**
 * Reads what an instance's overlay upper layer holds (`runtime/NAME/upper`): what
 * `l4d2ctl reset --dry-run` reports as going to be discarded. Reads only; runs as the
 * caller (the upper layer is owned by left4me). Symlinks are listed, never followed.
 */
import {lstatSync, readdirSync} from 'node:fs';
import {posix as path} from 'node:path';
import type {Paths} from '../core/paths.js';

/** One entry of the upper layer. `whiteout`: a 0/0 character device, overlayfs' mark of a deleted lower file (kernel doc: filesystems/overlayfs). */
export type UpperEntry = Readonly<{path: string; type: 'file' | 'directory' | 'symlink' | 'whiteout' | 'other'; bytes: number}>;

/** The whole upper layer: entries sorted by path, total bytes (files and symlinks), unreadable dirs. */
export type UpperListing = Readonly<{upper: string; exists: boolean; entries: UpperEntry[]; totalBytes: number; unreadable: string[]}>;

/** Lists `STATE/runtime/NAME/upper` recursively. Never throws for a missing or unreadable tree. */
export function listUpperLayer(paths: Paths, name: string): UpperListing {
	const upper = path.join(paths.runtime, name, 'upper');
	const entries: UpperEntry[] = [];
	const unreadable: string[] = [];
	let exists = true;
	try {
		if (!lstatSync(upper).isDirectory()) exists = false;
	} catch {
		exists = false;
	}
	const walk = (dir: string, rel: string) => {
		let names: string[];
		try {
			names = readdirSync(dir).sort();
		} catch {
			unreadable.push(rel || '.');
			return;
		}
		for (const entry of names) {
			const full = path.join(dir, entry);
			const relative = rel ? `${rel}/${entry}` : entry;
			let st;
			try {
				st = lstatSync(full);
			} catch {
				unreadable.push(relative);
				continue;
			}
			const type: UpperEntry['type'] = st.isFile()
				? 'file'
				: st.isDirectory()
					? 'directory'
					: st.isSymbolicLink()
						? 'symlink'
						: st.isCharacterDevice() && st.rdev === 0
							? 'whiteout'
							: 'other';
			entries.push({path: relative, type, bytes: type === 'file' || type === 'symlink' ? st.size : 0});
			if (type === 'directory') walk(full, relative);
		}
	};
	if (exists) walk(upper, '');
	return {upper, exists, entries, totalBytes: entries.reduce((sum, e) => sum + e.bytes, 0), unreadable};
}

/** True when `/proc/self/mountinfo` has a mount whose mount point (field 5, octal escapes decoded) is `point`. */
export function isMountPoint(mountinfo: string, point: string): boolean {
	return mountinfo.split('\n').some((line) => {
		const field = line.split(' ')[4];
		return field !== undefined && field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) === point;
	});
}
