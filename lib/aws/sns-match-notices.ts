/**
 * Identity-match notices on SNS (docs/contracts.md, "Identity monitoring"): one message per check listing
 * the new matches (several when they do not fit SNS's 256 KiB), with message attributes
 * `status` = identity-match, `severity` = notice and `log`, for subscription filter policies.
 * The MatchSink of lib/scan/match-delivery.ts: it is given the matches still pending in the
 * DynamoDB scan store (MATCH# items not marked delivered) and publishes them all, so a match is
 * sent again only if the invocation dies between the publish and the delivery mark (SNS has no
 * idempotent publish to a standard topic). A failed publish throws, so the invocation fails, the
 * matches stay pending and are sent by the next run.
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TlogError } from '../errors.ts';
import type { IdentityMatch } from '../identity/identity-match.ts';
import {
  MATCH_SEVERITY,
  MATCH_STATUS,
  matchNoticeBodies,
  matchNoticeSubject,
} from '../identity/match-notice.ts';
import type { MatchSink } from '../scan/match-delivery.ts';
import { SNS_MAX_BYTES } from './sns-alerts.ts';

export interface SnsMatchNoticesOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class SnsMatchNotices implements MatchSink {
  readonly #options: SnsMatchNoticesOptions;

  constructor(options: SnsMatchNoticesOptions) {
    this.#options = options;
  }

  /** Publishes every match given, in index order; returns them all (each was sent). */
  async deliver(log: string, matches: readonly IdentityMatch[]): Promise<readonly IdentityMatch[]> {
    const s = (v: string): MessageAttributeValue => ({ DataType: 'String', StringValue: v });
    const attributes = { status: s(MATCH_STATUS), severity: s(MATCH_SEVERITY), log: s(log) };
    // Attributes and subject are far below this margin.
    for (const { body, matches: part } of matchNoticeBodies(log, matches, SNS_MAX_BYTES - 4096)) {
      try {
        await this.#options.client.send(
          new PublishCommand({
            TopicArn: this.#options.topicArn,
            Subject: matchNoticeSubject(log, part.length),
            Message: body,
            MessageAttributes: attributes,
          }),
        );
      } catch (e) {
        const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        throw new TlogError(
          'sink/unavailable',
          `SNS: cannot publish the identity-match notice of "${log}" (${part.length} matches): ${why}`,
          undefined,
          { cause: e },
        );
      }
    }
    return matches;
  }
}
