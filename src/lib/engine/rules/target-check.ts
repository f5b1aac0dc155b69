/**
 * What a dated-target check returns (issue 16): the cited finding, plus the figure, the target and
 * the gap as numbers, so the targets view, the map and the report print the same thing.
 */
import type { CheckReason } from './findings.ts';

export interface TargetCheck {
	/** false = a figure the check needs is unknown: no verdict. */
	judged: boolean;
	/** null when not judged, or when the rule sets no number (reported only). */
	met: boolean | null;
	/** The figure now (a count, or a share 0–1); null = unknown. */
	value: number | null;
	/** What the rule asks for in the same unit; null = the rule sets no number. */
	target: number | null;
	/** How much is missing (target − value) when not met, else 0; null when not judged. */
	gap: number | null;
	unit: '张' | '人' | '%' | 'm²' | 'm²/人' | '处';
	reason: CheckReason;
}

/** "（至2025年年底）" / " (by end-2025)". */
export function dueText(byYear: number | undefined): { zh: string; en: string } {
	return byYear === undefined
		? { zh: '', en: '' }
		: { zh: `（至${byYear}年年底）`, en: ` (by end-${byYear})` };
}
