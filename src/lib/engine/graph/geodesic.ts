/**
 * Distances on the earth for walking lengths. Haversine on the mean sphere (R = 6 371 008.8 m,
 * the radius turf uses): within 0.5 % of the ellipsoid, far below the uncertainty of a footway's
 * mapped line, and fast enough to run for every segment of a city.
 */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two lon/lat points in degrees. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
	const dLat = (lat2 - lat1) * RAD;
	const dLon = (lon2 - lon1) * RAD;
	const a =
		Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Metres per degree of longitude and latitude around a latitude: a local flat frame for
 * snapping and buffering at neighbourhood scale (error < 0.1 % over a few kilometres).
 */
export function metresPerDegree(latDeg: number): { x: number; y: number } {
	const y = EARTH_RADIUS_M * RAD;
	return { x: y * Math.cos(latDeg * RAD), y };
}
