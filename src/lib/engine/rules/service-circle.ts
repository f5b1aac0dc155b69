/**
 * The 15-minute service circle (15分钟养老服务圈: Qingdao city 2., Laoshan （七）, Yantai 6.): is
 * the nearest station within the circle's minutes on foot? One finding per residential area, the
 * same for the region report and a project evaluation.
 */
import { formatPlain } from '../format.ts';
import { DEFAULT_CIRCLE_MINUTES, REPORT_UP_TO_MINUTES } from './defaults.ts';
import { citeRule, type CheckReason } from './findings.ts';
import type { RuleProfile } from './profile-schema.ts';
import { ruleOfKind } from './profiles.ts';

/** The circle's minutes: the profile's `service_circle` rule, else the default (15). */
export function circleMinutesOf(profile: RuleProfile, appliesTo?: string): number {
	return (
		ruleOfKind(profile, 'service_circle', appliesTo)?.params.maxMinutes ?? DEFAULT_CIRCLE_MINUTES
	);
}

export interface ServiceCircleInput {
	/** Walking minutes to the nearest station; null when none was reached or nothing computed. */
	minutesToNearest: number | null;
	/**
	 * Whether walking times were computed for this area: `true` and minutes null = no station
	 * within `reportUpToMinutes` (or the gates are off the network); `false` = no network.
	 */
	computed: boolean;
	/** The analysis's circle (the user may walk 10 minutes); default: the rule's minutes. */
	maxMinutes?: number;
	reportUpToMinutes?: number;
	usesEstimate?: boolean;
	appliesTo?: string;
}

/**
 * @returns the finding and whether the area is covered (null = not known), or null when the
 *   profile has no `service_circle` rule (the circle is then not judged)
 * @example
 * checkServiceCircle({ minutesToNearest: 17.24, computed: true }, laoshan)?.reason.messageZh;
 * // '最近站点步行 17.2 分钟，超出 15 分钟养老服务圈'
 */
export function checkServiceCircle(
	input: ServiceCircleInput,
	profile: RuleProfile
): { reason: CheckReason; covered: boolean | null } | null {
	const rule = ruleOfKind(profile, 'service_circle', input.appliesTo);
	if (!rule) return null;
	const maxMinutes = input.maxMinutes ?? rule.params.maxMinutes;
	const usesEstimate = input.usesEstimate === true;
	const cite = citeRule(rule);
	// The user may judge a shorter or longer walk than the clause's: say so beside the figure.
	const settingZh =
		maxMinutes === rule.params.maxMinutes
			? ''
			: `（条文为 ${rule.params.maxMinutes} 分钟，本次按 ${maxMinutes} 分钟计算）`;
	const settingEn =
		maxMinutes === rule.params.maxMinutes
			? ''
			: ` (the clause says ${rule.params.maxMinutes} minutes; judged at ${maxMinutes})`;
	const numbers = { minutesToNearest: input.minutesToNearest, maxMinutes };
	if (!input.computed)
		return {
			covered: null,
			reason: {
				...cite,
				severity: 'info',
				messageZh: `未计算到最近站点的步行时间（缺少路网或站点），无法判断是否在 ${maxMinutes} 分钟养老服务圈内`,
				messageEn: `Walking time to the nearest station not computed (no network or no station): ${maxMinutes}-minute circle not checked`,
				numbers,
				usesEstimate
			}
		};
	if (input.minutesToNearest === null) {
		const upTo = input.reportUpToMinutes ?? REPORT_UP_TO_MINUTES;
		return {
			covered: false,
			reason: {
				...cite,
				severity: 'warning',
				messageZh: `${upTo} 分钟步行范围内没有可达站点（或出入口无法接入步行路网），不在 ${maxMinutes} 分钟养老服务圈内${settingZh}`,
				messageEn: `No station reachable within ${upTo} minutes on foot (or the gates are off the network): outside the ${maxMinutes}-minute circle${settingEn}`,
				numbers,
				usesEstimate
			}
		};
	}
	const covered = input.minutesToNearest <= maxMinutes;
	// To 0.1 min; to 0.01 where 0.1 would hide the verdict (15.04 min is outside a 15-minute circle).
	const tenths = Math.round(input.minutesToNearest * 10) / 10;
	const minutes = formatPlain(
		tenths <= maxMinutes === covered ? tenths : Math.round(input.minutesToNearest * 100) / 100
	);
	return {
		covered,
		reason: {
			...cite,
			severity: covered ? 'info' : 'warning',
			messageZh: covered
				? `步行 ${minutes} 分钟可达最近站点，在 ${maxMinutes} 分钟养老服务圈内${settingZh}`
				: `最近站点步行 ${minutes} 分钟，超出 ${maxMinutes} 分钟养老服务圈${settingZh}`,
			messageEn: covered
				? `Nearest station ${minutes} min on foot: within the ${maxMinutes}-minute circle${settingEn}`
				: `Nearest station ${minutes} min on foot: outside the ${maxMinutes}-minute circle${settingEn}`,
			numbers,
			usesEstimate
		}
	};
}
