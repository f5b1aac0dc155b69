/**
 * Languages of the app: zh-CN by default, English on switch, through i18next (interpolation,
 * plurals) with the two message tables of messages.ts. `t()` reads the reactive locale, so every
 * label in a component re-renders when the language changes.
 */
import i18next from 'i18next';
import { en, zhCN } from './messages.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

i18next.init({
	lng: 'zh-CN',
	fallbackLng: 'zh-CN',
	initAsync: false,
	interpolation: { escapeValue: false },
	resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }
});

class LocaleState {
	current = $state<Locale>('zh-CN');
}
export const locale = new LocaleState();

/** The message in the current language, with `{{name}}` placeholders filled. */
export function t(key: string, values?: Record<string, string | number>): string {
	return i18next.getFixedT(locale.current)(key, values ?? {}) as string;
}

/** Numbers the way the current language writes them (digits grouped), with a unit. */
export function formatNumber(value: number | null, unit = '', digits = 0): string {
	if (value === null || Number.isNaN(value)) return '—';
	const text = value.toLocaleString(locale.current, {
		maximumFractionDigits: digits,
		minimumFractionDigits: 0
	});
	return unit ? `${text} ${unit}` : text;
}

export function formatShare(share: number | null): string {
	return share === null ? '—' : `${(share * 100).toFixed(1)} %`;
}

/** A signed change: +123 / −45 / ±0. */
export function formatChange(value: number | null, unit = ''): string {
	if (value === null) return '—';
	const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
	return `${sign}${formatNumber(Math.abs(value), unit, 2)}`;
}
