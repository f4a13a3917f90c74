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
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

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
 * Builds the bundle.
 * @param {{entry?: string, outdir?: string}} [options] paths relative to the project root; the entry becomes OUTDIR/main.js
 * @returns {Promise<void>} rejects with esbuild's error on a failed build
 */
export async function bundle(options = {}) {
	const outdir = join(root, options.outdir ?? 'dist/cli');
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
		banner: {js: "import {createRequire as left4meCreateRequire} from 'node:module';\nconst require = left4meCreateRequire(import.meta.url);"},
		plugins: [noDevtools],
		legalComments: 'linked',
		logLevel: 'warning',
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
