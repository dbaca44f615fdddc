"""The cue dictionaries themselves: well-formed, every kind covered, every example true.

Each entry's ``examples`` are its VALID table (the kind must fire) and its ``counterexamples`` the
INVALID table (the kind must not fire). Expectations were made with unidic-lite 1.0.8.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from hisho_tone.lexicon import CATEGORIES, LexiconError, data_dir, load_lexicon, make_entry

LEX = load_lexicon()
VALID = [(e.kind, e.id, ex) for e in LEX.entries for ex in e.examples]
INVALID = [(e.kind, e.id, ex) for e in LEX.entries for ex in e.counterexamples]

# Kinds the issue requires, by category.
REQUIRED_KINDS = {
    "ambiguity": {
        "vague_referent",
        "vague_standard",
        "vague_time_amount",
        "ambiguous_assent",
        "indirect_refusal",
        "hedge",
        "hedged_criticism",
        "double_negative",
    },
    "emotion": {
        "negative_emotion",
        "blame_question",
        "repetition_complaint",
        "curt_reply",
        "intensifier",
        "emotive_punctuation",
        "heavy_apology",
    },
    "sensitivity": {
        "contract_end",
        "fee_change",
        "payment_trouble",
        "serious_mistake",
        "health_family",
        "interpersonal_conflict",
        "complaint_about_person",
    },
    "complexity": {"many_questions", "conflicting_instructions", "misalignment"},
}
# Kinds added for recall on the labeled call messages (issue 10).
RECALL_KINDS = {
    "ambiguity": {"talk_request"},
    "emotion": {"withdrawal", "reproach"},
    "sensitivity": {"bad_news"},
}


def _raw_entries():
    for category in CATEGORIES:
        data = tomllib.loads((data_dir() / f"cues_{category}.toml").read_text(encoding="utf-8"))
        for entry in data.get("cue", []):
            yield category, entry


def test_every_required_kind_exists_in_its_category():
    for category, kinds in [*REQUIRED_KINDS.items(), *RECALL_KINDS.items()]:
        present = {k.id for k in LEX.kinds.values() if k.category == category}
        assert kinds <= present, f"{category}: missing {kinds - present}"


def test_entry_ids_are_unique_and_entries_complete():
    ids = [entry["id"] for _, entry in _raw_entries()]
    assert len(ids) == len(set(ids))
    for _, entry in _raw_entries():
        assert entry["id"].startswith(entry["kind"].split("_")[0]), entry["id"]
        assert entry.get("description"), f"{entry['id']} needs a description"
        assert entry.get("examples"), f"{entry['id']} needs examples"


def test_every_kind_has_a_message_hint_and_an_entry_or_detector():
    kinds_with_entries = {e.kind for e in LEX.entries} | {"many_questions"}
    for kind in LEX.kinds.values():
        assert kind.message and kind.hint and kind.label, kind.id
        assert kind.id in kinds_with_entries, f"{kind.id} has no entry"


@pytest.mark.parametrize(("kind", "entry_id", "text"), VALID, ids=[f"{i}:{t}" for _, i, t in VALID])
def test_valid_examples_fire(cue_analyzer, kind, entry_id, text):
    kinds = {c.kind for c in cue_analyzer.inspect(text).cues}
    assert kind in kinds, f"{entry_id} should flag {text!r}; found {sorted(kinds)}"


@pytest.mark.parametrize(("kind", "entry_id", "text"), INVALID, ids=[f"{i}:{t}" for _, i, t in INVALID])
def test_invalid_examples_do_not_fire(cue_analyzer, kind, entry_id, text):
    analysis = cue_analyzer.inspect(text)
    hits = [analysis.norm.text[c.start : c.end] for c in analysis.cues if c.kind == kind]
    assert not hits, f"{entry_id} must not flag {text!r}; it flagged {hits}"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"kind": "nope", "patterns": ["x"]}, "unknown kind"),
        ({"kind": "hedge"}, "needs 'patterns' or 'regex'"),
        ({"kind": "hedge", "regex": ["("]}, "bad regular expression"),
        ({"kind": "hedge", "patterns": ["x? y"]}, "must not start with an optional item"),
        ({"kind": "hedge", "patterns": ["x"], "unless_specific": "always"}, "unless_specific"),
    ],
)
def test_malformed_entries_are_rejected_with_a_clear_message(raw, error):
    with pytest.raises(LexiconError, match=error):
        make_entry(raw, LEX.kinds, "test")


def test_every_shipped_regular_expression_compiles():
    """Shipped patterns are compiled on first use (LazyRegex): a bad one must fail here, not in a draft."""
    lex = load_lexicon()
    bad = []
    for entry in lex.entries:
        for regex in (*entry.regexes, *entry.allows, *entry.requires):
            try:
                re.compile(regex.pattern)
            except re.error as exc:
                bad.append((entry.id, regex.pattern, str(exc)))
    assert bad == []
