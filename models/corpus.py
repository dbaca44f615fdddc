"""Read and check the labeled corpus (JSON Lines files in models/data/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
MESSAGE_GLOB = "messages_*.jsonl"
REQUIRED = {"id": str, "channel": str, "text": str, "call": bool, "ambiguity": int, "emotion": int}


class CorpusError(ValueError):
    """A corpus line is malformed; the message names the file, line and field."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one labeled file, checking every line (family defaults to the id)."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path}:{n}: each line must be a JSON object")
            for field, kind in REQUIRED.items():
                if not isinstance(row.get(field), kind) or (kind is int and isinstance(row.get(field), bool)):
                    raise CorpusError(f"{path}:{n}: field {field!r} must be {kind.__name__}")
            if row["channel"] not in ("chat", "email"):
                raise CorpusError(f"{path}:{n}: channel must be 'chat' or 'email'")
            if row["ambiguity"] not in (0, 1, 2) or row["emotion"] not in (0, 1, 2):
                raise CorpusError(f"{path}:{n}: ambiguity and emotion must be 0, 1 or 2")
            row.setdefault("family", row["id"])
            row["source"] = path.stem
            rows.append(row)
    return rows


def load_messages(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """All labeled messages, in a stable order (file name, then line)."""
    files = sorted(Path(data_dir).glob(MESSAGE_GLOB))
    if not files:
        raise CorpusError(f"no {MESSAGE_GLOB} files in {data_dir}")
    rows = [row for f in files for row in read_jsonl(f)]
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise CorpusError(f"duplicate ids: {dup}")
    return rows


REAL_FILE = "real/real_sentences.jsonl"
SPLITS = ("train", "test")


def load_real(data_dir: Path = DATA_DIR) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Hand-labeled real sentences (KeiCO, Tanaka): (train, frozen test); empty lists when absent.

    The test split is frozen: it was drawn once by family and no training step, threshold or
    tuning reads it (only the card's figures do).
    """
    path = Path(data_dir) / REAL_FILE
    if not path.is_file():
        return [], []
    rows = read_jsonl(path)
    for n, row in enumerate(rows, 1):
        if row.get("split") not in SPLITS:
            raise CorpusError(f"{path}:{n}: split must be one of {', '.join(SPLITS)}")
    return [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "test"]
