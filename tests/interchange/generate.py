"""A generated data set of N people with pathways, steps and appointments (benchmark and smoke test).

    python -m tests.interchange.generate DIR N
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from parcours.interchange.reader import column_names

REASONS = ["sustainable_employment", "qualifying_training", "other_positive", "abandonment", "moved", "retired",
           "reorientation", "other_without_outcome"]
STEP_TYPES = ["mobilisation", "employment_mediation", "training_qualifying", "iae_aci", "immersion"]


def generate_set(directory: Path, n: int, *, seed: int = 1, prefix: str = "G") -> dict[str, int]:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    writers, handles, counts = {}, [], {}
    for name in ("participants", "pathways", "steps", "appointments"):
        handle = open(directory / f"{name}.csv", "w", encoding="utf-8", newline="")
        handles.append(handle)
        writers[name] = csv.writer(handle, lineterminator="\r\n")
        writers[name].writerow(column_names(f"{name}.csv"))
        counts[name] = 0

    def write(name, row):
        writers[name].writerow(row)
        counts[name] += 1

    for i in range(n):
        ref = f"{prefix}P{i}"
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
        write("participants", [ref, f"Nom{i}", f"Prénom{i}", rng.choice("FM"), birth.isoformat(),
                               "63113", rng.choice(["", "croix-de-neyrat"]), rng.choice(["", "VI", "V", "IV"]),
                               *(rng.choice(["", "0", "1"]) for _ in range(7)), "", ""])
        application = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5))
        entry = application + timedelta(days=30)
        closed = rng.random() < 0.6
        exit_ = entry + timedelta(days=rng.randrange(30, 600)) if closed else None
        if exit_ and exit_ > date(2025, 6, 30):
            exit_ = date(2025, 6, 30)
        pathway = f"{prefix}W{i}"
        write("pathways", [pathway, ref, f"Opérateur {i % 7}", f"referent{i % 40}@example.org", "france_travail",
                           application.isoformat(), (application + timedelta(days=20)).isoformat(), "admitted",
                           entry.isoformat(), exit_.isoformat() if exit_ else "",
                           rng.choice(REASONS) if exit_ else ""])
        for j in range(2):
            start = entry + timedelta(days=10 * j)
            write("steps", [f"{prefix}S{i}-{j}", pathway, rng.choice(STEP_TYPES), start.isoformat(),
                            (start + timedelta(days=5)).isoformat(), "Organisme", "", "none", "0", "35"])
        for j in range(3):
            write("appointments", [f"{prefix}A{i}-{j}", pathway, (entry + timedelta(days=3 * j)).isoformat(),
                                   "individual", "in_person", "45", "Permanence"])
    for handle in handles:
        handle.close()
    return counts


if __name__ == "__main__":
    print(generate_set(Path(sys.argv[1]), int(sys.argv[2])))
