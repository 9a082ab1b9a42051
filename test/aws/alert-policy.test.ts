/**
 * The alert policy (lib/monitor/alert-policy.ts), pure: one alert per new condition, reminders
 * every reminderMs while it persists or on a forced check, one resolved notice per active
 * condition when the log checks clean, split-view conditions apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AlertAction,
  DEFAULT_REMINDER_MS,
  decideAlerts,
  updatesWithoutNotice,
} from '../../lib/monitor/alert-policy.ts';
import type { AlertState } from '../../lib/monitor/alerts.ts';
import type { CheckResult, CheckStatus } from '../../lib/monitor/check-result.ts';

const T0 = Date.parse('2026-11-24T00:00:00Z');
const H = 3_600_000;
const result = (status: CheckStatus): CheckResult => ({ log: 'rekor', status, durationMs: 5 });

/** Applies actions to a state list, as the invocation does after each publish. */
function apply(states: AlertState[], actions: readonly AlertAction[]): AlertState[] {
  const out = new Map(states.map((s) => [s.condition, s]));
  for (const a of actions) out.set(a.next.condition, a.next);
  return [...out.values()];
}

describe('decideAlerts', () => {
  it('a clean result with no alert state sends nothing', () => {
    for (const s of ['initialized', 'verified', 'unchanged'] as const) {
      assert.deepEqual(decideAlerts(result(s), [], T0, DEFAULT_REMINDER_MS), []);
    }
  });

  it('a new condition sends one alert with its severity, and starts the state', () => {
    const [a, ...rest] = decideAlerts(result('fork'), [], T0, DEFAULT_REMINDER_MS);
    assert.equal(rest.length, 0);
    assert.equal(a?.alert.kind, 'new');
    assert.equal(a?.alert.severity, 'critical');
    assert.equal(a?.alert.condition, 'fork');
    assert.equal(a?.alert.previousNotices, 0);
    assert.deepEqual(a?.next, {
      condition: 'fork',
      status: 'fork',
      since: new Date(T0).toISOString(),
      active: true,
      lastSentAt: new Date(T0).toISOString(),
      sentCount: 1,
    });
    assert.equal(
      decideAlerts(result('unreachable'), [], T0, DEFAULT_REMINDER_MS)[0]?.alert.severity,
      'warning',
    );
    assert.equal(
      decideAlerts(result('monitor-error'), [], T0, DEFAULT_REMINDER_MS)[0]?.alert.severity,
      'warning',
    );
  });

  it('reminds only once reminderMs has passed since the last notice', () => {
    let states = apply([], decideAlerts(result('rollback'), [], T0, 6 * H));
    assert.deepEqual(decideAlerts(result('rollback'), states, T0 + 6 * H - 1, 6 * H), []);
    const due = decideAlerts(result('rollback'), states, T0 + 6 * H, 6 * H);
    assert.equal(due.length, 1);
    assert.equal(due[0]?.alert.kind, 'reminder');
    assert.equal(due[0]?.alert.previousNotices, 1);
    assert.equal(due[0]?.next.since, new Date(T0).toISOString(), 'since is kept');
    states = apply(states, due);
    assert.deepEqual(
      decideAlerts(result('rollback'), states, T0 + 7 * H, 6 * H),
      [],
      'reminder clock restarts',
    );
  });

  it('a forced check re-sends every active alert now', () => {
    let states = apply([], decideAlerts(result('fork'), [], T0, 6 * H));
    states = apply(states, decideAlerts(result('unreachable'), states, T0 + 1, 6 * H));
    const forced = decideAlerts(result('unreachable'), states, T0 + 2, 6 * H, { force: true });
    assert.deepEqual(forced.map((a) => [a.alert.kind, a.alert.condition]).sort(), [
      ['reminder', 'fork'],
      ['reminder', 'unreachable'],
    ]);
  });

  it('another condition does not re-send or resolve the active one', () => {
    const states = apply([], decideAlerts(result('fork'), [], T0, 6 * H));
    const actions = decideAlerts(result('unreachable'), states, T0 + 1, 6 * H);
    assert.deepEqual(
      actions.map((a) => [a.alert.kind, a.alert.condition]),
      [['new', 'unreachable']],
    );
  });

  it('a clean check resolves every active condition once, then nothing; a recurrence is new again', () => {
    let states = apply([], decideAlerts(result('fork'), [], T0, 6 * H));
    states = apply(states, decideAlerts(result('invalid-response'), states, T0 + 1, 6 * H));
    const resolved = decideAlerts(result('verified'), states, T0 + 2, 6 * H);
    assert.deepEqual(resolved.map((a) => [a.alert.kind, a.alert.condition]).sort(), [
      ['resolved', 'fork'],
      ['resolved', 'invalid-response'],
    ]);
    assert.ok(resolved.every((a) => !a.next.active && a.next.resolvedAt === new Date(T0 + 2).toISOString()));
    assert.equal(resolved.find((a) => a.alert.condition === 'fork')?.alert.severity, 'critical');
    states = apply(states, resolved);
    assert.deepEqual(decideAlerts(result('unchanged'), states, T0 + 3, 6 * H), []);
    const again = decideAlerts(result('fork'), states, T0 + 4, 6 * H);
    assert.equal(again[0]?.alert.kind, 'new');
    assert.equal(again[0]?.next.since, new Date(T0 + 4).toISOString());
    assert.equal(again[0]?.next.resolvedAt, undefined);
  });

  it('split views: their own condition, never resolved by a clean check, no alert for a consistent head', () => {
    const sv = decideAlerts(result('fork'), [], T0, 6 * H, { splitView: true });
    assert.equal(sv[0]?.alert.condition, 'split-view-fork');
    assert.equal(sv[0]?.alert.status, 'fork');
    const states = apply([], sv);
    assert.deepEqual(decideAlerts(result('verified'), states, T0 + 1, 6 * H), []);
    assert.deepEqual(decideAlerts(result('verified'), states, T0 + 1, 6 * H, { splitView: true }), []);
    assert.deepEqual(decideAlerts(result('unreachable'), [], T0, 6 * H, { splitView: true }), []);
    assert.equal(
      decideAlerts(result('verified'), states, T0 + 1, 6 * H, { force: true })[0]?.alert.kind,
      'reminder',
    );
  });

  it('leaves a notice another invocation has claimed to it, until the claim lapses', () => {
    const fork = apply([], decideAlerts(result('fork'), [], T0, 6 * H))[0] as AlertState;
    const held = { ...fork, pendingUntil: new Date(T0 + 7 * H).toISOString() };
    assert.deepEqual(
      decideAlerts(result('fork'), [held], T0 + 6 * H, 6 * H),
      [],
      'reminder claimed elsewhere',
    );
    assert.deepEqual(
      decideAlerts(result('verified'), [held], T0 + 6 * H, 6 * H),
      [],
      'resolution claimed elsewhere',
    );
    assert.deepEqual(decideAlerts(result('fork'), [held], T0 + 6 * H, 6 * H, { force: true }), []);
    const lapsed = decideAlerts(result('fork'), [held], T0 + 7 * H, 6 * H);
    assert.equal(lapsed[0]?.alert.kind, 'reminder');
    assert.equal(lapsed[0]?.read, held, 'the claim is conditional on the state read');
    assert.equal(lapsed[0]?.next.pendingUntil, undefined, 'the saved state carries no claim');
    // A claimed first notice whose sender died: the placeholder (nothing sent) gives a new alert.
    const placeholder: AlertState = {
      ...fork,
      active: false,
      sentCount: 0,
      pendingUntil: new Date(T0 + 60_000).toISOString(),
    };
    assert.deepEqual(decideAlerts(result('fork'), [placeholder], T0 + 1, 6 * H), []);
    const retry = decideAlerts(result('fork'), [placeholder], T0 + 60_000, 6 * H);
    assert.equal(retry[0]?.alert.kind, 'new');
    assert.equal(retry[0]?.read, placeholder);
  });

  it('property: per condition, notices go new, reminders, resolved, new, ...; never two news in a row', () => {
    const statuses: CheckStatus[] = [
      'verified',
      'unchanged',
      'fork',
      'rollback',
      'unreachable',
      'monitor-error',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.constantFrom(...statuses), dt: fc.nat(8 * H), force: fc.boolean() }), {
          maxLength: 40,
        }),
        (steps) => {
          let states: AlertState[] = [];
          let now = T0;
          const last = new Map<string, string>();
          for (const step of steps) {
            now += step.dt;
            const actions = decideAlerts(result(step.s), states, now, 6 * H, { force: step.force });
            const conditions = actions.map((a) => a.alert.condition);
            assert.equal(new Set(conditions).size, conditions.length, 'one notice per condition per check');
            for (const a of actions) {
              const prev = last.get(a.alert.condition);
              if (a.alert.kind === 'new') assert.ok(prev === undefined || prev === 'resolved');
              else assert.ok(prev === 'new' || prev === 'reminder', `${a.alert.kind} after ${prev}`);
              last.set(a.alert.condition, a.alert.kind);
            }
            states = apply(states, actions);
            const active = states.filter((s) => s.active).map((s) => s.condition);
            if (['verified', 'unchanged'].includes(step.s)) assert.deepEqual(active, []);
            else assert.ok(active.includes(step.s));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('operational conditions wait for failuresBeforeAlert checks in a row', () => {
  const opts = { failuresBeforeAlert: 3 };
  /** One check: its notices and its silent updates applied, as the invocation does. */
  function step(states: AlertState[], status: CheckStatus, at: number) {
    const notices = decideAlerts(result(status), states, at, 6 * H, opts);
    const updates = updatesWithoutNotice(result(status), states, at, opts);
    const next = apply(apply(states, notices), updates as AlertAction[]);
    return { notices: notices.map((a) => `${a.alert.kind} ${a.alert.condition}`), states: next };
  }

  it('the third failure in a row is notified, dated from the first', () => {
    let s: AlertState[] = [];
    const seen: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const r = step(s, 'unreachable', T0 + i * 60_000);
      seen.push(r.notices);
      s = r.states;
    }
    assert.deepEqual(seen, [[], [], ['new unreachable']]);
    assert.equal(s[0]?.since, new Date(T0).toISOString());
    assert.equal(s[0]?.active, true);
    assert.equal(s[0]?.failures, undefined);
  });

  it('a clean check before the threshold resets the count and sends no resolved notice', () => {
    let s = step([], 'invalid-response', T0).states;
    s = step(s, 'invalid-response', T0 + 1).states;
    const clean = step(s, 'verified', T0 + 2);
    assert.deepEqual(clean.notices, []);
    assert.equal(clean.states[0]?.failures, undefined);
    s = step(clean.states, 'invalid-response', T0 + 3).states;
    assert.equal(s[0]?.failures, 1, 'counting starts again');
  });

  it('a head signed far in the future is notified at once: signed evidence, not a transient failure', () => {
    const future = { ...result('invalid-response'), errorCode: 'timestamp/future' };
    const notices = decideAlerts(future, [], T0, 6 * H, opts);
    assert.deepEqual(
      notices.map((a) => `${a.alert.kind} ${a.alert.condition} ${a.alert.severity}`),
      ['new invalid-response warning'],
    );
  });

  it('misbehaviour is notified at once, and resolved after', () => {
    const r = step([], 'fork', T0);
    assert.deepEqual(r.notices, ['new fork']);
    assert.deepEqual(step(r.states, 'verified', T0 + 1).notices, ['resolved fork']);
  });

  it('property: a resolved notice only ever follows a sent notice of that condition', () => {
    const statuses: CheckStatus[] = [
      'verified',
      'unchanged',
      'unreachable',
      'invalid-response',
      'monitor-error',
      'fork',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...statuses), { maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        (seq, n) => {
          let s: AlertState[] = [];
          const sent = new Set<string>();
          let run = new Map<string, number>();
          seq.forEach((status, i) => {
            const notices = decideAlerts(result(status), s, T0 + i * 60_000, 6 * H, {
              failuresBeforeAlert: n,
            });
            for (const a of notices) {
              if (a.alert.kind === 'resolved')
                assert.ok(sent.has(a.alert.condition), `resolved ${a.alert.condition} never sent`);
              if (a.alert.kind === 'new') {
                sent.add(a.alert.condition);
                if (!['fork'].includes(a.alert.condition))
                  assert.ok((run.get(a.alert.condition) ?? 0) + 1 >= n);
              }
              if (a.alert.kind === 'resolved') sent.delete(a.alert.condition);
            }
            run = ['verified', 'unchanged'].includes(status)
              ? new Map()
              : new Map([...run, [status, (run.get(status) ?? 0) + 1]]);
            s = apply(
              apply(s, notices),
              updatesWithoutNotice(result(status), s, T0 + i * 60_000, {
                failuresBeforeAlert: n,
              }) as AlertAction[],
            );
          });
        },
      ),
    );
  });
});
