// Folds spans into the baselines' span series as the store does from one journal record
// (for baselines without a store: state-machine tests that need many spans at chosen times).
import type { Span } from '../../../../collector/model/types';
import type { Baselines } from '../../../../collector/analysis/baselines/baselines';
import { batchOf } from '../../../harness/spans';
import { toRowBatch } from '../../../../collector/store/rows';

export function observeSpans(b: Baselines, spans: Iterable<Span>): void {
  b.spans.addRows(toRowBatch(batchOf([...spans])));
}
