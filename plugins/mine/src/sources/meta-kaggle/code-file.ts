import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where Meta Kaggle Code keeps a kernel version's file: with f = the id zero-padded to 10
 * digits, `{f[0:4]}/{f[4:7]}/{id}.{ext}` (id 230026147 → `0230/026/230026147.ipynb`).
 */
export function codeShard(kernelVersionId: number): { dir: string; stem: string } {
  const f = String(kernelVersionId).padStart(10, '0');
  return { dir: `${f.slice(0, 4)}/${f.slice(4, 7)}`, stem: String(kernelVersionId) };
}

export type CodeFile =
  | { kind: 'found'; path: string; extension: string }
  | { kind: 'missing'; pattern: string }
  | { kind: 'ambiguous'; pattern: string; paths: string[] };

/**
 * Finds code files by globbing `{id}.*` in the shard folder, as the study's scripts do; the
 * extension (ipynb, py, r, rmd) comes from the one match. Candidates arrive in id order, so
 * consecutive ids share a folder: the last listing is kept and reused.
 */
export class CodeFileLocator {
  private listed: { dir: string; names: Map<string, string[]> } | undefined;

  constructor(readonly codeDir: string) {}

  async locate(kernelVersionId: number): Promise<CodeFile> {
    const { dir, stem } = codeShard(kernelVersionId);
    const pattern = `${dir}/${stem}.*`;
    if (this.listed?.dir !== dir) this.listed = { dir, names: await this.list(dir) };
    const matches = this.listed.names.get(stem) ?? [];
    if (matches.length === 0) return { kind: 'missing', pattern };
    if (matches.length > 1) return { kind: 'ambiguous', pattern, paths: matches.map((name) => `${dir}/${name}`) };
    const name = matches[0]!;
    return { kind: 'found', path: `${dir}/${name}`, extension: name.slice(stem.length + 1).toLowerCase() };
  }

  /** File names of a shard folder grouped by stem (the part before the first dot). */
  private async list(dir: string): Promise<Map<string, string[]>> {
    const names = new Map<string, string[]>();
    const entries = await readdir(join(this.codeDir, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const dot = entry.name.indexOf('.');
      if (dot <= 0) continue;
      const stem = entry.name.slice(0, dot);
      names.set(stem, [...(names.get(stem) ?? []), entry.name].sort());
    }
    return names;
  }
}
