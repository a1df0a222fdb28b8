import { environmentChart } from '../charts/environment-chart.js';
import type { ReportData } from '../report-data.js';
import { formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function environmentSection(data: ReportData): ReportSection {
  const { environments } = data;
  return {
    id: 'environments',
    title: 'Environment build failures',
    intro: [
      'Every Python environment `mle env` and `mle backport` tried to build (all of them, since environments are shared between experiments). A failed build is recorded with a stable failure mode and the step that failed, and the notebooks that needed it end as env-failed.',
    ],
    highlights: environments.missing ? [] : [`${formatProportion(environments.failed)} of environments could not be built.`],
    empty: environments.missing,
    tables: [
      {
        id: 'environment-kinds',
        title: 'Environments',
        columns: [
          { key: 'kind', label: 'kind', kind: 'text' },
          { key: 'total', label: 'environments', kind: 'integer' },
          { key: 'ready', label: 'ready', kind: 'integer' },
          { key: 'removed', label: 'removed', kind: 'integer' },
          { key: 'failed', label: 'failed (of kind)', kind: 'proportion' },
        ],
        rows: environments.kinds.map((k) => row({ kind: k.kind, total: k.total, ready: k.ready, removed: k.removed, failed: k.failed })),
      },
      {
        id: 'environment-failure-modes',
        title: 'Failure modes',
        columns: [
          { key: 'mode', label: 'failure mode', kind: 'code', csv: 'failure_mode' },
          { key: 'step', label: 'step', kind: 'text', csv: 'failure_step' },
          { key: 'kind', label: 'kind', kind: 'text' },
          { key: 'share', label: 'environments (of failed)', kind: 'proportion' },
          { key: 'example', label: 'first message', kind: 'code' },
        ],
        rows: environments.failureModes.map((m) => row({ mode: m.failureMode, step: m.failureStep, kind: m.kind, share: m.share, example: m.example })),
      },
      {
        id: 'environment-events',
        title: 'Builds and reuses',
        columns: [
          { key: 'action', label: 'action', kind: 'text' },
          { key: 'count', label: 'requests', kind: 'integer' },
          { key: 'cached', label: 'answered from a recorded failure', kind: 'integer', csv: 'cached_failures' },
          { key: 'seconds', label: 'time', kind: 'seconds' },
        ],
        rows: environments.events.map((e) => row({ action: e.action, count: e.count, cached: e.cachedFailures, seconds: e.seconds })),
      },
    ],
    charts: environments.failureModes.length ? [environmentChart(environments)] : [],
  };
}
