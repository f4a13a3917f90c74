import {describe, expect, it} from 'vitest';
import {normalizeLayer} from '../../../source/core/layers.js';

const STATE = '/var/lib/left4me';

describe('normalizeLayer', () => {
	it.each([
		['overlays/maps', 'overlays/maps'],
		['./overlays/maps', 'overlays/maps'],
		['overlays/maps/', 'overlays/maps'],
		['overlays//maps', 'overlays/maps'],
		['overlays/x/../maps', 'overlays/maps'],
		['installation', 'installation'],
		['installation/left4dead2', 'installation/left4dead2'],
		['workshop_cache/2123456789', 'workshop_cache/2123456789'],
		['global_overlay_cache/abc', 'global_overlay_cache/abc'],
		['/var/lib/left4me/overlays/maps', 'overlays/maps'],
		['/var/lib/left4me/installation', 'installation'],
		['/var/lib/left4me/./overlays/../overlays/maps', 'overlays/maps'],
	])('accepts %j as %j', (ref, ok) => {
		expect(normalizeLayer(STATE, ref)).toEqual({ok});
	});

	it.each([
		['', /empty/],
		['../../etc', /outside \/var\/lib\/left4me/],
		['overlays/../../../etc', /outside/],
		['/etc', /outside/],
		['/var/lib/left4me-other/overlays/a', /outside/],
		['/var/lib/left4me', /outside/],
		['.', /outside/],
		['overlays/..', /outside/],
		['runtime/alpha/merged', /not under installation, overlays, global_overlay_cache, workshop_cache/],
		['instances/alpha', /not under/],
		['overlays', /names the root overlays\/ itself/],
		['overlays/', /names the root overlays\/ itself/],
		['workshop_cache', /names the root workshop_cache\/ itself/],
		['/var/lib/left4me/global_overlay_cache', /names the root global_overlay_cache\/ itself/],
		['overlays/a,overlays/b', /contains a space, ",", ":"/],
		['overlays/a:installation', /contains/],
		['overlays/my maps', /contains/],
		['overlays/maps\t', /contains/],
		['overlays\\maps', /contains/],
		['overlays/a\u0001b', /contains/],
	])('refuses %j', (ref, message) => {
		const result = normalizeLayer(STATE, ref);
		expect(result).toHaveProperty('error');
		expect((result as {error: string}).error).toMatch(message);
	});
});
