/**
 * The host layout left4me owns (SPEC.md, "Host layout"). This module is the one
 * place that names these paths and unit names; everything else asks it.
 */
import {posix as path} from 'node:path';

/** Absolute paths of one left4me host. All strings are absolute POSIX paths. */
export type Paths = Readonly<{
	/** `/var/lib/left4me`: data root, owned by the `left4me` user. */
	state: string;
	/** `STATE/installation`: the srcds install; the lowest overlay layer. */
	installation: string;
	/** `STATE/instances`: one directory per instance holding `instance.env` and `cfg/`. */
	instances: string;
	/** `STATE/runtime`: one `{upper,work,merged}` overlayfs per instance. */
	runtime: string;
	/** `STATE/overlays`: outputs of overlay build scripts. */
	overlays: string;
	/** `STATE/overlay-scripts`: the build script of each overlay, `NAME.sh`. */
	overlayScripts: string;
	/** `STATE/builds`: last build result of each overlay, `NAME.json` (root-owned, written by left4me-script-sandbox). */
	builds: string;
	/** `/usr/local/libexec/left4me`: the privileged helpers (root-owned, run through `sudo -n`). */
	libexec: string;
	/** The cgroup v2 mount point (usually `/sys/fs/cgroup`). */
	cgroupRoot: string;
}>;

/** Lower-layer roots an instance may stack, relative to STATE (SPEC.md; the overlay helper keeps its own copy). */
export const ALLOWED_LAYER_ROOTS = ['installation', 'overlays', 'global_overlay_cache', 'workshop_cache'] as const;

/** Name of the template every game server is an instance of. */
export const SERVER_TEMPLATE = 'left4me-server@.service';
/** Slice of the game servers; nests under `l4d2.slice` by systemd's dash naming (systemd.slice(5)). */
export const GAME_SLICE = 'l4d2-game.slice';
/** Slice of overlay builds (CPUWeight=10, IOWeight=10). */
export const BUILD_SLICE = 'l4d2-build.slice';

/**
 * Directories whose entries `systemctl enable`, `disable` and `mask` of a server change
 * (systemctl(1)): the unit directory, and the `.wants/` of the target in the template's
 * [Install] WantedBy= (units/left4me-server@.service). An entry added or removed changes its
 * directory's mtime (stat(2)), so watching these needs no process.
 */
export const UNIT_FILE_DIRS: readonly string[] = ['/etc/systemd/system', '/etc/systemd/system/multi-user.target.wants'];

/**
 * Builds the path set for a data root.
 * @param state data root, default `/var/lib/left4me`
 * @param cgroupRoot cgroup2 mount point, default `/sys/fs/cgroup`
 */
export function makePaths(state = '/var/lib/left4me', cgroupRoot = '/sys/fs/cgroup', libexec = '/usr/local/libexec/left4me'): Paths {
	return {
		state,
		installation: path.join(state, 'installation'),
		instances: path.join(state, 'instances'),
		runtime: path.join(state, 'runtime'),
		overlays: path.join(state, 'overlays'),
		overlayScripts: path.join(state, 'overlay-scripts'),
		builds: path.join(state, 'builds'),
		libexec,
		cgroupRoot,
	};
}

/** `left4me-server@NAME.service`: the template instance unit of one server. */
export function serverUnit(name: string): string {
	return `left4me-server@${name}.service`;
}

/** `left4me-build-OVERLAY.service`: the transient unit of one overlay build. */
export function buildUnit(overlay: string): string {
	return `left4me-build-${overlay}.service`;
}

/** `STATE/builds/OVERLAY.json`: the last result of an overlay's build. */
export function buildResultPath(paths: Paths, overlay: string): string {
	return path.join(paths.builds, `${overlay}.json`);
}

/** Inverse of {@link serverUnit}; null for any other unit name. */
export function instanceOfUnit(unit: string): string | null {
	const m = /^left4me-server@([^.]+)\.service$/.exec(unit);
	return m ? m[1]! : null;
}

/** `STATE/instances/NAME/instance.env`. */
export function instanceEnvPath(paths: Paths, name: string): string {
	return path.join(paths.instances, name, 'instance.env');
}

/** Absolute cgroupfs directory of a unit given its `ControlGroup` (e.g. `/l4d2.slice/l4d2-game.slice/x.service`). */
export function cgroupDir(paths: Paths, controlGroup: string): string {
	return path.join(paths.cgroupRoot, controlGroup);
}

/**
 * The cgroup a server instance gets when it runs. Known before it starts, so the
 * metrics sampler can watch a never-started instance without asking systemd.
 */
export function serverControlGroup(name: string): string {
	return `/l4d2.slice/${GAME_SLICE}/${serverUnit(name)}`;
}

/** The cgroup an overlay build's transient unit runs in (exists only while it runs). */
export function buildControlGroup(overlay: string): string {
	return `/l4d2.slice/${BUILD_SLICE}/${buildUnit(overlay)}`;
}

/** cgroup of a slice, e.g. `/l4d2.slice/l4d2-game.slice`. */
export function sliceControlGroup(slice: typeof GAME_SLICE | typeof BUILD_SLICE): string {
	return `/l4d2.slice/${slice}`;
}

/** Full path of a helper, e.g. `/usr/local/libexec/left4me/left4me-systemctl`. */
export function helperPath(paths: Paths, helper: HelperName): string {
	return path.join(paths.libexec, helper);
}

/** The privileged helpers l4d2ctl may call (each pinned by its own sudoers rule). */
export type HelperName = 'left4me-systemctl' | 'left4me-journalctl' | 'left4me-overlay' | 'left4me-script-sandbox' | 'left4me-apply-cake';
