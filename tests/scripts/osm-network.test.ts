import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRegions } from '../../scripts/build-region.ts';

const sharedDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const haveShared = existsSync(sharedDir);

/** Two footways in 崂山区 (near 金家岭) and one far away, as OSM XML. */
const laoshanExtract = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-written test extract">
  <node id="1" lat="36.0900" lon="120.4700"/>
  <node id="2" lat="36.0910" lon="120.4710"/>
  <node id="3" lat="36.0920" lon="120.4705"/>
  <node id="4" lat="31.2300" lon="121.5000"/>
  <node id="5" lat="31.2310" lon="121.5010"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/><tag k="highway" v="footway"/></way>
  <way id="13"><nd ref="1"/><nd ref="3"/><tag k="building" v="yes"/></way>
</osm>
`;

describe.skipIf(!haveShared)('region:build --osm adds a walking network to qingdao-laoshan', () => {
	let dir: string;
	beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'carecircle-osm-'))));
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('installs the extract, records its ODbL source, and keeps it on a later rebuild', () => {
		const extract = join(dir, 'laoshan.osm');
		writeFileSync(extract, laoshanExtract);
		const out = join(dir, 'regions');
		buildRegions({ sharedDir, outDir: out, regions: ['qingdao-laoshan'], osmExtract: extract });

		const regionDir = join(out, 'qingdao-laoshan');
		expect(readFileSync(join(regionDir, 'network.osm'), 'utf8')).toBe(laoshanExtract);
		const meta = JSON.parse(readFileSync(join(regionDir, 'region.json'), 'utf8'));
		expect(meta.layers.network).toBe('network.osm');
		expect(meta.summary.networkHighwayWays).toBe(3);
		expect(meta.summary.networkHighwayWaysInRegion).toBe(2);
		expect(meta.sources.find((s: { id: string }) => s.id === 'osm-extract')).toMatchObject({
			licence: 'ODbL-1.0',
			attribution: '© OpenStreetMap contributors'
		});
		const notes = meta.notes as { zh: string; en: string }[];
		expect(notes.map((note) => note.en).join('\n')).not.toContain('No road network exists');
		expect(notes.map((note) => note.zh).join('\n')).not.toContain('本区域尚无道路网络');
		expect(notes.at(-1)).toEqual({
			zh: '步行路网：OSM 数据 network.osm（道路 3 条，其中 2 条有节点位于区域内）。哪些道路可步行由路网构建程序的标签表决定。',
			en: "Walking network: the OSM extract network.osm (3 highway ways, 2 with a node inside the region). Walkability is decided by the graph builder's tag table."
		});

		buildRegions({ sharedDir, outDir: out, regions: ['qingdao-laoshan'] });
		expect(readFileSync(join(regionDir, 'region.json'), 'utf8')).toBe(
			`${JSON.stringify(meta, null, 2)}\n`
		);
	});

	it('refuses an extract with no highway inside the region and writes nothing', () => {
		const out = join(dir, 'regions');
		expect(() =>
			buildRegions({
				sharedDir,
				outDir: out,
				regions: ['qingdao-laoshan'],
				osmExtract: join(sharedDir, 'roads', 'shenzhen_longgang_raw.osm')
			})
		).toThrow(
			'shenzhen_longgang_raw.osm: none of its 516 highway ways has a node inside the region bbox 120.4058883, 35.888432, 120.955088, 36.341497; is it the extract for this region?'
		);
		expect(existsSync(join(out, 'qingdao-laoshan'))).toBe(false);
	});

	it('refuses --osm for the demo region, whose network comes from its own sources', () => {
		writeFileSync(join(dir, 'x.osm'), laoshanExtract);
		expect(() =>
			buildRegions({
				sharedDir,
				outDir: join(dir, 'regions'),
				regions: ['shanghai-bund-lujiazui'],
				osmExtract: join(dir, 'x.osm')
			})
		).toThrow();
	});
});
