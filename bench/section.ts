import type { BenchResult } from './harness.ts';

/** One block of the report: a table of timed results plus free-form lines (setup costs, sanity checks). */
export interface Section {
  readonly title: string;
  readonly results: readonly BenchResult[];
  /** Printed before the table. */
  readonly lines: readonly string[];
  /** Extra tables printed after the main one (already formatted). */
  readonly extraTables?: readonly string[];
}
