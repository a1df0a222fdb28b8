"""Reference miner: what a researcher would write with the standard library.

json.load each notebook, ast-parse each code cell (dropping cells that do not parse, as the
feedback study did), collect imports, and insert notebooks, cells and imports into SQLite with
one commit per notebook. Used by mine.bench.mjs as the baseline measured in the same run.
Usage: python3 reference_miner.py CORPUS_DIR DB_PATH
"""
import ast
import hashlib
import json
import os
import sqlite3
import sys
import time


def main(corpus, db_path):
    db = sqlite3.connect(db_path)
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS notebooks (id INTEGER PRIMARY KEY, path TEXT, content_hash TEXT UNIQUE, ncells INTEGER);
        CREATE TABLE IF NOT EXISTS cells (notebook_id INTEGER, idx INTEGER, source TEXT, outputs TEXT);
        CREATE TABLE IF NOT EXISTS imports (notebook_id INTEGER, idx INTEGER, module TEXT);
        CREATE TABLE IF NOT EXISTS rejected (path TEXT, reason TEXT);
        """
    )
    started = time.perf_counter()
    files = 0
    for root, dirs, names in os.walk(corpus):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".ipynb"):
                continue
            files += 1
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    nb = json.load(handle)
            except ValueError as error:
                db.execute("INSERT INTO rejected VALUES (?, ?)", (path, str(error)))
                db.commit()
                continue
            cells = nb.get("cells")
            if cells is None:
                cells = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
            sources = []
            for cell in cells:
                src = cell.get("source", cell.get("input", ""))
                sources.append("".join(src) if isinstance(src, list) else str(src))
            digest = hashlib.sha256("\n".join(sources).encode()).hexdigest()
            cur = db.execute("INSERT OR IGNORE INTO notebooks (path, content_hash, ncells) VALUES (?, ?, ?)", (path, digest, len(cells)))
            if cur.rowcount == 0:
                db.commit()
                continue
            nid = cur.lastrowid
            for idx, (cell, src) in enumerate(zip(cells, sources)):
                db.execute("INSERT INTO cells VALUES (?, ?, ?, ?)", (nid, idx, src, json.dumps(cell.get("outputs", []))))
                if cell.get("cell_type") != "code" or "import" not in src:
                    continue
                try:
                    tree = ast.parse(src)
                except SyntaxError:
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.Import):
                        for alias in node.names:
                            db.execute("INSERT INTO imports VALUES (?, ?, ?)", (nid, idx, alias.name))
                    elif isinstance(node, ast.ImportFrom):
                        db.execute("INSERT INTO imports VALUES (?, ?, ?)", (nid, idx, node.module or "."))
            db.commit()
    elapsed = time.perf_counter() - started
    print(json.dumps({"files": files, "seconds": elapsed}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
