import type { NormalizedNotebook } from './types.js';

export interface DetectedLanguage {
  /** Lower-case language name (`python`, `r`, `julia`, ...), or `unknown`. */
  language: string;
  /** Where the answer came from, so a surprising label can be traced. */
  evidence: 'kernelspec.language' | 'language_info.name' | 'kernelspec.name' | 'cell-language' | 'file-extension' | 'default';
  /** Python major version when the metadata says (python2 kernels, language_info.version). */
  pythonMajor: 2 | 3 | null;
}

const EXTENSION_LANGUAGES: Record<string, string> = {
  py: 'python', ipynb: 'python', r: 'r', rmd: 'r', jl: 'julia', scala: 'scala', sql: 'sql',
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
}

function languageFromKernelName(name: string): string {
  if (name.startsWith('python') || name === 'conda-root-py' || name.startsWith('conda-env') || name === 'py') return 'python';
  if (name === 'ir' || name.startsWith('r-') || name === 'r') return 'r';
  if (name.startsWith('julia')) return 'julia';
  return name;
}

function pythonMajorOf(notebook: NormalizedNotebook): 2 | 3 | null {
  const info = notebook.metadata.language_info as { version?: unknown; codemirror_mode?: unknown } | undefined;
  const version = str(info?.version);
  if (version?.startsWith('2.')) return 2;
  if (version?.startsWith('3.')) return 3;
  const mode = info?.codemirror_mode as { version?: unknown } | undefined;
  if (mode?.version === 2 || mode?.version === 3) return mode.version;
  const kernel = str((notebook.metadata.kernelspec as { name?: unknown } | undefined)?.name);
  if (kernel === 'python2') return 2;
  if (kernel === 'python3') return 3;
  return null;
}

/**
 * Which language a notebook is written in, from the most to the least specific evidence:
 * kernelspec.language, language_info.name, the kernelspec name, v3 cell languages, then the
 * file extension. Notebooks with no evidence at all are assumed to be Python, as Jupyter did.
 */
export function detectLanguage(notebook: NormalizedNotebook, fileExtension?: string): DetectedLanguage {
  const pythonMajor = pythonMajorOf(notebook);
  const kernelspec = notebook.metadata.kernelspec as { language?: unknown; name?: unknown } | undefined;
  const fromSpec = str(kernelspec?.language);
  if (fromSpec) return { language: fromSpec, evidence: 'kernelspec.language', pythonMajor };
  const fromInfo = str((notebook.metadata.language_info as { name?: unknown } | undefined)?.name);
  if (fromInfo) return { language: fromInfo, evidence: 'language_info.name', pythonMajor };
  const kernelName = str(kernelspec?.name);
  if (kernelName) return { language: languageFromKernelName(kernelName), evidence: 'kernelspec.name', pythonMajor };
  const fromCells = str(notebook.languageHint);
  if (fromCells) return { language: fromCells, evidence: 'cell-language', pythonMajor };
  const ext = str(fileExtension?.replace(/^\./, ''));
  if (ext && ext !== 'ipynb' && EXTENSION_LANGUAGES[ext]) {
    return { language: EXTENSION_LANGUAGES[ext]!, evidence: 'file-extension', pythonMajor };
  }
  return { language: 'python', evidence: 'default', pythonMajor };
}
