/**
 * Reading the shared inputs and writing region files byte-for-byte reproducibly: coordinates
 * rounded to 7 decimals (≈1 cm), keys in the order the builder creates them, one feature per line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

/** Decimals kept in written coordinates: 1e-7° ≈ 1.1 cm, finer than any OSM survey. */
export const COORDINATE_DECIMALS = 7;

/** Thrown when an input does not look the way the builder expects; the message names the file. */
export class RegionBuildError extends Error {
	constructor(file: string, message: string) {
		super(`${file}: ${message}`);
		this.name = 'RegionBuildError';
	}
}

/** Inputs are named by their path relative to the shared data folder, never by a machine path. */
export interface SharedInputs {
	dir: string;
	readText(relativePath: string): string;
	readJson<T = unknown>(relativePath: string): T;
	/** Rows as objects keyed by header; empty cells are ''. */
	readCsv(relativePath: string): Record<string, string>[];
}

export function sharedInputs(dir: string): SharedInputs {
	const readText = (relativePath: string): string => {
		try {
			return readFileSync(join(dir, relativePath), 'utf8');
		} catch (error) {
			throw new RegionBuildError(
				relativePath,
				`cannot read input (${(error as Error).message}); pass --shared <dir>`
			);
		}
	};
	return {
		dir,
		readText,
		readJson: <T>(relativePath: string) => JSON.parse(readText(relativePath)) as T,
		readCsv(relativePath) {
			const parsed = Papa.parse<Record<string, string>>(readText(relativePath), {
				header: true,
				skipEmptyLines: true
			});
			if (parsed.errors.length > 0) {
				const first = parsed.errors[0];
				throw new RegionBuildError(relativePath, `row ${(first.row ?? 0) + 2}: ${first.message}`);
			}
			return parsed.data;
		}
	};
}

export function roundCoordinate(value: number): number {
	const factor = 10 ** COORDINATE_DECIMALS;
	const rounded = Math.round(value * factor) / factor;
	return Object.is(rounded, -0) ? 0 : rounded;
}

/** Round every position of a GeoJSON geometry; drops repeated positions that rounding creates in lines and rings. */
export function roundGeometry<G extends { type: string; coordinates: unknown }>(geometry: G): G {
	const roundPositions = (positions: number[][]): number[][] => {
		const out: number[][] = [];
		for (const position of positions) {
			const rounded = [roundCoordinate(position[0]), roundCoordinate(position[1])];
			const last = out[out.length - 1];
			if (!last || last[0] !== rounded[0] || last[1] !== rounded[1]) out.push(rounded);
		}
		return out;
	};
	const c = geometry.coordinates as never;
	switch (geometry.type) {
		case 'Point':
			return {
				type: 'Point',
				coordinates: [roundCoordinate((c as number[])[0]), roundCoordinate((c as number[])[1])]
			} as unknown as G;
		case 'LineString':
			return { type: geometry.type, coordinates: roundPositions(c) } as unknown as G;
		case 'MultiLineString':
		case 'Polygon':
			return {
				type: geometry.type,
				coordinates: (c as number[][][]).map(roundPositions)
			} as unknown as G;
		case 'MultiPolygon':
			return {
				type: geometry.type,
				coordinates: (c as number[][][][]).map((polygon) => polygon.map(roundPositions))
			} as unknown as G;
		default:
			throw new Error(`unsupported geometry type ${geometry.type}`);
	}
}

/** A FeatureCollection with one feature per line: readable, diff-friendly, deterministic. */
export function featureCollectionText(features: unknown[]): string {
	if (features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
	return `{"type":"FeatureCollection","features":[\n${features.map((feature) => JSON.stringify(feature)).join(',\n')}\n]}\n`;
}

/** Plain JSON, 2-space indented, trailing newline. */
export function jsonText(value: unknown): string {
	return `${JSON.stringify(value, null, 2)}\n`;
}
