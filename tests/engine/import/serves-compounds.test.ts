/**
 * Issue 12: a facility list's 所属小区 / 服务小区 column becomes `servesCompounds` (the compounds'
 * ids or names as written, several per cell).
 */
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../src/lib/engine/import/csv.ts';
import { mapLayer, parseCompoundList } from '../../../src/lib/engine/import/map-layer.ts';
import { facilityFeature } from '../../../src/lib/engine/region/schema.ts';

const csv = (text: string) => readCsv(new TextEncoder().encode(text), '设施.csv');

describe('所属小区 → servesCompounds', () => {
	it('splits a cell on 、，,;； and spaces, keeps names as written, each once', () => {
		expect(parseCompoundList('崂山五村、乳山二村；招远小区')).toEqual([
			'崂山五村',
			'乳山二村',
			'招远小区'
		]);
		expect(parseCompoundList('a, b;c d\u3000e，a')).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(parseCompoundList('—')).toEqual([]);
		expect(parseCompoundList('')).toEqual([]);
		expect(parseCompoundList(12)).toEqual(['12']);
	});

	it.each(['所属小区', '服务小区', '服务小区名称', '配套小区', 'servesCompounds'])(
		'reads the %s column of a facility list; an empty cell leaves the field out',
		(header) => {
			const { features, columnMap } = mapLayer(
				csv(
					`名称,类型,建筑面积,经度,纬度,${header}\n` +
						'一号站,社区养老服务站,300,120.47,36.1,"崂山五村、乳山二村"\n' +
						'二号站,社区养老服务站,200,120.48,36.1,\n'
				),
				'facilities'
			);
			expect(columnMap.servesCompounds).toBe(header);
			expect(features[0].properties.servesCompounds).toEqual(['崂山五村', '乳山二村']);
			expect('servesCompounds' in features[1].properties).toBe(false);
			for (const feature of features) expect(facilityFeature.safeParse(feature).success).toBe(true);
		}
	);
});
