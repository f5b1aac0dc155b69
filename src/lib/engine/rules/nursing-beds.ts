/**
 * Nursing-type beds as a share of institution beds (护理型床位占比: Laoshan （九） ≥ 70 % by
 * 2026, Yantai 8. ≥ 70 % by end-2025, Dong'e 16. ≥ 65 % by end-2025), judged only when every
 * institution's beds are known.
 */
import { formatAmount, formatShare } from '../format.ts';
import { citeRule, shortfallSeverity, type CheckReason } from './findings.ts';
import type { RuleOfKind } from './profile-schema.ts';

export interface BedFigures {
	institutions: number;
	/** Institutions whose beds or nursing beds are unknown. */
	unknownCount: number;
	beds: number | null;
	nursingBeds: number | null;
	share: number | null;
	estimated: boolean;
}

export function checkNursingBedShare(
	beds: BedFigures,
	rule: RuleOfKind<'nursing_bed_share'>
): { reason: CheckReason; judged: boolean } {
	const cite = citeRule(rule);
	const target = formatShare(rule.params.minShare);
	const year = rule.params.byYear;
	const numbers = {
		institutions: beds.institutions,
		institutionsUnknown: beds.unknownCount,
		beds: beds.beds,
		nursingBeds: beds.nursingBeds,
		nursingBedShare: beds.share,
		minShare: rule.params.minShare,
		byYear: year
	};
	const headZh = `至${year}年护理型床位占比不低于 ${target}`;
	const headEn = `Nursing-type beds at least ${target} of institution beds by ${year}`;
	if (beds.share === null)
		return {
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh:
					beds.institutions === 0
						? `${headZh}：本区县设施中没有养老机构，无法计算`
						: `${headZh}：${beds.institutions} 家养老机构的床位或护理型床位数未知，无法计算`,
				messageEn:
					beds.institutions === 0
						? `${headEn}: no elderly-care institutions among the facilities, share not computable`
						: `${headEn}: beds or nursing beds unknown for the ${beds.institutions} institutions, share not computable`,
				numbers,
				usesEstimate: false
			}
		};
	const figuresZh = `${formatAmount(beds.nursingBeds ?? 0)} 张 / ${formatAmount(beds.beds ?? 0)} 张 = ${formatShare(beds.share)}`;
	const figuresEn = `${formatAmount(beds.nursingBeds ?? 0)} of ${formatAmount(beds.beds ?? 0)} beds = ${formatShare(beds.share)}`;
	if (beds.unknownCount)
		return {
			judged: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${headZh}：床位数已知的养老机构 ${figuresZh}；另有 ${beds.unknownCount} 家床位数未知，无法判定`,
				messageEn: `${headEn}: institutions with known beds ${figuresEn}; ${beds.unknownCount} institutions with unknown beds, no verdict`,
				numbers,
				usesEstimate: beds.estimated
			}
		};
	const meets = beds.share >= rule.params.minShare;
	return {
		judged: true,
		reason: {
			...cite,
			severity: meets ? 'info' : shortfallSeverity(rule),
			messageZh: `${headZh}：${figuresZh}，${meets ? '达标' : '未达标'}`,
			messageEn: `${headEn}: ${figuresEn}, ${meets ? 'meets the target' : 'below the target'}`,
			numbers,
			usesEstimate: beds.estimated
		}
	};
}
