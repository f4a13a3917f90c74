/**
 * Bundles `l4d2ctl` into dist/cli/main.js and its chunks (chunk-*.js), which is what
 * deploy/install.sh installs (with dist/schemas and package.json; no
 * node_modules). Run by `npm run build` after tsc has type-checked and
 * emitted dist/.
 *
 * Why a bundle: Node 20 resolves, reads and links every module of the
 * dependency graph one file at a time. For Ink, React and their dependencies
 * that is about 400 ms and 40 MB of RSS on a small host; one file loads in
 * about 70 ms (measured by `npm run bench`, "first frame").
 *
 * React is bundled in its production build (process.env.NODE_ENV is replaced
 * at build time): its development build costs several times the CPU and
 * memory per frame.
 */
import {build} from 'esbuild';
import {mkdirSync, readdirSync, rmSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * V8 flags l4d2ctl runs with (the bundle's `#!` line; deploy/install.sh's wrapper passes the
 * same, a unit test checks they agree). The dashboard runs all day with a bounded live heap
 * (about 20 MB with a full journal ring); V8's defaults size the young generation at up to
 * 3 × 16 MiB and let the old one grow to about 4 × the live size before a full GC, which
 * made RSS swing between 130 and 180 MiB during a 20,000 lines/s journal flood. A 4 MiB
 * semi-space and a heap that grows by half its live size keep it near 110 MiB at the same
 * CPU (`npm run bench`); a 1 MiB semi-space saved little more and cost startup time in
 * scavenges. The semi-space also starts at 4 MiB: from V8's initial 1 MiB, the idle
 * dashboard (about 300 KB of short-lived objects a second) scavenged every 3 s, which was
 * a fifth of its idle CPU; at 4 MiB it is every 12 s, for about 2 MiB more RSS.
 * Flags: `node --v8-options`.
 */
export const NODE_FLAGS = ['--min-semi-space-size=4', '--max-semi-space-size=4', '--heap-growing-percent=50'];

/**
 * Ink loads react-devtools-core only when DEV=true. It is not a dependency of
 * ours, so the bundle gets a stand-in that says so instead of a missing import.
 */
const noDevtools = {
	name: 'no-react-devtools',
	setup(b) {
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'left4me-stub'}));
		b.onLoad({filter: /.*/, namespace: 'left4me-stub'}, () => ({
			contents: 'throw new Error("l4d2ctl is built without React devtools: unset DEV");',
			loader: 'js',
		}));
	},
};

/**
 * yoga-layout's Emscripten loader (Ink's layout engine; its wasm is inline, base64) asks
 * `typeof fetch` before decoding it. In Node 20 that first touch of the global loads
 * Node's whole fetch implementation (undici): about 80 ms before the first frame, for a
 * request to a data: URL. The bundle gives that one module a local `fetch` that is
 * undefined, so it decodes the inline wasm directly; nothing else is changed.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(b) {
		b.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async (args) => ({
			contents: `const fetch = undefined;\n${await readFile(args.path, 'utf8')}`,
			loader: 'js',
		}));
	},
};

/**
 * Modules of Ink that the bundle replaces with its own, in source/ui/ink/. Each has the
 * same interface and gives the same results (test/unit/ui/ink-modules.test.ts runs both
 * on the same input); they differ in what they remember between frames.
 * - output.js composes each frame from scratch: it tokenises every line's ANSI codes and
 *   allocates one object per screen cell again, most of the 20 ms an idle 100×30
 *   dashboard frame cost. Ours keeps the cells of recent lines.
 * - widest-line is called for every Text node on every frame, uncached.
 * - measure-text.js and wrap-text.js cache every text they have ever seen and never
 *   forget one: a dashboard following a journal for days grows by every line shown.
 *   Ours hold a fixed number.
 * A build that includes Ink fails if one of them is no longer imported where expected,
 * so an Ink upgrade cannot silently drop a replacement.
 */
const INK_REPLACEMENTS = [
	{importer: 'renderer.js', specifier: './output.js', file: 'source/ui/ink/output.ts'},
	{importer: 'render-node-to-output.js', specifier: 'widest-line', file: 'source/ui/ink/widest-line.ts'},
	{importer: 'dom.js', specifier: './measure-text.js', file: 'source/ui/ink/measure-text.ts'},
	{importer: 'dom.js', specifier: './wrap-text.js', file: 'source/ui/ink/wrap-text.ts'},
	{importer: 'render-node-to-output.js', specifier: './wrap-text.js', file: 'source/ui/ink/wrap-text.ts'},
];

const inkReplacements = {
	name: 'ink-replacements',
	setup(b) {
		const used = new Set();
		let inkBuilt = false;
		b.onStart(() => {
			used.clear();
			inkBuilt = false;
		});
		b.onLoad({filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]index\.js$/}, () => {
			inkBuilt = true;
			return undefined;
		});
		const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
		const specifiers = new RegExp(`^(${[...new Set(INK_REPLACEMENTS.map((r) => escape(r.specifier)))].join('|')})$`);
		b.onResolve({filter: specifiers}, (args) => {
			const found = INK_REPLACEMENTS.find((r) => r.specifier === args.path && args.importer.split(/[\\/]/).slice(-4).join('/') === `node_modules/ink/build/${r.importer}`);
			if (!found) return undefined;
			used.add(found);
			return {path: join(root, found.file)};
		});
		b.onEnd((result) => {
			const missing = INK_REPLACEMENTS.filter((r) => !used.has(r));
			if (result.errors.length === 0 && inkBuilt && missing.length > 0) throw new Error(`Ink no longer imports ${missing.map((r) => `${r.specifier} from ${r.importer}`).join(', ')}: update INK_REPLACEMENTS in deploy/bundle.mjs`);
		});
	},
};

/**
 * Builds the bundle.
 * @param {{entry?: string, outdir?: string, inkReplacements?: boolean}} [options] paths relative to the project root; the entry becomes
 *   OUTDIR/main.js. inkReplacements: false keeps Ink's own modules (the benchmark's baseline); true by default.
 * @returns {Promise<void>} rejects with esbuild's error on a failed build
 */
export async function bundle(options = {}) {
	const outdir = resolve(root, options.outdir ?? 'dist/cli');
	mkdirSync(outdir, {recursive: true});
	// Chunk names carry a content hash: drop the previous build's, so only this build's are installed.
	for (const f of readdirSync(outdir, {withFileTypes: true}).filter((e) => e.isFile() && /^chunk-.*\.js(\.LEGAL\.txt)?$/.test(e.name))) rmSync(join(outdir, f.name));
	await build({
		absWorkingDir: root,
		entryPoints: {main: options.entry ?? 'source/cli/main.ts'},
		outdir,
		// The dashboard, Ink and gamedig go into chunks loaded by import() when first needed,
		// so headless commands never parse them.
		splitting: true,
		chunkNames: 'chunk-[hash]',
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'esm',
		jsx: 'automatic',
		define: {'process.env.NODE_ENV': '"production"'},
		// CommonJS dependencies (React, commander) call require() for Node's built-ins.
		banner: {js: `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}\nimport {createRequire as left4meCreateRequire} from 'node:module';\nconst require = left4meCreateRequire(import.meta.url);`},
		plugins: [noDevtools, yogaWithoutFetch, ...(options.inkReplacements === false ? [] : [inkReplacements])],
		legalComments: 'linked',
		// Less source for V8 to scan at every start; names are kept, so stack traces stay readable.
		minifyWhitespace: true,
		minifySyntax: true,
		logLevel: 'warning',
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
