import { costChart } from '../charts/cost-chart.js';
import type { ReportData } from '../report-data.js';
import { formatUsd } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import { experimentLabel, type ReportSection } from './report-section.js';

export function costSection(data: ReportData): ReportSection {
  const { cost } = data;
  // Bars of $0.00 would draw an empty frame under the study's reference line: say why instead.
  const spent = cost.experiments.some((c) => c.llmCalls > 0 || c.costUsd > 0);
  const chartable = !cost.missing && spent && cost.experiments.some((c) => c.costPerCandidateUsd !== null || c.costPerRescuedUsd !== null);
  const noChart = cost.missing || chartable ? [] : [spent ? 'No cost chart: no experiment has a candidate or a rescued notebook to divide the spend by.' : 'No cost chart: these experiments made no LLM call (rules and the fix cache only, or `--no-llm`), so nothing was spent.'];
  return {
    id: 'cost',
    title: 'Cost per rescued notebook',
    intro: [
      'LLM spend from the recorded calls (a loop without call rows counts its own summary). Cost per rescued notebook divides all spend, failed attempts included, by the notebooks rescued; cost per candidate divides it by the loops that started non-reproducible, the study’s “cost per notebook”.',
      ...noChart,
    ],
    highlights: cost.experiments.map(
      (c) =>
        `${experimentLabel(c.experiment)}: ${formatUsd(c.costUsd)} over ${c.llmCalls} LLM call${c.llmCalls === 1 ? '' : 's'}; ${formatUsd(c.costPerRescuedUsd)} per rescued notebook (${c.rescued} rescued), ${formatUsd(c.costPerCandidateUsd)} per candidate (${c.candidates}).`,
    ),
    empty: cost.missing,
    tables: [
      {
        id: 'cost',
        title: 'Cost',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'candidates', label: 'candidates', kind: 'integer' },
          { key: 'rescued', label: 'rescued', kind: 'integer' },
          { key: 'calls', label: 'LLM calls', kind: 'integer', csv: 'llm_calls' },
          { key: 'failed', label: 'failed calls', kind: 'integer', csv: 'failed_calls' },
          { key: 'tokensIn', label: 'tokens in', kind: 'integer', csv: 'tokens_in' },
          { key: 'tokensCached', label: 'tokens cached', kind: 'integer', csv: 'tokens_cached' },
          { key: 'tokensOut', label: 'tokens out', kind: 'integer', csv: 'tokens_out' },
          { key: 'cost', label: 'cost', kind: 'usd', csv: 'cost_usd' },
          { key: 'perCandidate', label: 'per candidate', kind: 'usd', csv: 'cost_per_candidate_usd' },
          { key: 'perRescued', label: 'per rescued notebook', kind: 'usd', csv: 'cost_per_rescued_usd' },
          { key: 'loop', label: 'loop time', kind: 'seconds', csv: 'loop_seconds' },
        ],
        rows: cost.experiments.map((c) =>
          row({
            experiment: c.experiment.name,
            candidates: c.candidates,
            rescued: c.rescued,
            calls: c.llmCalls,
            failed: c.failedCalls,
            tokensIn: c.tokensIn,
            tokensCached: c.tokensCached,
            tokensOut: c.tokensOut,
            cost: c.costUsd,
            perCandidate: c.costPerCandidateUsd,
            perRescued: c.costPerRescuedUsd,
            loop: c.loopMs / 1000,
          }),
        ),
      },
      {
        id: 'llm-models',
        title: 'LLM calls per model',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'model', label: 'model', kind: 'code' },
          { key: 'granularity', label: 'granularity', kind: 'text' },
          { key: 'calls', label: 'calls', kind: 'integer' },
          { key: 'tokensIn', label: 'tokens in', kind: 'integer', csv: 'tokens_in' },
          { key: 'tokensCached', label: 'tokens cached', kind: 'integer', csv: 'tokens_cached' },
          { key: 'tokensOut', label: 'tokens out', kind: 'integer', csv: 'tokens_out' },
          { key: 'cost', label: 'cost', kind: 'usd', csv: 'cost_usd' },
          { key: 'latency', label: 'median latency', kind: 'seconds', csv: 'median_latency_seconds' },
        ],
        rows: cost.models.map((m) =>
          row({
            experiment: m.experiment.name,
            model: m.model,
            granularity: m.granularity,
            calls: m.calls,
            tokensIn: m.tokensIn,
            tokensCached: m.tokensCached,
            tokensOut: m.tokensOut,
            cost: m.costUsd,
            latency: m.latencyMedianMs === null ? null : m.latencyMedianMs / 1000,
          }),
        ),
      },
    ],
    charts: chartable ? [costChart(cost)] : [],
  };
}
