/**
 * SNS alerts (docs/contracts.md, "Alerts (SNS)"): subject `[tlog-monitor] <log>: <status>` (printable ASCII,
 * under 100 characters, as SNS requires), body = human summary then the CheckResult JSON, message
 * attributes `severity`, `log`, `status` (the status the alert is about, also on its `resolved`
 * notice; plus `alert`: new | reminder | resolved, and
 * `condition`) for subscription filter policies. SNS messages are at most 256 KiB including
 * attributes; a bigger body has its evidence truncated, and says where the full evidence is.
 * A failed publish throws, so the invocation fails and Lambda retries it.
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TlogError } from '../errors.ts';
import { type Alert, type AlertSink, alertBody, alertSubject } from '../monitor/alerts.ts';

/** SNS's limit for message plus attributes (names, types and values). */
export const SNS_MAX_BYTES = 256 * 1024;

export interface SnsAlertsOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export class SnsAlerts implements AlertSink {
  readonly #options: SnsAlertsOptions;

  constructor(options: SnsAlertsOptions) {
    this.#options = options;
  }

  async publish(alert: Alert): Promise<void> {
    const attributes = messageAttributes(alert);
    const body = alertBody(alert, SNS_MAX_BYTES - attributeBytes(attributes) - 1024);
    try {
      await this.#options.client.send(
        new PublishCommand({
          TopicArn: this.#options.topicArn,
          Subject: alertSubject(alert),
          Message: body,
          MessageAttributes: attributes,
        }),
      );
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new TlogError(
        'sink/unavailable',
        `SNS: cannot publish the ${alert.kind} alert "${alert.condition}" of "${alert.log}": ${why}`,
        undefined,
        { cause: e },
      );
    }
  }
}

export function messageAttributes(alert: Alert): Record<string, MessageAttributeValue> {
  const s = (v: string): MessageAttributeValue => ({ DataType: 'String', StringValue: v });
  return {
    severity: s(alert.severity),
    log: s(alert.log),
    status: s(alert.status),
    condition: s(alert.condition),
    alert: s(alert.kind),
  };
}

function attributeBytes(attributes: Record<string, MessageAttributeValue>): number {
  let n = 0;
  for (const [name, v] of Object.entries(attributes)) {
    n +=
      Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? '');
  }
  return n;
}
