#!/usr/bin/env python3
"""Reference feedback extractor following the method of Shome et al. (arXiv 2408.00153) as
documented in shared/reference/feedback-taxonomy.md, section 2. Written for mle's benchmark from
that description; standard library only.

- Each notebook is read with json.load and its "cells" list (nbformat v4; a notebook without
  "cells" contributes nothing, as in the study's scripts).
- Each code cell with a non-empty source is parsed on its own with Python 3's ast.parse; a cell
  that fails is silently dropped (no IPython transformation: magics and Python 2 code are lost).
- Assertion: every ast.Assert node anywhere; every ast.Call whose function expression contains
  the substring "assert" (case-sensitive) once its Name ids and Attribute names are joined.
- Print: a Call whose func is the bare Name "print".
- The visitor does not descend into an Assert or a Call, so nested calls are not seen.
- Last-cell statement: only for cells whose saved outputs contain an execute_result, the cell's
  last top-level statement (tree.body[-1]), whatever its kind, unparsed.

Usage: reference_extractor.py DIR_OR_FILE... --out instances.jsonl [--cells-out cells.jsonl] [--ml-only]
Prints a JSON summary (cells, parsed, dropped, instances, seconds, cells_per_second) on stdout.
"""

import argparse
import ast
import json
import os
import re
import sys
import time

STUDY_ML = re.compile(r"sklearn|torch|tensorflow|keras")


def joined_names(node):
    """Name ids and Attribute names of an expression, joined (the study's rule (b))."""
    parts = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            parts.append(child.id)
        elif isinstance(child, ast.Attribute):
            parts.append(child.attr)
    return "".join(parts)


class FeedbackVisitor(ast.NodeVisitor):
    def __init__(self):
        self.found = []

    def visit_Assert(self, node):
        self.found.append(("assert", node.lineno, ast.unparse(node)))
        # No generic_visit: the study does not look inside an assert.

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            self.found.append(("print", node.lineno, ast.unparse(node)))
        elif "assert" in joined_names(node.func):
            self.found.append(("assert_call", node.lineno, ast.unparse(node)))
        # No generic_visit: calls nested in a call are not seen.


def source_text(source):
    return "".join(source) if isinstance(source, list) else (source or "")


def has_execute_result(outputs):
    return any(isinstance(o, dict) and o.get("output_type") == "execute_result" for o in outputs or [])


def notebook_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in (".ipynb_checkpoints", ".git"))
                for name in sorted(files):
                    if name.endswith(".ipynb"):
                        yield os.path.join(root, name)
        else:
            yield path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--cells-out")
    parser.add_argument("--ml-only", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    cpu_started = time.process_time()
    stats = {"notebooks": 0, "notebooks_skipped": 0, "cells": 0, "parsed": 0, "dropped": 0, "instances": 0}
    out = open(args.out, "w")
    cells_out = open(args.cells_out, "w") if args.cells_out else None
    for path in notebook_files(args.paths):
        try:
            with open(path) as f:
                cells = json.load(f)["cells"]
        except Exception:
            stats["notebooks_skipped"] += 1
            continue
        code = [(i, c) for i, c in enumerate(cells) if isinstance(c, dict) and c.get("cell_type") == "code"]
        if args.ml_only:
            sources = [source_text(c.get("source")) for _, c in code]
            if not any("import" in s and STUDY_ML.search(s) for s in sources):
                continue
        stats["notebooks"] += 1
        for index, cell in code:
            source = source_text(cell.get("source"))
            stats["cells"] += 1
            if not source:
                # The study removes empty cells before parsing; nothing to find in them.
                continue
            try:
                tree = ast.parse(source)
            except Exception:
                stats["dropped"] += 1
                if cells_out:
                    cells_out.write(json.dumps({"notebook": path, "cell": index, "parsed": False}) + "\n")
                continue
            stats["parsed"] += 1
            if cells_out:
                cells_out.write(json.dumps({"notebook": path, "cell": index, "parsed": True}) + "\n")
            visitor = FeedbackVisitor()
            visitor.visit(tree)
            found = visitor.found
            if tree.body and has_execute_result(cell.get("outputs")):
                last = tree.body[-1]
                found.append(("last_cell", last.lineno, ast.unparse(last)))
            for mechanism, line, text in found:
                out.write(json.dumps({"notebook": path, "cell": index, "line": line, "mechanism": mechanism, "code": text}) + "\n")
            stats["instances"] += len(found)
    out.close()
    if cells_out:
        cells_out.close()
    seconds = time.perf_counter() - started
    stats["seconds"] = round(seconds, 3)
    stats["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
    stats["cells_per_second"] = round(stats["cells"] / seconds) if seconds > 0 else 0
    json.dump(stats, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
