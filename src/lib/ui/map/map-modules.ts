/**
 * The browser-only map libraries, loaded once, after the first result is on screen. (Loading them
 * while the worker computes was measured slower: their evaluation holds the main thread, so the
 * worker's answer waited — npm run bench:ui, coverage on screen 0.54 s → 2.26 s.)
 */
const load = () =>
	Promise.all([
		import('maplibre-gl'),
		import('maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'),
		import('pmtiles'),
		import('@deck.gl/mapbox'),
		import('./layers.ts')
	]).then(([maplibre, worker, pmtiles, mapbox, layers]) => ({
		maplibre,
		workerUrl: worker.default,
		Protocol: pmtiles.Protocol,
		MapboxOverlay: mapbox.MapboxOverlay,
		layers
	}));

let modules: ReturnType<typeof load> | undefined;

export function loadMapModules(): ReturnType<typeof load> {
	modules ??= load();
	return modules;
}
