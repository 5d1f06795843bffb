"""Benchmark P5: importing 100,000 past registrations with ``manage.py import_complaints``.

P5 builds a fresh SQLite database in a temporary directory (bench/server.py: ``build_env``,
``prepare_site``: ``migrate``, ``seed_demo``, ``collectstatic``), writes a CSV of
``--rows`` registrations over five past years shaped as a municipality exports them
(semicolons, UTF-8 with BOM, DD-MM-YYYY dates, Dutch outcome and channel labels, the demo
municipality's kinds and teams, a decision or closing date on most rows, a reference on
some), and times ``manage.py import_complaints FILE --municipality SLUG`` as a whole: start-up,
reading, checking every row, and writing the cases with their history in one transaction.
It prints the wall time, the rows per second and the result against the target: 100,000 rows
in at most 60 s.

The exit status is 0 whether or not the target is met, and non-zero if the setup or the
import fails (or imports another number of cases than the file has).

Usage, from the repository root::

    .venv/bin/python -m bench.p5_import [--rows 100000] [--seed 5] [--keep]
"""

import argparse
import csv
import datetime
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import REPO_ROOT, BenchError, build_env, manage, prepare_site

TARGET_SECONDS = 60
DEFAULT_ROWS = 100_000
YEARS = 5
FIRST_YEAR = datetime.date.today().year - YEARS
# Labels as a municipality's own registration has them, with roughly Heerlen's 2021 shares.
OUTCOMES = {
    "Informeel afgehandeld": 75,
    "Ongegrond": 7,
    "Gegrond": 3,
    "Deels gegrond": 2,
    "Geen oordeel": 1,
    "Niet in behandeling genomen": 5,
    "Ingetrokken": 4,
    "Doorverwezen": 2,
    "": 1,  # still open
}
DECISIONS = {"Ongegrond", "Gegrond", "Deels gegrond", "Geen oordeel"}
CHANNELS = ["Webformulier", "E-mail", "Telefoon", "Brief", "Balie", "Ombudsman", "Intern"]
REFERENCE_SHARE = 0.1  # rows that bring their own reference (a block at the start of each year)
# The old system's numbers start high, clear of the demo's cases of the last two years.
FIRST_GIVEN_NUMBER = 500_000


def classifications(env):
    """The demo municipality's slug, its kinds (and the shared ones) and its teams as "Domain > Team"."""
    output = manage(
        env, "dumpdata", "klachtformulieren.municipality", "klachtformulieren.complaintkind",
        "klachtformulieren.organisationunit",
    )  # fmt: skip
    rows = {}
    for item in json.loads(output):
        rows.setdefault(item["model"].split(".")[1], []).append({"pk": item["pk"], **item["fields"]})
    municipality = min(rows["municipality"], key=lambda row: row["pk"])
    kinds = sorted(kind["name"] for kind in rows["complaintkind"] if kind["municipality"] in (municipality["pk"], None))
    units = {unit["pk"]: unit for unit in rows["organisationunit"] if unit["municipality"] == municipality["pk"]}
    teams = [f"{units[unit['parent']]['name']} > {unit['name']}" for unit in units.values() if unit["level"] == "team"]
    if not kinds or not teams:
        raise BenchError("seed_demo made no kinds or teams to import into.")
    return {"municipality": municipality["slug"], "kinds": kinds, "units": teams}


def write_csv(path, rows, seed, kinds, units):
    """``rows`` registrations over the last five full years; returns the number written."""
    rng = random.Random(seed)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)  # no date may lie in the future
    outcomes, weights = list(OUTCOMES), list(OUTCOMES.values())
    days = (datetime.date(FIRST_YEAR + YEARS, 1, 1) - datetime.date(FIRST_YEAR, 1, 1)).days
    received = sorted(
        datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(days)) for _ in range(rows)
    )
    per_year = {}
    for day in received:
        per_year[day.year] = per_year.get(day.year, 0) + 1
    given_references = {year: int(count * REFERENCE_SHARE) for year, count in per_year.items()}
    numbers = dict.fromkeys(per_year, FIRST_GIVEN_NUMBER)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            ["received_on", "kind", "unit", "channel", "outcome", "reference", "decided_on", "closed_on",
             "postponed", "apology", "description"]
        )  # fmt: skip
        for day in received:
            outcome = rng.choices(outcomes, weights)[0]
            settled = min(day + datetime.timedelta(days=rng.randint(1, 40)), yesterday)
            decided_on = closed_on = ""
            if outcome in DECISIONS:
                decided_on = settled.strftime("%d-%m-%Y")
                if rng.random() < 0.9:
                    closed_on = min(settled + datetime.timedelta(days=rng.randint(1, 20)), yesterday)
                    closed_on = closed_on.strftime("%d-%m-%Y")
            elif outcome:
                closed_on = settled.strftime("%d-%m-%Y")
            reference = ""
            if numbers[day.year] < FIRST_GIVEN_NUMBER + given_references[day.year]:
                numbers[day.year] += 1
                reference = f"{day.year}-{numbers[day.year]:06d}"
            writer.writerow(
                [
                    day.strftime("%d-%m-%Y"),
                    rng.choice(kinds),
                    rng.choice(units),
                    rng.choice(CHANNELS),
                    outcome,
                    reference,
                    decided_on,
                    closed_on,
                    "ja" if outcome in DECISIONS and rng.random() < 0.1 else "nee",
                    "ja" if outcome == "Informeel afgehandeld" and rng.random() < 0.1 else "",
                    "Klacht uit het oude registratiesysteem." if rng.random() < 0.5 else "",
                ]
            )
    return rows


def run_import(env, path, municipality):
    command = [sys.executable, "manage.py", "import_complaints", str(path), "--municipality", municipality]
    print(f"$ manage.py import_complaints {path.name} --municipality {municipality}", flush=True)
    started = time.perf_counter()
    # stderr (the progress bar) goes to the terminal as it happens.
    result = subprocess.run(command, check=False, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise BenchError(f"import_complaints failed:\n{result.stdout}")
    print(result.stdout.strip())
    return elapsed, result.stdout


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the temporary directory behind")
    options = parser.parse_args(argv)
    tmp_dir = Path(tempfile.mkdtemp(prefix="klachtenportaal-p5-"))
    try:
        env = build_env(tmp_dir)
        prepare_site(env)
        found = classifications(env)
        path = tmp_dir / "klachten.csv"
        rows = write_csv(path, options.rows, options.seed, found["kinds"], found["units"])
        print(f"Wrote {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) to {path.name}.", flush=True)
        elapsed, output = run_import(env, path, found["municipality"])
        imported = re.search(r"Imported ([\d,]+) cases", output)
        if not imported or int(imported[1].replace(",", "")) != rows:
            raise BenchError(f"expected {rows:,} imported cases, the command said:\n{output}")
    except BenchError as error:
        print(f"P5 failed: {error}", file=sys.stderr)
        return 1
    finally:
        if options.keep:
            print(f"Kept {tmp_dir}")
        else:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    if rows == DEFAULT_ROWS:
        verdict = "met" if elapsed <= TARGET_SECONDS else "NOT met"
    else:
        verdict = f"not judged, the target is for {DEFAULT_ROWS:,} rows"
    print(
        f"P5 import of {rows:,} rows: {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s "
        f"(target: {DEFAULT_ROWS:,} rows in at most {TARGET_SECONDS} s): {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
