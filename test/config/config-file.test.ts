import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfigFile, parseMonitorConfig } from '../../lib/config/config-file.ts';
import { parseJsonText } from '../../lib/config/json-text.ts';
import { PRESETS } from '../../lib/config/presets.ts';
import { TlogError } from '../../lib/errors.ts';
import { readVectorText } from '../support/vectors.ts';
import { assertConfigIssue } from './support.ts';

const REKOR_PEM = readVectorText('rekor/rekor.sigstore.dev.pub.pem');
const own = { name: 'rekor', type: 'rekor-v1', url: 'https://rekor.sigstore.dev', publicKey: REKOR_PEM };
const file = (value: unknown): string => JSON.stringify(value, null, 2);

describe('parseConfigFile', () => {
  it('parses the default tlog-monitor.config.json', () => {
    const text = readFileSync(new URL('../../tlog-monitor.config.json', import.meta.url), 'utf8');
    const config = parseConfigFile(text, 'tlog-monitor.config.json');
    assert.deepEqual(
      config.logs.map((l) => [l.name, l.type, l.url]),
      [
        ['sigstore-rekor', 'rekor-v1', 'https://rekor.sigstore.dev'],
        ['sigstore-ctfe-2022', 'ct', 'https://ctfe.sigstore.dev/2022'],
      ],
    );
    assert.equal(config.logs[0]?.publicKey, PRESETS['sigstore-rekor'].publicKey);
  });

  it('resolves presets with overrides, alongside full entries', () => {
    const config = parseConfigFile(
      file({
        logs: [
          { preset: 'sigstore-rekor', name: 'rekor-prod', interval: '1m', timeoutMs: 5000 },
          { ...own, name: 'my-rekor', interval: '30s' },
          { preset: 'sigstore-ctfe-2022' },
        ],
        alerts: { emails: ['ops@example.com'], reminderHours: 6, afterFailures: 5 },
        stateDir: './state',
      }),
      'c.json',
    );
    const [rekor, mine, ct] = config.logs;
    assert.equal(rekor?.name, 'rekor-prod');
    assert.equal(rekor?.intervalMs, 60_000);
    assert.equal(rekor?.timeoutMs, 5000);
    assert.equal(rekor?.publicKey, PRESETS['sigstore-rekor'].publicKey);
    assert.equal(mine?.intervalMs, 30_000);
    assert.equal(ct?.interval, '5m');
    assert.deepEqual(config.alerts, { emails: ['ops@example.com'], reminderHours: 6, afterFailures: 5 });
    assert.equal(config.stateDir, './state');
  });

  it('rejects overriding what a preset pins, and unknown overrides', () => {
    for (const field of ['url', 'publicKey', 'type', 'origin']) {
      assertConfigIssue(
        () => parseConfigFile(file({ logs: [{ preset: 'sigstore-rekor', [field]: 'x' }] }), 'c.json'),
        `c.json: logs[0] (preset "sigstore-rekor").${field}`,
        'cannot be overridden',
      );
    }
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [{ preset: 'sigstore-rekor', intervall: '1m' }] }), 'c.json'),
      'c.json: logs[0] (preset "sigstore-rekor").intervall',
      'did you mean "interval"?',
    );
    // An override is validated like any field.
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [{ preset: 'sigstore-rekor', interval: '1s' }] }), 'c.json'),
      'c.json: logs[0] ("sigstore-rekor").interval',
      'at least 10s',
    );
  });

  it('rejects an unknown preset, listing the known ones', () => {
    for (const preset of ['sigstore', 42, null]) {
      assertConfigIssue(
        () => parseConfigFile(file({ logs: [{ preset }] }), 'c.json'),
        'c.json: logs[0].preset',
        'must be one of sigstore-rekor, sigstore-ctfe-2022',
      );
    }
  });

  it('rejects duplicate log names, naming both entries, ignoring case', () => {
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [own, { preset: 'sigstore-ctfe-2022' }, own] }), 'c.json'),
      'c.json: logs[2] ("rekor").name',
      'duplicate log name',
      'logs[0] is already named "rekor"',
    );
    assertConfigIssue(
      () =>
        parseConfigFile(
          file({
            logs: [{ preset: 'sigstore-rekor' }, { preset: 'sigstore-rekor', name: 'Sigstore-Rekor' }],
          }),
          'c.json',
        ),
      'c.json: logs[1] ("Sigstore-Rekor").name',
      'logs[0] is already named "sigstore-rekor"',
    );
    // An entry with other problems still claims its name.
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [{ ...own, url: 'ftp://x' }, own] }), 'c.json'),
      'c.json: logs[1] ("rekor").name',
      'logs[0] is already named "rekor"',
    );
  });

  it('requires a non-empty logs array', () => {
    assertConfigIssue(() => parseConfigFile('{"logs": []}', 'c.json'), 'c.json: logs', 'at least one log');
    assertConfigIssue(() => parseConfigFile('{}', 'c.json'), 'c.json: logs', 'is required');
    assertConfigIssue(() => parseConfigFile('{"logs": {}}', 'c.json'), 'c.json: logs', 'must be an array');
    assertConfigIssue(() => parseConfigFile('[]', 'c.json'), 'c.json', 'must be a JSON object');
  });

  it('rejects unknown top-level and alert fields', () => {
    assertConfigIssue(
      () => parseConfigFile(file({ log: [own] }), 'c.json'),
      'c.json: log',
      'did you mean "logs"?',
      'known fields: logs, alerts, stateDir',
    );
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [own], alerts: { email: ['a@b.co'] } }), 'c.json'),
      'c.json: alerts.email',
      'did you mean "emails"?',
    );
  });

  it('validates alerts and stateDir', () => {
    const bad = (alerts: unknown) => () => parseConfigFile(file({ logs: [own], alerts }), 'c.json');
    assertConfigIssue(
      bad({ emails: ['ok@example.com', 'not-an-email'] }),
      'c.json: alerts.emails[1]',
      'email address',
    );
    assertConfigIssue(bad({ emails: 'ops@example.com' }), 'c.json: alerts.emails', 'must be an array');
    for (const h of [0, 1.5, 721, '6']) {
      assertConfigIssue(bad({ reminderHours: h }), 'c.json: alerts.reminderHours', 'from 1 to 720');
    }
    assertConfigIssue(bad([]), 'c.json: alerts', 'must be an object');
    for (const n of [0, 101, 2.5, '3'])
      assertConfigIssue(bad({ afterFailures: n }), 'c.json: alerts.afterFailures', 'from 1 to 100');
    for (const stateDir of ['', '  ', 5]) {
      assertConfigIssue(
        () => parseConfigFile(file({ logs: [own], stateDir }), 'c.json'),
        'c.json: stateDir',
        'non-empty directory path',
      );
    }
  });

  it('reports the problems of every entry in one error', () => {
    let error: unknown;
    try {
      parseConfigFile(
        file({
          logs: [{ ...own, url: 'http://x' }, { preset: 'nope' }, { ...own, name: 'b', interval: '1d' }],
        }),
        'c.json',
      );
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof TlogError && error.code === 'config/invalid');
    const issues = error.details?.issues as string[];
    assert.equal(issues.length, 3);
    assert.ok(issues[0]?.startsWith('c.json: logs[0] ("rekor").url: '));
    assert.ok(issues[1]?.startsWith('c.json: logs[1].preset: '));
    assert.ok(issues[2]?.startsWith('c.json: logs[2] ("b").interval: '));
  });

  it('parseMonitorConfig validates an already-parsed value the same way', () => {
    assert.equal(parseMonitorConfig({ logs: [own] }, 'cdk').logs[0]?.name, 'rekor');
    assertConfigIssue(() => parseMonitorConfig({ logs: [] }, 'cdk'), 'cdk: logs', 'at least one log');
  });
});

describe('config JSON syntax', () => {
  /** Expects a JSON error at line:column. */
  function syntaxError(text: string, line: number, column: number, fragment: string): void {
    assertConfigIssue(
      () => parseConfigFile(text, 'c.json'),
      'c.json',
      `invalid JSON at line ${line}, column ${column}: `,
      fragment,
    );
  }

  it('gives the line and column of a syntax error', () => {
    syntaxError('{\n  "logs": [\n    { "preset": "sigstore-rekor" },\n  ]\n}', 4, 3, 'expected a value');
    syntaxError('{\n  "logs": [ { "preset": "sigstore-rekor", } ]\n}', 2, 43, 'expected a string key');
    syntaxError('{"logs": [}', 1, 11, 'expected a value');
    syntaxError('', 1, 1, 'at the end of the file');
    syntaxError('{"logs": []} x', 1, 14, 'trailing characters after the JSON value');
    syntaxError('{"logs": "abc', 1, 14, 'unterminated string');
    syntaxError('{"logs": "a\tb"}', 1, 12, 'control character');
    syntaxError('{"logs": "\\x"}', 1, 11, 'invalid escape');
    syntaxError("{'logs': []}", 1, 2, 'expected a string key');
    syntaxError('{"a": 01}', 1, 7, 'leading zero');
    syntaxError('{"a": tru}', 1, 7, 'expected a value');
    syntaxError(`${'['.repeat(70)}${']'.repeat(70)}`, 1, 65, 'nesting deeper than 64');
  });

  it('rejects duplicate keys, which JSON.parse would resolve silently', () => {
    syntaxError(
      '{\n  "logs": [\n    { "preset": "sigstore-rekor", "interval": "1m", "interval": "1h" }\n  ]\n}',
      3,
      53,
      'duplicate key "interval"',
    );
  });

  it('reads valid JSON exactly as JSON.parse does', () => {
    for (const text of [
      '{"a":[1,-2.5e3,0,1E-2,true,false,null],"b":{"c":"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t","d":{}},"e":[]}',
      ' \r\n\t[ "é", "\\ud83d\\ude00", 123456789012, 0 ] ',
      '"just a string"',
      '{"__proto__": {"polluted": true}, "x": 1}',
    ]) {
      assert.deepEqual(parseJsonText(text, 't'), JSON.parse(text), text);
    }
    const proto = parseJsonText('{"__proto__": {"polluted": true}}', 't') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype);
    assert.ok(Object.hasOwn(proto, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('tolerates a leading byte order mark', () => {
    assert.equal(parseConfigFile(`\ufeff${file({ logs: [own] })}`, 'c.json').logs.length, 1);
  });

  it('a "__proto__" field is an unknown field, not a prototype', () => {
    assertConfigIssue(
      () => parseConfigFile(file({ logs: [own] }).replace('{', '{"__proto__": {"logs": []},'), 'c.json'),
      'c.json: __proto__',
      'unknown field',
    );
  });
});
