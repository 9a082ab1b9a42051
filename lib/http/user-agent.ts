/** The User-Agent the bounded client sends, naming the project so log operators can reach us. */

/** Kept equal to package.json `version` (a test checks it). */
export const TLOG_MONITOR_VERSION = '0.1.0';

export const DEFAULT_USER_AGENT = `tlog-monitor/${TLOG_MONITOR_VERSION} (+https://github.com/tlog-monitor)`;
