import cliProgress from 'cli-progress';

/** A progress bar that does nothing when disabled, so library callbacks can always report. */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private value = 0;

  constructor(label: string, total: number | undefined, options: { enabled: boolean }) {
    this.bar = options.enabled
      ? new cliProgress.SingleBar(
          {
            format: total === undefined ? `${label} {value} done | {rate}/s | {detail}` : `${label} [{bar}] {value}/{total} | {rate}/s | eta {eta_formatted} | {detail}`,
            stream: process.stderr,
            hideCursor: true,
            etaBuffer: 50,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total ?? 0, 0, { rate: '0', detail: '' });
  }

  private readonly startedAt = Date.now();

  update(value: number, detail = '', total?: number): void {
    this.value = value;
    if (!this.bar) return;
    if (total !== undefined) this.bar.setTotal(total);
    const seconds = (Date.now() - this.startedAt) / 1000;
    this.bar.update(value, { detail, rate: seconds > 0 ? (value / seconds).toFixed(1) : '0' });
  }

  increment(detail = ''): void {
    this.update(this.value + 1, detail);
  }

  stop(): void {
    this.bar?.stop();
  }
}
