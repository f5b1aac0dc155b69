/** Web-Mercator tile arithmetic for the decoded Tilezen z16 tiles. */

export const TILE_ZOOM = 16;

export interface TileBounds {
	x: number;
	y: number;
	/** [west, south, east, north] in WGS84 degrees. */
	bbox: [number, number, number, number];
}

function lonToTileX(lon: number, zoom: number): number {
	return ((lon + 180) / 360) * 2 ** zoom;
}
function latToTileY(lat: number, zoom: number): number {
	const rad = (lat * Math.PI) / 180;
	return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** zoom;
}
function tileXToLon(x: number, zoom: number): number {
	return (x / 2 ** zoom) * 360 - 180;
}
function tileYToLat(y: number, zoom: number): number {
	return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** zoom))) * 180) / Math.PI;
}

/** Bounds of tile (x, y) at `zoom`. */
export function tileBounds(x: number, y: number, zoom = TILE_ZOOM): TileBounds {
	return {
		x,
		y,
		bbox: [
			tileXToLon(x, zoom),
			tileYToLat(y + 1, zoom),
			tileXToLon(x + 1, zoom),
			tileYToLat(y, zoom)
		]
	};
}

/**
 * Which tile a decoded tile object is: the `earth` layer is clipped to the tile without buffer,
 * so the centre of its bounding box lies inside the tile.
 * @param earthCoordinates every position of the tile's earth layer
 */
export function identifyTile(earthCoordinates: number[][], zoom = TILE_ZOOM): TileBounds {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const [lon, lat] of earthCoordinates) {
		west = Math.min(west, lon);
		east = Math.max(east, lon);
		south = Math.min(south, lat);
		north = Math.max(north, lat);
	}
	if (!Number.isFinite(west)) throw new Error('tile has no earth layer to locate it by');
	const x = Math.floor(lonToTileX((west + east) / 2, zoom));
	const y = Math.floor(latToTileY((south + north) / 2, zoom));
	return tileBounds(x, y, zoom);
}

/** Every position of a GeoJSON geometry, flattened. */
export function positionsOf(geometry: { type: string; coordinates: unknown }): number[][] {
	const out: number[][] = [];
	const walk = (value: unknown): void => {
		const array = value as unknown[];
		if (typeof array[0] === 'number') out.push(array as number[]);
		else for (const item of array) walk(item);
	};
	walk(geometry.coordinates);
	return out;
}
