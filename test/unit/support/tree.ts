import {mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, readlinkSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A fresh temporary directory; remove it with {@link removeTree}. */
export function tempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), `left4me-${prefix}-`));
}

export function removeTree(dir: string): void {
	rmSync(dir, {recursive: true, force: true});
}

/** Writes files (path relative to root → content), creating parent directories. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
	for (const [relative, content] of Object.entries(files)) {
		const file = join(root, relative);
		mkdirSync(join(file, '..'), {recursive: true});
		writeFileSync(file, content);
	}
}

/**
 * Every entry under root with its kind, mode and content (files) or target (links), sorted:
 * two equal listings mean nothing on disk changed.
 */
export function listTree(root: string): string[] {
	const out: string[] = [];
	const visit = (dir: string, prefix: string) => {
		for (const name of readdirSync(dir).sort()) {
			const full = join(dir, name);
			const rel = `${prefix}${name}`;
			const st = lstatSync(full);
			const mode = (st.mode & 0o7777).toString(8);
			if (st.isSymbolicLink()) out.push(`L ${rel} -> ${readlinkSync(full)}`);
			else if (st.isDirectory()) {
				out.push(`D ${rel} ${mode}`);
				visit(full, `${rel}/`);
			} else out.push(`F ${rel} ${mode} ${JSON.stringify(readFileSync(full, 'utf8'))}`);
		}
	};
	visit(root, '');
	return out;
}
