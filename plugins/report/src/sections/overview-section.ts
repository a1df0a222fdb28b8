import type { ReportData } from '../report-data.js';
import { formatProportion, formatUsd } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function overviewSection(data: ReportData): ReportSection {
  const { corpus } = data;
  const highlights = corpus.missing
    ? []
    : [
        `${corpus.notebooks} notebooks in the corpus; ML notebooks: ${formatProportion(corpus.ml)}; with a competition: ${formatProportion(corpus.withCompetition)}; with a reported score: ${formatProportion(corpus.withReportedScore)}.`,
        `${data.experiments.length} experiment${data.experiments.length === 1 ? '' : 's'} in this report${data.named ? ' (as named with --experiment)' : ''}.`,
        // The headline per experiment, the lines a paper quotes.
        ...data.headline.experiments
          .filter((e) => e.notebooks > 0)
          .map(
            (e) =>
              `${e.name} (${e.kind}): reproducible ${formatProportion(e.reproducible)}${e.rescued ? `; rescued ${formatProportion(e.rescued)} of candidates` : ''}${e.costUsd > 0 ? `; LLM cost ${formatUsd(e.costUsd)}, ${formatUsd(e.costPerRescuedUsd)} per rescued notebook` : ''}.`,
          ),
      ];
  return {
    id: 'overview',
    title: 'Corpus and experiments',
    intro: [
      'Every figure below is a share with its count, denominator and 95% Wilson score interval: "35.4% (4503/12720, 95% CI 34.6–36.2%)". Each notebook counts once per experiment, by the run that stands for it: the modernization loop’s best run, otherwise its last attempt; it reproduces when the loop rescued it (or found it reproducible), else when the experiment’s verdict over repeated attempts says so, else when that run’s score is within 10% of the reported score.',
    ],
    highlights,
    empty: corpus.missing,
    tables: [
      {
        id: 'corpus',
        title: 'Corpus',
        columns: [
          { key: 'measure', label: 'measure', kind: 'text' },
          { key: 'value', label: 'notebooks', kind: 'proportion' },
        ],
        rows: [
          row({ measure: 'ML notebooks (import an ML library)', value: corpus.ml }),
          row({ measure: 'with a competition to grade against', value: corpus.withCompetition }),
          row({ measure: 'with a reported score', value: corpus.withReportedScore }),
        ],
        note: `${corpus.competitions} competition${corpus.competitions === 1 ? '' : 's'} registered, ${corpus.sources} notebook source${corpus.sources === 1 ? '' : 's'}.`,
      },
      {
        id: 'experiments',
        title: 'Experiments',
        columns: [
          { key: 'name', label: 'experiment', kind: 'text' },
          { key: 'kind', label: 'condition', kind: 'text' },
          { key: 'attempted', label: 'notebooks attempted (of corpus)', kind: 'proportion' },
          { key: 'started', label: 'started', kind: 'text' },
          { key: 'finished', label: 'finished', kind: 'text' },
          { key: 'seconds', label: 'kernel time', kind: 'seconds' },
        ],
        rows: data.experiments.map((experiment) => {
          const coverage = data.funnel.coverage.find((c) => c.experiment.id === experiment.id);
          const compared = data.comparison.experiments.find((c) => c.experiment.id === experiment.id);
          return row({
            name: experiment.name,
            kind: experiment.kind,
            attempted: coverage?.attempted ?? null,
            started: experiment.startedAt,
            finished: experiment.finishedAt ?? 'not finished',
            seconds: compared?.runSeconds ?? null,
          });
        }),
      },
    ],
    charts: [],
  };
}
