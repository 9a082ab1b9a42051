/**
 * The package version for `tlog-monitor --version`, read from this package's package.json: two
 * directories up from the TypeScript source (lib/local/), three from the compiled file
 * (dist/lib/local/).
 */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    let pkg: { name?: unknown; version?: unknown };
    try {
      pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.name === 'tlog-monitor' && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown (package.json not found)';
}
