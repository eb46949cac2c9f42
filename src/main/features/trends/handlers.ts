import type { Handlers } from '../../../shared/contract/index';
import type { WorkbenchContext } from '../../context';
import { computeTrends } from '../../analysis/trends/compute-trends';

/** `trends:get`: straight from the index (a few grouped range scans; see bench/trends-bench.ts). */
export function trendsHandlers(ctx: WorkbenchContext): Partial<Handlers> {
  return {
    'trends:get': (req) => computeTrends(ctx.store.trends, req),
  };
}
