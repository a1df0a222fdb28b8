import type { NormalizedNotebook } from '@mle/core';
import type { StoredAssertion } from '../synthesize/assertion-store.js';
import { instrumentNotebook } from '../validate/instrument-notebook.js';

const py = (text: string) => JSON.stringify(text);

/**
 * A pytest module that keeps a notebook's validated assertions: one fixture runs the notebook once
 * with nbclient (each assertion inserted, guarded, right after its statement), and one test per
 * assertion checks the verdict it printed.
 */
export function exportPytest(notebook: NormalizedNotebook, notebookPath: string, assertions: readonly StoredAssertion[]): string {
  const instrumented = instrumentNotebook(notebook, assertions.map((a) => ({ id: a.id, cell: a.cell, line: a.line, code: a.code })));
  const sources = instrumented.cells.filter((c) => c.cellType === 'code').map((c) => `    (${c.index}, ${py(c.source)}),`);
  const cases = assertions.map((a) => `    pytest.param(${a.id}, ${a.cell}, ${py(a.code)}, id=${py(`cell${a.cell}-${a.kind}-${a.id}`)}),`);
  return `"""Assertions synthesized by \`mle feedback synthesize\` from the outputs stored in
${notebookPath}, validated by running the notebook. Run with: python -m pytest this_file.py
Needs nbclient and ipykernel; the notebook's data where it reads it (e.g. /kaggle/input).
"""
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = os.environ.get("MLE_NOTEBOOK_CWD", os.getcwd())
KERNEL = os.environ.get("MLE_KERNEL", "python3")

# (cell index, source with the assertions inserted after their statements)
CELLS = [
${sources.join('\n')}
]

# (assertion id, cell index, assertion)
ASSERTIONS = [
${cases.join('\n')}
]

MARKER = re.compile(r"\\[mle-assert (\\d+) (pass|fail|error)\\]([^\\n]*)")


@pytest.fixture(scope="module")
def verdicts():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for _, source in CELLS]
    NotebookClient(nb, kernel_name=KERNEL, allow_errors=True, timeout=600, resources={"metadata": {"path": NOTEBOOK_DIR}}).execute()
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                for m in MARKER.finditer(output.get("text", "")):
                    found[int(m.group(1))] = (m.group(2), m.group(3).strip())
    return found


@pytest.mark.parametrize("assertion_id, cell, code", ASSERTIONS)
def test_assertion(verdicts, assertion_id, cell, code):
    assert assertion_id in verdicts, f"cell {cell} did not run: {code}"
    outcome, detail = verdicts[assertion_id]
    assert outcome == "pass", f"cell {cell}: {code} -> {outcome} {detail}"
`;
}
