/**
 * The declarative instance spec of `l4d2ctl initialize NAME -f SPEC.yaml`
 * (schema: source/schemas/instance-spec.schema.json). Pure: compares a spec with
 * an instance's current settings.
 */
import type {InstanceConfig} from './instance-env.js';

/** A parsed, schema-valid spec. */
export type InstanceSpec = Readonly<{
	/** Game port, 1024..65535. */
	port: number;
	/** Lower layers above `installation`, top first (e.g. `overlays/maps`). */
	layers: readonly string[];
	/** Text of cfg/server.cfg; undefined leaves the file as it is. */
	serverCfg?: string;
	/** Extra srcds arguments. */
	args: string;
}>;

/** One changed setting: `field` is port, layers, args or serverCfg. */
export type SpecChange = Readonly<{field: string; from: unknown; to: unknown}>;

/** The instance config a spec asks for (`installation` always stacked lowest). */
export function configOfSpec(spec: InstanceSpec): InstanceConfig {
	return {port: spec.port, lowerdirs: [...spec.layers, 'installation'], args: spec.args};
}

/**
 * What applying `spec` would change.
 * @param current the instance's config, or null when it does not exist yet
 * @param currentCfg the current text of cfg/server.cfg, or null when absent
 */
export function specChanges(spec: InstanceSpec, current: InstanceConfig | null, currentCfg: string | null): SpecChange[] {
	const want = configOfSpec(spec);
	const changes: SpecChange[] = [];
	if (current?.port !== want.port) changes.push({field: 'port', from: current?.port ?? null, to: want.port});
	if (current === null || current.lowerdirs.join(':') !== want.lowerdirs.join(':')) {
		changes.push({field: 'layers', from: current ? [...current.lowerdirs] : null, to: [...want.lowerdirs]});
	}
	if (current?.args !== want.args) changes.push({field: 'args', from: current?.args ?? null, to: want.args});
	if (spec.serverCfg !== undefined && spec.serverCfg !== currentCfg) changes.push({field: 'serverCfg', from: currentCfg, to: spec.serverCfg});
	return changes;
}
