"""Run every era notebook in its dated environment and in a contemporary one, and record what happens.

For each notebook datasets/notebooks/<slug>/<yyyy-mm>-<alias>-<topic>.ipynb (metadata.mle holds its date,
competition and expected statuses) this script

  1. picks the dated interpreter by the notebook's date (the newest Python minor released on or before
     the date, minus one minor) and resolves the notebook's imports, mapped to distributions, plus
     ipykernel with `uv pip compile --exclude-newer <date>`; the contemporary environment resolves the
     same distributions on Python 3.12 with no date limit (what PyPI gives today);
  2. builds each environment once with uv, cached under .mle/era-envs/<hash of interpreter + pins>, so
     notebooks whose pins agree share an environment, and installs an `era` kernelspec into it;
  3. links /kaggle/input/<slug> to datasets/competitions/<slug>/data and executes the notebook with
     nbclient (from .mle/tools) in a fresh directory laid out like Kaggle's (<tmp>/working is the cwd,
     <tmp>/input links to /kaggle/input), stopping at the first error, with the competition's
     runtime_budget_seconds as the wall-clock limit for the whole notebook;
  4. grades working/submission.csv against private/answers.csv with the competition's metric
     (implemented here in plain Python, following scikit-learn's definitions);
  5. writes observed.json and, with --readme, the notebook table of datasets/README.md.

Statuses: reproduced (score within 10% of metadata.mle.reported_score), score-mismatch, error (with the
exception's name), timeout, no-submission, invalid-submission, env-failed.

--write-outputs stores the dated run's outputs in the notebook file (as a published Kaggle notebook keeps
them) and records the dated score as metadata.mle.reported_score, unless measure-reported.mjs has recorded
the score `mle backport` measured (metadata.mle.reported_score_command), which then stands.

Usage: python3 datasets/notebooks/validate.py [--only SUBSTRING] [--side dated|contemporary|both]
                                              [--write-outputs] [--readme] [--no-check]
Exit status 1 when an observed status differs from metadata.mle.expected (unless --no-check).
"""
import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.path.dirname(HERE)
ROOT = os.path.dirname(DATASETS)
COMPETITIONS = os.path.join(DATASETS, "competitions")
MLE = os.path.join(ROOT, ".mle")
TOOLS_PYTHON = os.path.join(MLE, "tools", "bin", "python")
UV = os.path.join(MLE, "tools", "bin", "uv")
ENVS = os.path.join(MLE, "era-envs")
UV_CACHE = os.path.join(MLE, "uv-cache")
OBSERVED = os.path.join(HERE, "observed.json")
README = os.path.join(DATASETS, "README.md")
KAGGLE_INPUT = "/kaggle/input"
PYENV = "/root/.pyenv/versions"
# The interpreters this machine offers (and the sandbox will): minor -> executable.
INTERPRETERS = {minor: os.path.join(PYENV, full, "bin", "python") for minor, full in (
    ("3.9", "3.9.18"), ("3.10", "3.10.13"), ("3.11", "3.11.7"), ("3.12", "3.12.1"), ("3.13", "3.13.0"))}
CONTEMPORARY_PYTHON = "3.12"
# First release of each Python minor (python.org).
PYTHON_RELEASES = [
    ("2.7", "2010-07-03"), ("3.2", "2011-02-20"), ("3.3", "2012-09-29"), ("3.4", "2014-03-16"),
    ("3.5", "2015-09-13"), ("3.6", "2016-12-23"), ("3.7", "2018-06-27"), ("3.8", "2019-10-14"),
    ("3.9", "2020-10-05"), ("3.10", "2021-10-04"), ("3.11", "2022-10-24"), ("3.12", "2023-10-02"),
    ("3.13", "2024-10-07"), ("3.14", "2025-10-07"),
]
# Import name -> distribution, for the modules these notebooks use.
DISTRIBUTIONS = {
    "numpy": "numpy", "pandas": "pandas", "sklearn": "scikit-learn", "scipy": "scipy",
    "matplotlib": "matplotlib", "seaborn": "seaborn", "xgboost": "xgboost", "lightgbm": "lightgbm",
    "statsmodels": "statsmodels",
}
TOLERANCE = 0.10
KERNEL_NAME = "era"


# ---------------------------------------------------------------------------------------------
# Notebooks


def notebook_paths(only=None):
    paths = []
    for slug in sorted(os.listdir(HERE)):
        folder = os.path.join(HERE, slug)
        if not os.path.isdir(folder) or slug.startswith((".", "_")):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".ipynb") and not name.startswith("."):
                path = os.path.join(folder, name)
                if not only or any(o in os.path.relpath(path, HERE) for o in only):
                    paths.append(path)
    return paths


def load_notebook(path):
    with open(path) as handle:
        return json.load(handle)


def cell_source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


IMPORT_RE = re.compile(r"^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import|import\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*))", re.M)


def imported_modules(notebook):
    """Top-level modules the code cells import (a regex, so that Python 2 cells count too)."""
    modules = set()
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        for match in IMPORT_RE.finditer(cell_source(cell)):
            if match.group(1):
                modules.add(match.group(1).split(".")[0])
            else:
                for part in match.group(2).split(","):
                    modules.add(part.strip().split(".")[0].split()[0])
    return sorted(modules)


def distributions_for(notebook):
    return sorted({DISTRIBUTIONS[m] for m in imported_modules(notebook) if m in DISTRIBUTIONS})


# ---------------------------------------------------------------------------------------------
# Environments


def python_for_date(date):
    """The newest Python minor released on or before `date`, minus one minor (the backporting rule)."""
    released = [minor for minor, day in PYTHON_RELEASES if day <= date]
    newest = released[-1]
    major, minor = (int(x) for x in newest.split("."))
    return f"{major}.{minor - 1}" if major == 3 else newest


def run(command, **kwargs):
    env = dict(os.environ, UV_CACHE_DIR=UV_CACHE, UV_NO_PROGRESS="1")
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, **kwargs)


def resolve(python_minor, distributions, exclude_newer):
    requirements = "\n".join(distributions + ["ipykernel"]) + "\n"
    command = [UV, "pip", "compile", "-", "--python", INTERPRETERS[python_minor], "--no-header", "--no-annotate", "--quiet"]
    if exclude_newer:
        command += ["--exclude-newer", exclude_newer]
    result = run(command, input=requirements)
    if result.returncode != 0:
        raise EnvironmentFailure(f"uv pip compile failed: {result.stderr.strip()[-800:]}")
    return [line.strip() for line in result.stdout.splitlines() if line.strip() and not line.startswith("#")]


class EnvironmentFailure(Exception):
    pass


def environment(python_minor, distributions, exclude_newer, cache):
    """Build (or reuse) the environment; returns (path, pins)."""
    memo_key = (python_minor, tuple(distributions), exclude_newer)
    if memo_key in cache:
        return cache[memo_key]
    if python_minor not in INTERPRETERS or not os.path.exists(INTERPRETERS[python_minor]):
        raise EnvironmentFailure(f"no interpreter for Python {python_minor} on this machine")
    pins = resolve(python_minor, distributions, exclude_newer)
    key = hashlib.sha256(("python " + python_minor + "\n" + "\n".join(pins)).encode()).hexdigest()[:16]
    path = os.path.join(ENVS, f"py{python_minor}-{key}")
    marker = os.path.join(path, ".era-ready")
    if not os.path.exists(marker):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(ENVS, exist_ok=True)
        started = time.time()
        steps = [
            [UV, "venv", "--quiet", "--python", INTERPRETERS[python_minor], path],
            [UV, "pip", "install", "--quiet", "--python", os.path.join(path, "bin", "python"), "--no-deps"] + pins,
            [os.path.join(path, "bin", "python"), "-m", "ipykernel", "install", "--prefix", path, "--name", KERNEL_NAME],
        ]
        for step in steps:
            result = run(step)
            if result.returncode != 0:
                shutil.rmtree(path, ignore_errors=True)
                raise EnvironmentFailure(f"{' '.join(step[:3])} failed: {result.stderr.strip()[-800:]}")
        with open(marker, "w") as handle:
            json.dump({"python": python_minor, "exclude_newer": exclude_newer, "pins": pins,
                       "build_seconds": round(time.time() - started, 1)}, handle, indent=1)
        print(f"  built {os.path.relpath(path, ROOT)} in {time.time() - started:.0f}s", file=sys.stderr)
    cache[memo_key] = (path, pins)
    return path, pins


def versions_of(pins, distributions):
    wanted = set(distributions) | {"ipykernel"}
    out = {}
    for pin in pins:
        name, _, version = pin.partition("==")
        if name.lower() in wanted:
            out[name.lower()] = version.split(";")[0].strip()
    return out


# ---------------------------------------------------------------------------------------------
# Data and grading


def ensure_inputs(slugs):
    for slug in slugs:
        data = os.path.join(COMPETITIONS, slug, "data")
        if not os.path.exists(os.path.join(data, "train.csv")):
            subprocess.run([sys.executable, os.path.join(DATASETS, "prepare.py"), slug], check=True)
    os.makedirs(KAGGLE_INPUT, exist_ok=True)
    for slug in slugs:
        link = os.path.join(KAGGLE_INPUT, slug)
        target = os.path.join(COMPETITIONS, slug, "data")
        if os.path.islink(link) and os.readlink(link) == target:
            continue
        if os.path.islink(link):
            os.unlink(link)
        elif os.path.exists(link):
            raise SystemExit(f"{link} exists and is not a link to {target}")
        os.symlink(target, link)


def competition(slug):
    with open(os.path.join(COMPETITIONS, slug, "competition.json")) as handle:
        return json.load(handle)


def read_table(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


class InvalidSubmission(Exception):
    pass


def grade(slug, submission_path):
    spec = competition(slug)
    header, rows = read_table(os.path.join(COMPETITIONS, slug, "private", "answers.csv"))
    id_column = spec["id_column"]
    truth = {row[0]: row[1] for row in rows}
    try:
        sub_header, sub_rows = read_table(submission_path)
    except (OSError, csv.Error, IndexError) as error:
        raise InvalidSubmission(f"unreadable submission: {error}")
    missing = [c for c in spec["submission_columns"] if c not in sub_header]
    if missing:
        raise InvalidSubmission(f"submission lacks columns {missing}")
    index = {c: sub_header.index(c) for c in spec["submission_columns"]}
    submitted = {}
    for row in sub_rows:
        if row:
            submitted[row[index[id_column]].strip()] = row
    if set(submitted) != set(truth):
        raise InvalidSubmission(f"submission ids differ from the test ids ({len(submitted)} rows for {len(truth)})")
    ids = sorted(truth, key=lambda k: int(k))

    def numbers(column):
        out = []
        for i in ids:
            try:
                value = float(submitted[i][index[column]])
            except ValueError:
                raise InvalidSubmission(f"id {i}: {submitted[i][index[column]]!r} is not a number")
            if not math.isfinite(value):
                raise InvalidSubmission(f"id {i}: {column} is {value}")
            out.append(value)
        return out

    target = spec["target_columns"][0]
    y = [float(truth[i]) for i in ids]
    metric = spec["metric"]
    if metric == "rmse":
        p = numbers(target)
        return math.sqrt(sum((a - b) ** 2 for a, b in zip(y, p)) / len(y))
    if metric == "rmsle":
        p = numbers(target)
        if any(v <= -1 for v in p):
            raise InvalidSubmission("a prediction is <= -1, where RMSLE is undefined")
        return math.sqrt(sum((math.log1p(a) - math.log1p(b)) ** 2 for a, b in zip(y, p)) / len(y))
    if metric == "accuracy":
        p = numbers(target)
        return sum(1 for a, b in zip(y, p) if a == b) / len(y)
    if metric == "roc_auc":
        return roc_auc(y, numbers(target))
    if metric == "log_loss":
        columns = spec["submission_columns"][1:]
        probabilities = [numbers(c) for c in columns]
        eps = 2.220446049250313e-16  # scikit-learn >= 1.5: float64 machine epsilon, no renormalisation
        total = 0.0
        for row, label in enumerate(y):
            p = probabilities[int(label)][row]
            if p < 0 or p > 1:
                raise InvalidSubmission(f"probability {p} outside [0, 1]")
            total -= math.log(min(max(p, eps), 1 - eps))
        return total / len(y)
    if metric == "quadratic_weighted_kappa":
        p = numbers(target)
        if any(v != int(v) for v in p):
            raise InvalidSubmission("ratings must be integers")
        return quadratic_weighted_kappa([int(v) for v in y], [int(v) for v in p])
    raise SystemExit(f"unknown metric {metric}")


def roc_auc(y, scores):
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(1 for v in y if v == 1)
    negatives = len(y) - positives
    rank_sum = sum(r for r, v in zip(ranks, y) if v == 1)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def quadratic_weighted_kappa(y, p):
    labels = sorted(set(y) | set(p))
    position = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    confusion = [[0] * k for _ in range(k)]
    for a, b in zip(y, p):
        confusion[position[a]][position[b]] += 1
    rows = [sum(r) for r in confusion]
    cols = [sum(confusion[i][j] for i in range(k)) for j in range(k)]
    total = sum(rows)
    observed = sum((i - j) ** 2 * confusion[i][j] for i in range(k) for j in range(k))
    expected = sum((i - j) ** 2 * rows[i] * cols[j] / total for i in range(k) for j in range(k))
    return 1 - observed / expected


# ---------------------------------------------------------------------------------------------
# Execution (the part that runs under .mle/tools' Python, which has nbclient)


def execute_here(args):
    """Child mode: execute one notebook with nbclient and write a JSON result."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    os.environ["JUPYTER_PATH"] = os.path.join(args.env, "share", "jupyter")
    notebook = nbformat.read(args.notebook, as_version=4)
    deadline = [None]

    def remaining(cell):
        if deadline[0] is None:
            deadline[0] = time.monotonic() + args.budget
        return max(1, int(math.ceil(deadline[0] - time.monotonic())))

    client = NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout_func=remaining, allow_errors=False,
                            record_timing=False, startup_timeout=120,
                            resources={"metadata": {"path": args.cwd}})
    result = {"status": "ok"}
    started = None
    try:
        with client.setup_kernel():
            started = time.monotonic()
            deadline[0] = started + args.budget
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
    except CellTimeoutError as error:
        result = {"status": "timeout", "detail": str(error).strip().splitlines()[0][:300]}
    except CellExecutionError as error:
        failing = next((i for i, c in enumerate(notebook.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        result = {"status": "error", "ename": error.ename, "evalue": (error.evalue or "")[:500], "cell": failing}
    except DeadKernelError as error:
        result = {"status": "error", "ename": "DeadKernelError", "evalue": str(error)[:300]}
    result["runtime"] = round(time.monotonic() - started, 2) if started is not None else None
    nbformat.write(notebook, args.executed)
    with open(args.result, "w") as handle:
        json.dump(result, handle)


def execute(path, env_path, slug, budget):
    """Run one notebook in a Kaggle-like temp layout; returns (result dict, executed notebook, submission path)."""
    scratch = tempfile.mkdtemp(prefix="era-run-")
    working = os.path.join(scratch, "working")
    os.makedirs(working)
    os.symlink(KAGGLE_INPUT, os.path.join(scratch, "input"))
    executed = os.path.join(scratch, "executed.ipynb")
    result_path = os.path.join(scratch, "result.json")
    command = [TOOLS_PYTHON, os.path.abspath(__file__), "_execute", "--notebook", path, "--env", env_path,
               "--cwd", working, "--budget", str(budget), "--executed", executed, "--result", result_path]
    child = run(command, timeout=budget + 300)
    if not os.path.exists(result_path):
        raise RuntimeError(f"runner failed for {path}: {child.stderr[-2000:]}")
    with open(result_path) as handle:
        result = json.load(handle)
    with open(executed) as handle:
        executed_notebook = json.load(handle)
    return result, executed_notebook, os.path.join(working, "submission.csv"), scratch


def outcome(result, slug, submission, reported, budget):
    """Turn a run into a status and a score."""
    status = {"status": result["status"], "runtime_seconds": result.get("runtime")}
    for key in ("ename", "evalue", "cell", "detail"):
        if key in result:
            status[key] = result[key]
    if result["status"] == "timeout":
        status["detail"] = f"ran past the runtime budget of {budget}s"
        return status
    if result["status"] == "error":
        return status
    if not os.path.exists(submission):
        status["status"] = "no-submission"
        return status
    try:
        score = grade(slug, submission)
    except InvalidSubmission as error:
        status.update(status="invalid-submission", detail=str(error))
        return status
    status["score"] = score
    if reported is None:
        status["status"] = "reproduced"
        status["detail"] = "first measurement (becomes reported_score)"
    else:
        relative = abs(score - reported) / abs(reported) if reported else abs(score)
        status["relative_error"] = round(relative, 4)
        status["status"] = "reproduced" if relative <= TOLERANCE else "score-mismatch"
    return status


def strip_outputs(notebook):
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def scrub_paths(value, env_path):
    """Show the environment's site-packages as Kaggle's image has it (/opt/conda/...), not this machine's path."""
    if isinstance(value, str):
        return re.sub(re.escape(env_path) + r"/lib/(python3\.\d+)/", r"/opt/conda/lib/\1/", value)
    if isinstance(value, list):
        return [scrub_paths(v, env_path) for v in value]
    if isinstance(value, dict):
        return {k: scrub_paths(v, env_path) for k, v in value.items()}
    return value


def save_outputs(path, source, executed, score, env_path):
    """Keep the dated run's outputs in the notebook and record reported_score."""
    env_key = os.path.basename(env_path)
    merged = dict(source)
    merged["cells"] = scrub_paths(executed["cells"], env_path)
    for cell in merged["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    metadata = dict(source.get("metadata", {}))
    if "language_info" in executed.get("metadata", {}):
        metadata["language_info"] = executed["metadata"]["language_info"]
    mle = dict(metadata.get("mle", {}))
    # Once measure-reported.mjs has recorded the score `mle backport` measures, that one stands.
    if score is not None and "reported_score_command" not in mle:
        mle["reported_score"] = round(score, 6)
        mle["reported_score_note"] = "measured by datasets/notebooks/validate.py"
        mle["reported_score_environment"] = env_key
    metadata["mle"] = mle
    merged["metadata"] = metadata
    with open(path, "w") as handle:
        json.dump(merged, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


# ---------------------------------------------------------------------------------------------
# README


def readme_table(observed):
    lines = [
        "| Notebook | Date | Competition | Exercises | Library change | Dated: env → status (score, s) | Contemporary: status (score, s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for rel in sorted(observed["notebooks"], key=lambda r: (observed["notebooks"][r]["competition"], observed["notebooks"][r]["date"])):
        entry = observed["notebooks"][rel]

        def cell(side):
            run_ = entry.get(side)
            if not run_:
                return "not run"
            text = run_["status"]
            if run_.get("ename"):
                text += f" `{run_['ename']}`"
            if run_.get("score") is not None:
                text += f" ({run_['score']:.4g}"
                text += f", {run_['runtime_seconds']:.0f}s)" if run_.get("runtime_seconds") is not None else ")"
            elif run_.get("runtime_seconds") is not None:
                text += f" ({run_['runtime_seconds']:.0f}s)"
            if side == "dated":
                text = f"Python {run_.get('python', '?')}: " + text
            return text

        lines.append(f"| [{os.path.basename(rel)}](notebooks/{rel}) | {entry['date']} | {entry['competition']} | "
                     f"{entry['exercises']} | {entry.get('change', '')} | {cell('dated')} | {cell('contemporary')} |")
    return "\n".join(lines)


def competitions_table():
    lines = ["| Slug | Task | Metric | Train / test rows | Runtime budget | Source package (file) |", "|---|---|---|---|---|---|"]
    for slug in sorted(os.listdir(COMPETITIONS)):
        path = os.path.join(COMPETITIONS, slug, "competition.json")
        if not os.path.exists(path):
            continue
        spec = competition(slug)
        rows = []
        for name in ("train.csv", "test.csv"):
            data = os.path.join(COMPETITIONS, slug, "data", name)
            rows.append(str(sum(1 for _ in open(data)) - 1) if os.path.exists(data) else "?")
        task = re.sub(r"\s*\([^)]*shipped with[^)]*\)", "", spec["description"]).split(";")[0].rstrip(".")
        metric = spec["metric"] + (" (higher is better)" if spec["higher_is_better"] else " (lower is better)")
        source = spec["source"]
        lines.append(f"| {slug} | {task} | {metric} | {' / '.join(rows)} | {spec.get('runtime_budget_seconds', '')} s | "
                     f"{source['package']} (`{source['file']}`) |")
    return "\n".join(lines)


def replace_block(text, name, body):
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{README} lacks the {begin} / {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + body + "\n" + end + tail


def refresh_metadata(observed):
    """Take the descriptive fields from the notebooks as they are now (statuses stay as observed)."""
    for rel, entry in list(observed["notebooks"].items()):
        path = os.path.join(HERE, rel)
        if not os.path.exists(path):
            del observed["notebooks"][rel]
            continue
        meta = load_notebook(path)["metadata"]["mle"]
        entry.update({"date": meta["date"], "competition": meta["competition"], "exercises": meta.get("exercises"),
                      "change": meta.get("change", ""), "expected": meta.get("expected")})


def write_readme(observed):
    refresh_metadata(observed)
    with open(README) as handle:
        text = handle.read()
    stamp = f"_Filled by `python3 datasets/notebooks/validate.py --readme` from notebooks/observed.json (run of {observed['generated_at']})._\n\n"
    versions = {}
    for entry in observed["notebooks"].values():
        versions.update((entry.get("contemporary") or {}).get("versions") or {})
    if versions:
        stamp += "Contemporary environment (Python 3.12): " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) + ".\n\n"
    text = replace_block(text, "competition-table", competitions_table())
    text = replace_block(text, "notebook-table", stamp + readme_table(observed))
    with open(README, "w") as handle:
        handle.write(text)


# ---------------------------------------------------------------------------------------------


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "_execute":
        parser = argparse.ArgumentParser()
        for flag in ("--notebook", "--env", "--cwd", "--executed", "--result"):
            parser.add_argument(flag, required=True)
        parser.add_argument("--budget", type=float, required=True)
        execute_here(parser.parse_args(sys.argv[2:]))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run notebooks whose path contains this (repeatable)")
    parser.add_argument("--side", choices=("dated", "contemporary", "both"), default="both")
    parser.add_argument("--write-outputs", action="store_true", help="store dated outputs and reported_score in the notebooks")
    parser.add_argument("--readme", action="store_true", help="rewrite the README table from observed.json")
    parser.add_argument("--readme-only", action="store_true", help="only rewrite the README table")
    parser.add_argument("--no-check", action="store_true")
    args = parser.parse_args()

    observed = {"notebooks": {}}
    if os.path.exists(OBSERVED):
        with open(OBSERVED) as handle:
            observed = json.load(handle)
    if args.readme_only:
        write_readme(observed)
        return 0

    paths = notebook_paths(args.only)
    slugs = sorted({load_notebook(p)["metadata"]["mle"]["competition"] for p in paths})
    ensure_inputs(slugs)
    cache = {}
    mismatches = []
    started_all = time.time()
    sides = ["dated", "contemporary"] if args.side == "both" else [args.side]
    for path in paths:
        rel = os.path.relpath(path, HERE)
        notebook = load_notebook(path)
        meta = notebook["metadata"]["mle"]
        slug = meta["competition"]
        budget = competition(slug).get("runtime_budget_seconds", 600)
        distributions = distributions_for(notebook)
        entry = observed["notebooks"].get(rel, {})
        entry.update({"date": meta["date"], "competition": slug, "author": meta.get("author"),
                      "exercises": meta.get("exercises"), "change": meta.get("change", ""),
                      "expected": meta.get("expected"), "distributions": distributions,
                      "runtime_budget_seconds": budget})
        reported = meta.get("reported_score")
        for side in sides:
            python_minor = python_for_date(meta["date"]) if side == "dated" else CONTEMPORARY_PYTHON
            exclude_newer = meta["date"] if side == "dated" else None
            record = {"python": python_minor, "exclude_newer": exclude_newer}
            print(f"{rel} [{side}, Python {python_minor}]", file=sys.stderr, flush=True)
            try:
                env_path, pins = environment(python_minor, distributions, exclude_newer, cache)
            except EnvironmentFailure as error:
                record.update(status="env-failed", detail=str(error))
                entry[side] = record
                print(f"  env-failed: {error}", file=sys.stderr)
                continue
            record["environment"] = os.path.basename(env_path)
            record["versions"] = versions_of(pins, distributions)
            result, executed, submission, scratch = execute(path, env_path, slug, budget)
            record.update(outcome(result, slug, submission, reported if side == "contemporary" or reported is not None else None, budget))
            if side == "dated" and reported is None and record.get("score") is not None:
                reported = record["score"]
            if side == "dated" and args.write_outputs and result["status"] == "ok":
                save_outputs(path, notebook, executed, record.get("score"), env_path)
                notebook = load_notebook(path)
            shutil.rmtree(scratch, ignore_errors=True)
            entry[side] = record
            summary = record["status"] + (f" {record.get('ename')}" if record.get("ename") else "")
            score = f" score={record['score']:.5g}" if record.get("score") is not None else ""
            print(f"  {summary}{score} runtime={record.get('runtime_seconds')}s", file=sys.stderr, flush=True)
        entry["reported_score"] = reported
        observed["notebooks"][rel] = entry
        expected = meta.get("expected", {})
        for side in sides:
            if expected.get(side) and entry.get(side, {}).get("status") != expected[side]:
                mismatches.append(f"{rel}: {side} expected {expected[side]}, observed {entry[side]['status']}")
        observed["generated_at"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        observed["command"] = "python3 datasets/notebooks/validate.py"
        observed["tolerance"] = TOLERANCE
        with open(OBSERVED, "w") as handle:
            json.dump(observed, handle, indent=1, sort_keys=True)
            handle.write("\n")
    print(f"validated {len(paths)} notebooks in {time.time() - started_all:.0f}s", file=sys.stderr)
    if args.readme:
        write_readme(observed)
    for line in mismatches:
        print("MISMATCH " + line, file=sys.stderr)
    return 1 if mismatches and not args.no_check else 0


if __name__ == "__main__":
    sys.exit(main())
