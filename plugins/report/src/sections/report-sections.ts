import type { ReportData } from '../report-data.js';
import { comparisonSection } from './comparison-section.js';
import { costSection } from './cost-section.js';
import { crashSection } from './crash-section.js';
import { runtimeSection, scoreErrorSection } from './distribution-sections.js';
import { environmentSection } from './environment-section.js';
import { feedbackSection } from './feedback-section.js';
import { fixSection } from './fix-section.js';
import { funnelSection } from './funnel-section.js';
import { notebookSection } from './notebook-section.js';
import { overviewSection } from './overview-section.js';
import { publishedSection } from './published-section.js';
import type { ReportSection } from './report-section.js';
import { transitionsSection } from './transitions-section.js';

/** The report's sections in reading order. */
export function reportSections(data: ReportData): ReportSection[] {
  return [
    overviewSection(data),
    funnelSection(data),
    transitionsSection(data),
    comparisonSection(data),
    crashSection(data),
    fixSection(data),
    costSection(data),
    scoreErrorSection(data),
    runtimeSection(data),
    environmentSection(data),
    feedbackSection(data),
    publishedSection(data),
    notebookSection(data),
  ];
}
