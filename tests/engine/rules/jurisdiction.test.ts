import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jurisdictionFit, profileForCode } from '../../../src/lib/engine/rules/jurisdiction.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const profileCodes = (id: string): string[] =>
	JSON.parse(readFileSync(join(repoRoot, 'data/profiles', `${id}.json`), 'utf8')).jurisdiction
		.codes;
const regionCodes = (id: string): string[] =>
	JSON.parse(
		readFileSync(join(repoRoot, 'data/regions', id, 'boundaries.geojson'), 'utf8')
	).features.map((f: { properties: { code: string } }) => f.properties.code);

describe('jurisdictionFit: does a profile’s text govern a region', () => {
	it('the Shanghai demo lies outside every Shandong profile', () => {
		const shanghai = regionCodes('shanghai-bund-lujiazui');
		for (const file of readdirSync(join(repoRoot, 'data/profiles')).filter((f) =>
			f.endsWith('.json')
		))
			expect(jurisdictionFit(profileCodes(file.slice(0, -5)), shanghai), file).toBe('other');
	});

	it('Laoshan is governed by its own profile and by the Qingdao city texts, not by Dong’e', () => {
		const laoshan = regionCodes('qingdao-laoshan');
		expect(jurisdictionFit(profileCodes('qingdao-laoshan-2024'), laoshan)).toBe('governs');
		expect(jurisdictionFit(profileCodes('qingdao-city-2023-draft'), laoshan)).toBe('governs');
		expect(jurisdictionFit(profileCodes('donge-2023'), laoshan)).toBe('other');
	});

	it('a region across a border is partly governed; one without codes cannot be told', () => {
		expect(jurisdictionFit(['370212'], ['370212', '370202'])).toBe('partly');
		expect(jurisdictionFit(['3702'], ['370212001', '370202'])).toBe('governs');
		expect(jurisdictionFit(['370212'], [null, undefined, ''])).toBe('unknown');
		// a street code counts under its district's prefix; a short code is not a place
		expect(jurisdictionFit(['370212'], ['37'])).toBe('unknown');
		// a profile written before jurisdiction codes existed: cannot tell either
		expect(jurisdictionFit([], ['370212'])).toBe('unknown');
	});
});

describe('profileForCode: a region’s default profile from its jurisdiction', () => {
	const profiles = [
		'qingdao-laoshan-2024',
		'qingdao-city-2023-draft',
		'qingdao-rural-2022',
		'donge-2023'
	].map((id) => ({
		id,
		codes: profileCodes(id),
		status: JSON.parse(readFileSync(join(repoRoot, 'data/profiles', `${id}.json`), 'utf8')).document
			.status
	}));
	it('takes the most specific text, then the one in force before a draft before an expired one', () => {
		expect(profileForCode('370212', profiles)).toBe('qingdao-laoshan-2024');
		expect(profileForCode('370212003', profiles)).toBe('qingdao-laoshan-2024');
		// 市南区: the city's draft, not the expired rural plan with the same code
		expect(profileForCode('370202', profiles)).toBe('qingdao-city-2023-draft');
		expect(profileForCode('371524', profiles)).toBe('donge-2023');
		expect(profileForCode('310101', profiles)).toBeNull();
	});
});
