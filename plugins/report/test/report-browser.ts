import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The flags the brief asks for: no sandbox (root in CI), nothing that talks to Google. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const CHROMIUM_PATH = process.env.MLE_CHROMIUM ?? '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** Console messages of type error or warning, and uncaught page errors. */
  problems: string[];
  /** Every request the page made other than the file it was opened from. */
  requests: string[];
  /** Dialogs (alert, confirm, prompt) the page tried to open. */
  dialogs: string[];
}

export interface Browser {
  context: BrowserContext;
  open(file: string): Promise<OpenedPage>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile. Every request but the opened file is recorded and
 * aborted, so a report that tried to reach the network fails its test instead of hanging.
 */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'mle-report-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  return {
    context,
    async open(file) {
      const url = pathToFileURL(file).href;
      const page = await context.newPage();
      const opened: OpenedPage = { page, problems: [], requests: [], dialogs: [] };
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') opened.problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => opened.problems.push(`pageerror: ${error.message}`));
      page.on('dialog', (dialog) => {
        opened.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.route('**/*', async (route) => {
        const requested = route.request().url();
        if (requested === url) return route.continue();
        opened.requests.push(requested);
        return route.abort();
      });
      await page.goto(url, { waitUntil: 'load' });
      return opened;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Wait until every chart container says it rendered (or failed: then the test sees the problem). */
export async function waitForCharts(page: Page): Promise<number> {
  await page.waitForFunction(
    () => {
      // Runs in the page; typed structurally because this package compiles without the DOM lib.
      interface ChartNode {
        getAttribute(name: string): string | null;
        textContent: string | null;
      }
      const page = globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<ChartNode> } };
      const charts = Array.from(page.document.querySelectorAll('[data-chart]'));
      return charts.every((chart) => chart.getAttribute('data-rendered') === 'true' || Boolean(chart.textContent?.startsWith('This chart could not be drawn')));
    },
    undefined,
    { timeout: 60_000 },
  );
  return page.locator('[data-chart]').count();
}
