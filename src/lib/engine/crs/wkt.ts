/**
 * Recognises the CRS of a .prj file (WKT1 as ArcGIS/QGIS write it, or WKT2) without an EPSG
 * registry. Order of evidence: an EPSG authority code we support; else the datum's ellipsoid
 * plus the transverse Mercator parameters (central meridian, false easting, scale); else the
 * CRS name ("CGCS2000_3_Degree_GK_Zone_40", "WGS_1984_UTM_Zone_50N" …).
 *
 * The ellipsoid check matters: Xi'an 1980 and Beijing 1954 GK zones carry the same
 * parameters as CGCS2000 ones but a different ellipsoid (~100 m apart), so they must not be
 * taken for CGCS2000.
 */
import { crsFromTransverseMercator, fromEpsgNumber, gk3Crs, utmCrs } from './ids.ts';
import type { CrsId } from './ids.ts';

/** A WKT node `KEYWORD[arg, …]`; bare identifiers (e.g. `EAST`) are nodes without args. */
interface WktNode {
	keyword: string;
	args: WktValue[];
}
type WktValue = WktNode | string | number;

/** Parses WKT text into nodes; null when it is not well-formed. */
export function parseWkt(text: string): WktNode | null {
	let position = 0;
	const skipSpace = () => {
		while (position < text.length && /\s/.test(text[position])) position++;
	};
	const parseValue = (): WktValue | null => {
		skipSpace();
		const char = text[position];
		if (char === '"') {
			let value = '';
			position++;
			while (position < text.length) {
				if (text[position] === '"') {
					// WKT2 escapes a quote by doubling it.
					if (text[position + 1] === '"') {
						value += '"';
						position += 2;
						continue;
					}
					position++;
					return value;
				}
				value += text[position++];
			}
			return null;
		}
		const numberMatch = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(
			text.slice(position, position + 64)
		);
		if (numberMatch) {
			position += numberMatch[0].length;
			return Number(numberMatch[0]);
		}
		const wordMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(position, position + 64));
		if (!wordMatch) return null;
		position += wordMatch[0].length;
		const node: WktNode = { keyword: wordMatch[0].toUpperCase(), args: [] };
		skipSpace();
		if (text[position] === '[' || text[position] === '(') {
			const close = text[position] === '[' ? ']' : ')';
			position++;
			skipSpace();
			if (text[position] === close) {
				position++;
				return node;
			}
			for (;;) {
				const arg = parseValue();
				if (arg === null) return null;
				node.args.push(arg);
				skipSpace();
				if (text[position] === ',') {
					position++;
					continue;
				}
				if (text[position] === close) {
					position++;
					break;
				}
				return null;
			}
		}
		return node;
	};
	const root = parseValue();
	skipSpace();
	return root !== null && typeof root === 'object' && position === text.length ? root : null;
}

function children(node: WktNode, ...keywords: string[]): WktNode[] {
	return node.args.filter(
		(arg): arg is WktNode => typeof arg === 'object' && keywords.includes(arg.keyword)
	);
}

function descendants(node: WktNode, keywords: string[], out: WktNode[] = []): WktNode[] {
	for (const arg of node.args) {
		if (typeof arg !== 'object') continue;
		if (keywords.includes(arg.keyword)) out.push(arg);
		descendants(arg, keywords, out);
	}
	return out;
}

/** Lower case with only letters and digits: "Central_Meridian" and "central meridian" agree. */
function normalise(name: unknown): string {
	return typeof name === 'string' ? name.toLowerCase().replace(/[^a-z0-9]/g, '') : '';
}

const PROJECTED_KEYWORDS = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'];
const GEOGRAPHIC_KEYWORDS = [
	'GEOGCS',
	'GEOGCRS',
	'GEOGRAPHICCRS',
	'GEODCRS',
	'GEODETICCRS',
	'BASEGEOGCRS',
	'BASEGEODCRS'
];

/** The EPSG code a node declares for itself (WKT1 AUTHORITY or WKT2 ID), if any. */
function ownEpsgCode(node: WktNode): number | null {
	for (const authority of children(node, 'AUTHORITY', 'ID')) {
		const [name, code] = authority.args;
		if (normalise(name) === 'epsg' && (typeof code === 'number' || typeof code === 'string')) {
			const value = Number(code);
			if (Number.isInteger(value)) return value;
		}
	}
	return null;
}

/**
 * 'ok' when the datum is WGS84 or CGCS2000 (both ellipsoids have a = 6 378 137 m and
 * 1/f ≈ 298.2572; GRS80 and WGS84 differ by 0.1 mm in the semi-minor axis), 'other' when an
 * ellipsoid or a non-Greenwich prime meridian rules them out, 'unknown' when the WKT says
 * nothing either way.
 */
function datumVerdict(geographic: WktNode): 'ok' | 'other' | 'unknown' {
	for (const meridian of descendants(geographic, ['PRIMEM', 'PRIMEMERIDIAN'])) {
		if (typeof meridian.args[1] === 'number' && meridian.args[1] !== 0) return 'other';
	}
	const ellipsoids = descendants(geographic, ['SPHEROID', 'ELLIPSOID']);
	if (ellipsoids.length > 0) {
		const [, semiMajorM, inverseFlattening] = ellipsoids[0].args;
		if (typeof semiMajorM !== 'number' || typeof inverseFlattening !== 'number') return 'unknown';
		return semiMajorM === 6378137 && Math.abs(inverseFlattening - 298.2572) < 1e-3 ? 'ok' : 'other';
	}
	const datumName = normalise(descendants(geographic, ['DATUM'])[0]?.args[0] ?? geographic.args[0]);
	if (/wgs1984|wgs84|china2000|cgcs2000|chinageodeticcoordinatesystem2000/.test(datumName))
		return 'ok';
	return 'unknown';
}

function isCgcs2000(geographic: WktNode): boolean {
	const names = [
		geographic.args[0],
		...descendants(geographic, ['DATUM']).map((datum) => datum.args[0])
	];
	return names.some((name) =>
		/china2000|cgcs2000|chinageodeticcoordinatesystem2000/.test(normalise(name))
	);
}

/** Length unit of a projected CRS in metres per unit (1 when the WKT does not say). */
function lengthUnitM(projected: WktNode): number {
	const units = [
		...children(projected, 'UNIT', 'LENGTHUNIT'),
		...descendants(projected, ['LENGTHUNIT'])
	];
	const factor = units[0]?.args[1];
	return typeof factor === 'number' ? factor : 1;
}

const PARAMETER_ALIASES: Record<string, 'cm' | 'lat0' | 'k' | 'fe' | 'fn'> = {
	centralmeridian: 'cm',
	longitudeofnaturalorigin: 'cm',
	longitudeoforigin: 'cm',
	longitudeofcenter: 'cm',
	latitudeoforigin: 'lat0',
	latitudeofnaturalorigin: 'lat0',
	scalefactor: 'k',
	scalefactoratnaturalorigin: 'k',
	falseeasting: 'fe',
	falsenorthing: 'fn'
};

function fromProjectedParameters(projected: WktNode): CrsId | null | undefined {
	const method = [...children(projected, 'PROJECTION'), ...descendants(projected, ['METHOD'])][0];
	if (!method) return undefined;
	const methodName = normalise(method.args[0]);
	if (!/^(transversemercator|gausskruger|tmerc)$/.test(methodName)) return null;
	const values: Partial<Record<'cm' | 'lat0' | 'k' | 'fe' | 'fn', number>> = {};
	for (const parameter of descendants(projected, ['PARAMETER'])) {
		const key = PARAMETER_ALIASES[normalise(parameter.args[0])];
		if (key && typeof parameter.args[1] === 'number') values[key] = parameter.args[1];
	}
	if (values.cm === undefined || values.fe === undefined) return undefined;
	return crsFromTransverseMercator({
		centralMeridianDeg: values.cm,
		falseEastingM: values.fe,
		falseNorthingM: values.fn ?? 0,
		scaleFactor: values.k ?? 1,
		latitudeOfOriginDeg: values.lat0 ?? 0
	});
}

/** "CGCS2000_3_Degree_GK_Zone_40", "CGCS2000 / 3-degree Gauss-Kruger CM 120E", "WGS 84 / UTM zone 50N". */
function fromProjectedName(name: string): CrsId | null {
	const key = normalise(name);
	const gkZone = /cgcs2000.*3degree(?:gk|gausskruger)zone(\d+)$/.exec(key);
	if (gkZone) return gk3Crs(Number(gkZone[1]), true);
	const gkCm = /cgcs2000.*3degree(?:gk|gausskruger)cm(\d+)e$/.exec(key);
	if (gkCm) return Number(gkCm[1]) % 3 === 0 ? gk3Crs(Number(gkCm[1]) / 3, false) : null;
	const utm = /wgs(?:19)?84utmzone(\d+)n$/.exec(key);
	if (utm) return utmCrs(Number(utm[1]));
	return null;
}

/**
 * The CRS of a .prj / WKT text, or null when it is not one we support or not WKT at all.
 * @example parseWktCrs('PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS[…],PROJECTION["Gauss_Kruger"],
 *   PARAMETER["False_Easting",40500000.0],PARAMETER["Central_Meridian",120.0],…]') // 'EPSG:4528'
 */
export function parseWktCrs(text: string): CrsId | null {
	let root = parseWkt(text.trim());
	if (!root) return null;
	// Compound and bound CRSs wrap the horizontal CRS we care about.
	if (['COMPD_CS', 'COMPOUNDCRS', 'BOUNDCRS', 'SOURCECRS'].includes(root.keyword)) {
		const inner = descendants(root, [...PROJECTED_KEYWORDS, ...GEOGRAPHIC_KEYWORDS])[0];
		if (!inner) return null;
		root = inner;
	}
	const code = ownEpsgCode(root);
	const byCode = code === null ? null : fromEpsgNumber(code);
	if (byCode) return byCode;

	if (GEOGRAPHIC_KEYWORDS.includes(root.keyword)) {
		if (datumVerdict(root) !== 'ok') return null;
		const unit =
			children(root, 'UNIT', 'ANGLEUNIT')[0]?.args[1] ??
			descendants(root, ['ANGLEUNIT'])[0]?.args[1];
		if (typeof unit === 'number' && Math.abs(unit - Math.PI / 180) > 1e-12) return null;
		return isCgcs2000(root) ? 'EPSG:4490' : 'EPSG:4326';
	}
	if (!PROJECTED_KEYWORDS.includes(root.keyword)) return null;
	const geographic = descendants(root, GEOGRAPHIC_KEYWORDS)[0];
	if (geographic && datumVerdict(geographic) === 'other') return null;
	if (lengthUnitM(root) !== 1) return null;
	const byParameters = fromProjectedParameters(root);
	if (byParameters !== undefined) return byParameters;
	return typeof root.args[0] === 'string' ? fromProjectedName(root.args[0]) : null;
}
