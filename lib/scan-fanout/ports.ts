/**
 * The fan-out's ports (issue 11 §5): the queue the monitor function puts range work on, and the
 * mark that remembers how far the backlog has been enqueued, so that no range is enqueued twice.
 * AWS adapters: lib/aws/sqs-range-queue.ts and lib/aws/dynamodb-enqueued-mark.ts.
 */
import type { Evidence } from '../monitor/check-result.ts';
import type { RangeWork } from './range-work.ts';

export interface RangeQueue {
  /** Sends every item; throws TlogError `sink/unavailable` if any was not accepted. */
  send(items: readonly RangeWork[]): Promise<void>;
}

/** How far a log's backlog has been enqueued: every range below `to` of `shard`'s tree. */
export interface EnqueuedMark {
  readonly to: bigint;
  readonly shard?: string;
}

export interface EnqueuedMarks {
  load(log: string): Promise<EnqueuedMark | undefined>;
  /**
   * Moves the mark to `next` if and only if it still is `expected` (undefined: no mark stored).
   * Returns false, writing nothing, if another writer moved it first.
   */
  move(log: string, expected: bigint | undefined, next: EnqueuedMark): Promise<boolean>;
}

/** A range a worker found not in the signed tree: what the monitor reports until it is proven. */
export interface RefusedRange {
  readonly start: bigint;
  readonly end: bigint;
  readonly message: string;
  readonly evidence: Evidence;
  /** Where the worker stored the evidence. */
  readonly evidenceRef?: string;
}

/**
 * Refused ranges, kept until a worker proves the range (the log honest again), so that every
 * check while the cursor waits at one reports `inconsistent` (the alert stays open, no false
 * "resolved") without storing the evidence again.
 */
export interface RangeRefusals {
  load(log: string, start: bigint): Promise<RefusedRange | undefined>;
  put(log: string, refused: RefusedRange): Promise<void>;
  clear(log: string, start: bigint): Promise<void>;
}
