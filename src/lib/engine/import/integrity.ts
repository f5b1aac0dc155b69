/**
 * Checks of an import as a whole, after every row has been mapped: does the file belong to this
 * region at all, does it name one place twice, which street does each row's 所属街道 mean. A file
 * that fails them is refused before anything is written (ImportError), so a list of another city
 * or in the wrong coordinate system can never replace a region's good layer.
 */
import type { ImportIssue } from './report.ts';
import { ImportError } from './report.ts';
import { normalizeValue } from './aliases.ts';

export type Bbox = [number, number, number, number];

/**
 * Share of features outside the region above which the file is refused: a list with a few stray
 * rows is a list of this region with mistakes (kept, each flagged); one mostly elsewhere is the
 * wrong file or the wrong coordinate system, and no row of it can be trusted.
 */
export const MAX_OUTSIDE_SHARE = 0.5;

/** Below this distance (km) from the region a miss looks like a coordinate offset (GCJ-02/BD-09 ≈ 0.5–1 km). */
const OFFSET_KM = 5;

interface Located {
	geometry: { coordinates: unknown };
	properties: { name: string };
}

function bboxOf(coordinates: unknown, box = [Infinity, Infinity, -Infinity, -Infinity]): number[] {
	if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
		const [x, y] = coordinates as number[];
		box[0] = Math.min(box[0], x);
		box[1] = Math.min(box[1], y);
		box[2] = Math.max(box[2], x);
		box[3] = Math.max(box[3], y);
	} else if (Array.isArray(coordinates)) {
		for (const child of coordinates) bboxOf(child, box);
	}
	return box;
}

const inChina = (lon: number, lat: number) => lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Great-circle distance in km (haversine; ample for telling a city from another). */
function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
	const rad = Math.PI / 180;
	const a =
		Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
		Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Distance (km) from a point to a bbox, 0 inside. */
function distanceToBboxKm(lon: number, lat: number, [w, s, e, n]: Bbox): number {
	return distanceKm(lon, lat, Math.min(e, Math.max(w, lon)), Math.min(n, Math.max(s, lat)));
}

/**
 * Flag each feature outside the region's bbox, and refuse the file when most of them are.
 * @returns one warning per outside feature (file, row, name), when the file is kept
 * @throws ImportError OUTSIDE_REGION when more than MAX_OUTSIDE_SHARE of the features are
 *   outside, naming the likely cause (coordinate system, swapped columns, another city)
 */
export function checkInsideRegion(
	file: string,
	rowKind: 'row' | 'feature',
	features: Located[],
	sourceRows: number[],
	bbox: Bbox,
	crsLabel: string
): ImportIssue[] {
	const [west, south, east, north] = bbox;
	const issues: ImportIssue[] = [];
	const outsideCentres: [number, number][] = [];
	features.forEach((feature, index) => {
		const [minX, minY, maxX, maxY] = bboxOf(feature.geometry.coordinates);
		if (maxX < west || minX > east || maxY < south || minY > north) {
			outsideCentres.push([(minX + maxX) / 2, (minY + maxY) / 2]);
			issues.push({
				file,
				row: sourceRows[index],
				rowKind,
				field: 'geometry',
				value: feature.properties.name,
				reason: `lies outside the region (bbox ${west}, ${south}, ${east}, ${north}); kept — check the coordinate system (--crs) if it should be inside`,
				action: 'warning'
			});
		}
	});
	if (features.length === 0 || outsideCentres.length / features.length <= MAX_OUTSIDE_SHARE)
		return issues;

	const lon = median(outsideCentres.map((c) => c[0]));
	const lat = median(outsideCentres.map((c) => c[1]));
	const where = `${lon.toFixed(4)}, ${lat.toFixed(4)}`;
	const km = distanceToBboxKm(lon, lat, bbox);
	const swappedInside = lat >= west && lat <= east && lon >= south && lon <= north;
	let cause: string;
	if (swappedInside)
		cause = `经纬度列可能颠倒 / the longitude and latitude columns look swapped: read the other way round they fall inside the region`;
	else if (!inChina(lon, lat))
		cause = `坐标系可能不对 / the coordinate system looks wrong: read as ${crsLabel} the rows land around ${where}, outside China; if the file is projected (metres) or in another system, give it (--crs, e.g. gcj02, bd09, EPSG:4549)`;
	else if (km < OFFSET_KM)
		cause = `坐标系偏移 / a coordinate-system offset: the rows lie ${km.toFixed(1)} km off the region, as GCJ-02 or BD-09 coordinates read as WGS84 do (read as ${crsLabel}); give the right one (--crs gcj02 or bd09)`;
	else
		cause = `可能是其他城市或区县的名单 / this looks like another city's or district's list: the rows lie around ${where}, about ${Math.round(km)} km from the region`;
	throw new ImportError(
		'OUTSIDE_REGION',
		file,
		`${outsideCentres.length} of ${features.length} ${rowKind === 'row' ? 'rows' : 'features'} lie outside the region (bbox ${west}, ${south}, ${east}, ${north}): ${cause}. 导入已拒绝，区域未改动 / Import refused; the region is unchanged.`,
		issues
	);
}

interface Named {
	properties: { id?: string; name: string; streetCode?: string | null };
}

/**
 * Records that name one place twice: the same id, or the same name in the same street (or with
 * no street to tell them apart). Two 幸福小区 in different streets are two places, not a duplicate.
 * @returns one issue per repeated row, naming both rows; empty when every record is distinct
 */
export function findDuplicates(
	file: string,
	rowKind: 'row' | 'feature',
	features: Named[],
	sourceRows: number[],
	duplicateIds: { id: string; rows: [number, number] }[],
	streetNameOf: (index: number) => string | null
): ImportIssue[] {
	const unit = rowKind === 'row' ? 'row' : 'feature';
	const issues: ImportIssue[] = duplicateIds.map(({ id, rows: [first, again] }) => ({
		file,
		row: again,
		rowKind,
		field: 'id',
		value: id,
		reason: `重复编号 / duplicate id: ${unit}s ${first} and ${again} both give "${id}"`,
		action: 'rejected'
	}));
	const firstRow = new Map<string, number>();
	features.forEach((feature, index) => {
		const street = feature.properties.streetCode ?? streetNameOf(index) ?? '';
		const key = `${normalizeValue(feature.properties.name)}\u0000${normalizeValue(street)}`;
		const earlier = firstRow.get(key);
		if (earlier === undefined) {
			firstRow.set(key, sourceRows[index]);
			return;
		}
		issues.push({
			file,
			row: sourceRows[index],
			rowKind,
			field: 'name',
			value: feature.properties.name,
			reason: `重名 / duplicate name: ${unit}s ${earlier} and ${sourceRows[index]} are both "${feature.properties.name}"${street ? ` in ${street}` : ' and no street tells them apart'}`,
			action: 'rejected'
		});
	});
	return issues.sort((a, b) => a.row - b.row);
}

/** Street names as lists write them: 中韩街道, 中韩, 中韩街道办事处 are one street. */
function streetKey(name: string): string {
	return normalizeValue(name).replace(/(街道办事处|办事处|街道|镇|乡)$/, '');
}

/**
 * Fill a missing street code from the 所属街道 name where the region knows the street.
 * @returns the features with codes filled, and one warning per name that is not a street of the region
 */
export function resolveStreetNames<
	F extends { properties: { id: string; streetCode: string | null } }
>(
	file: string,
	rowKind: 'row' | 'feature',
	features: F[],
	sourceRows: number[],
	streetNames: Record<string, string>,
	streets: { code: string; name: string }[]
): { features: F[]; issues: ImportIssue[] } {
	const byKey = new Map(streets.map((street) => [streetKey(street.name), street.code]));
	// One warning per unknown name (not per row); none when the region knows no streets at all.
	const unknown = new Map<string, number[]>();
	const out = features.map((feature, index) => {
		const name = streetNames[feature.properties.id];
		if (!name || feature.properties.streetCode || streets.length === 0) return feature;
		const code = byKey.get(streetKey(name));
		if (code) return { ...feature, properties: { ...feature.properties, streetCode: code } };
		unknown.set(name, [...(unknown.get(name) ?? []), sourceRows[index]]);
		return feature;
	});
	const unit = rowKind === 'row' ? 'rows' : 'features';
	const issues: ImportIssue[] = [...unknown].map(([name, rows]) => ({
		file,
		row: rows[0],
		rowKind,
		field: 'streetName',
		value: name,
		reason: `不是本区域的街道 / not a street of the region (streets: ${streets.map((s) => s.name).join('、')}), ${unit} ${rows.join(', ')}; street left empty, found from the boundaries where they cover the row`,
		action: 'warning'
	}));
	return { features: out, issues };
}
