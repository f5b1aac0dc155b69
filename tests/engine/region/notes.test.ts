/**
 * Issue 15, item 3 ("every visible text in both languages"): region notes are `{ zh, en }`, and
 * a region.json written before that, with plain-string notes, still reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteText, regionMeta } from '../../../src/lib/engine/region/schema.ts';

const regionsDir = join(import.meta.dirname, '..', '..', '..', 'data', 'regions');
const shipped = readdirSync(regionsDir, { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
	.map((entry) => entry.name);
const readMeta = (id: string) =>
	regionMeta.parse(JSON.parse(readFileSync(join(regionsDir, id, 'region.json'), 'utf8')));

const HAN = /\p{Script=Han}/u;

describe('region notes in both languages (issue 15)', () => {
	it('ships regions', () => expect(shipped.length).toBeGreaterThan(0));

	it.each(shipped)('%s: every note has a Chinese and an English text', (id) => {
		const { notes } = readMeta(id);
		expect(notes.length).toBeGreaterThan(0);
		for (const note of notes) {
			expect(typeof note, JSON.stringify(note)).toBe('object');
			if (typeof note === 'string') continue;
			expect(note.zh, note.en).toMatch(HAN);
			expect(note.en.trim(), note.zh).not.toBe('');
			expect(note.zh).not.toBe(note.en);
		}
	});

	it.each(shipped)('%s: the Chinese note keeps every number of the English one', (id) => {
		for (const note of readMeta(id).notes) {
			if (typeof note === 'string') continue;
			for (const number of note.en.match(/\d+(?:\.\d+)?/g) ?? [])
				expect(note.zh, `${number} of "${note.en}"`).toContain(number);
		}
	});

	it('still reads a region.json whose notes are plain strings, and shows them as they are', () => {
		const meta = readMeta(shipped[0]);
		const old = regionMeta.parse({ ...meta, notes: ['Street populations are unknown (null).'] });
		expect(old.notes).toEqual(['Street populations are unknown (null).']);
		expect(noteText(old.notes[0], 'zh')).toBe('Street populations are unknown (null).');
		expect(noteText(old.notes[0], 'en')).toBe('Street populations are unknown (null).');
		const mixed = regionMeta.parse({
			...meta,
			notes: ['plain', { zh: '街道人口未知。', en: 'Street populations are unknown.' }]
		});
		expect(mixed.notes.map((note) => noteText(note, 'zh'))).toEqual(['plain', '街道人口未知。']);
		expect(mixed.notes.map((note) => noteText(note, 'en'))).toEqual([
			'plain',
			'Street populations are unknown.'
		]);
	});

	it('rejects a note missing a language, with an empty text or an unknown key', () => {
		const meta = readMeta(shipped[0]);
		for (const note of [
			{ zh: '街道人口未知。' },
			{ zh: '', en: 'Street populations are unknown.' },
			{ zh: '街道人口未知。', en: 'Street populations are unknown.', fr: 'inconnue' }
		])
			expect(regionMeta.safeParse({ ...meta, notes: [note] }).success, JSON.stringify(note)).toBe(
				false
			);
	});
});
