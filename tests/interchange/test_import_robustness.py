"""Files from another software are often damaged: whatever the damage, `parcours import` either imports
or refuses naming the file, never crashes, and a refusal writes nothing (a seeded fuzz of each file)."""

import random
import re
import shutil

import pytest

from parcours.interchange.reader import FILES
from parcours.participants.models import Participant
from parcours.pathways.models import Appointment, Pathway, Step
from tests.interchange.helpers import run
from tests.reporting.dataset import write_dataset

NOISE = [",", '"', "\r\n", "9", "-", "é", "\x00", " ", "2099-01-01", "0000-00-00", "Ω", ""]


def damaged(text: str, rng: random.Random):
    """(name, damaged text) pairs: structural damage first, then random edits."""
    lines = [line for line in text.split("\r\n") if line]
    row = lines[1]
    yield "byte order mark", "\ufeff" + text
    yield "LF line ends", text.replace("\r\n", "\n")
    yield "CR line ends", text.replace("\r\n", "\r")
    yield "empty file", ""
    yield "header only", lines[0] + "\r\n"
    yield "repeated column", lines[0] + "," + lines[0].split(",")[0] + "\r\n" + "\r\n".join(lines[1:])
    yield "truncated row", "\r\n".join([lines[0], row[: len(row) // 2], *lines[2:]])
    yield "extra cell", "\r\n".join([lines[0], row + ",x", *lines[2:]])
    yield "unclosed quote", "\r\n".join([lines[0], '"' + row, *lines[2:]])
    yield "quoted line break", "\r\n".join([lines[0], row.replace(",", ',"a\r\nb",', 1), *lines[2:]])
    yield "NUL bytes", text.replace(",", ",\x00", 3)
    yield "two megabyte cell", text + "x" * 2_000_000
    yield "blank lines", text.replace("\r\n", "\r\n\r\n")
    yield "spaces in header", lines[0].replace(",", " , ") + "\r\n" + "\r\n".join(lines[1:])
    yield "upper-case header", lines[0].upper() + "\r\n" + "\r\n".join(lines[1:])
    for n in range(15):
        chars = list(text)
        for _ in range(rng.randint(1, 8)):
            chars[rng.randrange(len(chars))] = rng.choice(NOISE)
        yield f"random edit {n}", "".join(chars)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Participant, Pathway, Step, Appointment))


@pytest.mark.parametrize("file", ["participants.csv", "pathways.csv", "steps.csv", "appointments.csv"])
def test_a_damaged_file_is_imported_or_refused_whole_never_a_crash(tmp_path, territory, file):
    assert file in FILES
    rng = random.Random(file)  # seeded: the same damage on every run
    base = write_dataset(tmp_path / "base")
    text = (base / file).read_bytes().decode("utf-8")
    variants = [(name, value.encode("utf-8")) for name, value in damaged(text, rng)]
    variants.append(("latin-1 encoding", text.replace("Martin", "Mérieux").encode("latin-1", "replace")))
    problems = []
    for name, content in variants:
        folder = tmp_path / name.replace(" ", "-")
        shutil.copytree(base, folder)
        (folder / file).write_bytes(content)
        before = counts()
        try:
            code, _, err = run("import", str(folder))
        except Exception as exc:  # noqa: BLE001 — the point is to catch any crash
            problems.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            continue
        if code != 0:
            if counts() != before:
                problems.append(f"{name}: refused but rows were written")
            if not re.search(r"^\w+\.csv:(\d+:)? ", err, re.MULTILINE):
                problems.append(f"{name}: the refusal names no file: {err[:200]!r}")
    assert not problems, "\n".join(problems)
