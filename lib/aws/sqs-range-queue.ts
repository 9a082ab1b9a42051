/**
 * The fan-out's work queue on SQS (issue 11 §5): range work items sent in batches of ten
 * (SendMessageBatch's limit). A message SQS did not accept fails the call, so the check that
 * enqueued gives its claim back and the next check enqueues the ranges again.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TlogError } from '../errors.ts';
import type { RangeQueue } from '../scan-fanout/ports.ts';
import { encodeRangeWork, type RangeWork } from '../scan-fanout/range-work.ts';

const BATCH = 10;

export interface SqsRangeQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

export class SqsRangeQueue implements RangeQueue {
  readonly #options: SqsRangeQueueOptions;

  constructor(options: SqsRangeQueueOptions) {
    this.#options = options;
  }

  async send(items: readonly RangeWork[]): Promise<void> {
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      let failed: number;
      try {
        const out = await this.#options.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.#options.queueUrl,
            Entries: batch.map((w, j) => ({ Id: String(j), MessageBody: encodeRangeWork(w) })),
          }),
        );
        failed = out.Failed?.length ?? 0;
      } catch (e) {
        if (e instanceof TlogError) throw e;
        const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        throw new TlogError('sink/unavailable', `SQS: cannot enqueue scan ranges: ${why}`, undefined, {
          cause: e,
        });
      }
      if (failed > 0) {
        throw new TlogError(
          'sink/unavailable',
          `SQS: ${failed} of ${batch.length} scan ranges were not enqueued (expected all accepted)`,
        );
      }
    }
  }
}
