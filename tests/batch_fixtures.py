"""Archives for the batch tests, made from the corpus texts: ``from batch_fixtures import archive``."""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "models" / "data").glob("messages_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def archive(path: Path, messages: int, seed: int = 7, broken_every: int = 0) -> Path:
    """JSONL of corpus messages in threads of 1–6, with a broken line every ``broken_every``."""
    rng = random.Random(seed)
    texts = corpus_texts()
    with path.open("w", encoding="utf-8") as fh:
        thread, left = 0, 0
        for i in range(messages):
            if left == 0:
                thread, left = thread + 1, rng.randint(1, 6)
            left -= 1
            if broken_every and i % broken_every == broken_every - 1:
                fh.write('{"id": "broken", "text": \n')
                continue
            row = {
                "id": f"m{i}",
                "thread": f"t{thread}",
                "author": rng.choice(["田中", "佐藤"]),
                "time": 1795136400 + i * 60,
                "text": rng.choice(texts),
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
