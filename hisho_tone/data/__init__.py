"""Cue lexicons, shared word lists and invitation templates (TOML), read by ``hisho_tone.lexicon``."""
