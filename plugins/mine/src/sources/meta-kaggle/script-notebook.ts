/** Kernelspecs for the script kinds Meta Kaggle Code holds besides notebooks. */
const SCRIPT_KERNELS: Record<string, { name: string; language: string; display_name: string }> = {
  py: { name: 'python3', language: 'python', display_name: 'Python 3' },
  r: { name: 'ir', language: 'R', display_name: 'R' },
  rmd: { name: 'ir', language: 'R', display_name: 'R' },
};

/**
 * A Kaggle script as a one-cell nbformat v4 notebook, so that `--scripts` mining stores it
 * like any notebook; the kernelspec names the script's language (from its extension), which
 * the language filter then acts on.
 */
export function scriptNotebook(text: string, extension: string): string {
  const kernelspec = SCRIPT_KERNELS[extension] ?? { name: extension, language: extension, display_name: extension };
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec, mle_script: { extension } },
    cells: [{ cell_type: 'code', id: 'script', metadata: {}, execution_count: null, outputs: [], source: text }],
  });
}
