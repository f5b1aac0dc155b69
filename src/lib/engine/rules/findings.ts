/**
 * What every rule check returns: cited findings (`CheckReason`). One shape for the region report,
 * the project report and the map, so that one compound reads the same everywhere.
 */
import { BINDING, type Severity } from '../labels.ts';
import type { Binding, Citation, Rule } from './profile-schema.ts';

export type { Severity } from '../labels.ts';

/** One finding with its numbers, the rule it rests on and whether an input was an estimate. */
export interface CheckReason {
	/** Rule id in the profile; null only when the profile has no rule for this check. */
	ruleId: string | null;
	severity: Severity;
	messageZh: string;
	messageEn: string;
	/** The figures behind the message (m², households, minutes); null = not known. */
	numbers: Record<string, number | null>;
	citation: Citation | null;
	/** True when a number the finding rests on is an estimate (e.g. households from floor area). */
	usesEstimate: boolean;
}

/** Stable error code for inputs a check cannot accept (negative households, NaN, …). */
export class RuleInputError extends Error {
	readonly code = 'INVALID_CHECK_INPUT';
	constructor(message: string) {
		super(message);
		this.name = 'RuleInputError';
	}
}

export function assertAmount(value: number | null | undefined, field: string): void {
	if (value === null || value === undefined) return;
	if (!Number.isFinite(value) || value < 0)
		throw new RuleInputError(
			`${field}: expected a non-negative finite number or null, got ${String(value)}`
		);
}

/** Floor areas are reported to 0.01 m²; this also removes float noise such as 246.79999999999998. */
export const roundM2 = (value: number) => Math.round(value * 100) / 100;

/**
 * How binding a rule is: the profile's `binding`, else `target` when the quote softens it
 * (力争 "strive to", 基本全覆盖 "essentially full coverage"), else `requirement`.
 */
export function bindingOf(rule: Pick<Rule, 'citation'> & { binding?: Binding }): Binding {
	if (rule.binding) return rule.binding;
	return /力争|基本全覆盖/.test(rule.citation.quote) ? 'target' : 'requirement';
}

/** The severity of a shortfall: `fail` for a requirement, `warning` for a target or an inference. */
export function shortfallSeverity(rule: Pick<Rule, 'citation'> & { binding?: Binding }): Severity {
	return bindingOf(rule) === 'requirement' ? 'fail' : 'warning';
}

/** "（推断：条文未明确要求）" after a finding of an inferred rule; '' otherwise. */
export function bindingNote(rule: Pick<Rule, 'citation'> & { binding?: Binding }): {
	zh: string;
	en: string;
} {
	const binding = bindingOf(rule);
	if (binding !== 'inferred') return { zh: '', en: '' };
	return { zh: `（${BINDING.inferred.zh}）`, en: ` (${BINDING.inferred.en})` };
}

/** The rule id and citation a finding carries. */
export const citeRule = (rule: Pick<Rule, 'id' | 'citation'>) => ({
	ruleId: rule.id,
	citation: rule.citation
});
