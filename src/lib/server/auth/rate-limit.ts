/**
 * Login attempts limited per account and per address (ASVS 2.2.1): after 5 failures for one
 * user name, or 20 from one address, within 15 minutes, further attempts are refused until the
 * window has passed — whether or not the password would be right. Kept in memory: a restart
 * clears it (the audit trail keeps every failure).
 */
/** 15 minutes. */
export const LOGIN_WINDOW_MS = 900_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export class LoginLimiter {
	readonly #failures = new Map<string, number[]>();
	readonly #clock: () => number;
	constructor(clock: () => number = Date.now) {
		this.#clock = clock;
	}

	#recent(key: string): number[] {
		const cutoff = this.#clock() - LOGIN_WINDOW_MS;
		const kept = (this.#failures.get(key) ?? []).filter((at) => at > cutoff);
		if (kept.length) this.#failures.set(key, kept);
		else this.#failures.delete(key);
		return kept;
	}

	/** Minutes until another attempt is allowed; 0 = allowed now. */
	waitMinutes(username: string, address: string): number {
		const account = this.#recent(`user:${username.toLowerCase()}`);
		const from = this.#recent(`addr:${address}`);
		const blocked = [
			account.length >= MAX_FAILURES_PER_ACCOUNT ? account : null,
			from.length >= MAX_FAILURES_PER_ADDRESS ? from : null
		].filter((list): list is number[] => list !== null);
		if (!blocked.length) return 0;
		const oldest = Math.max(...blocked.map((list) => list[0]));
		return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - this.#clock()) / 60_000));
	}

	fail(username: string, address: string): void {
		for (const key of [`user:${username.toLowerCase()}`, `addr:${address}`])
			this.#failures.set(key, [...this.#recent(key), this.#clock()]);
	}

	/** A successful login clears the account's failures (not the address's). */
	succeed(username: string): void {
		this.#failures.delete(`user:${username.toLowerCase()}`);
	}
}

/** "登录失败次数过多，请 12 分钟后再试" with the English. */
export function lockedMessage(minutes: number): { zh: string; en: string } {
	return {
		zh: `登录失败次数过多，请 ${minutes} 分钟后再试`,
		en: `Too many failed logins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`
	};
}
