"""Language detection with langdetect, made deterministic and fast.

langdetect draws random n-grams; unseeded, it changes its answer on a few
percent of inputs between runs. Its `Detector` reseeds its own random
generator from the factory's seed at every detection (`_detect_block`), so a
factory with a fixed seed gives the same answer for the same text whatever was
detected before. We build one factory per candidate set, holding only those
languages' profiles: detection then never answers a language outside the set,
the probabilities are already normalised over it, and the smaller profile
table makes each detection cheaper. Profiles are read from disk once.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.inline import strip_markers
from translator.languages import LANGUAGE_CODE, base_language, normalise_language
from translator.model import Document

# Languages our engines serve plus common news languages. Codes are ours
# (ISO 639-1; "zh" stands for langdetect's zh-cn and zh-tw profiles).
# (No Galician or Basque: langdetect has no profile for them.)
DEFAULT_CANDIDATES: frozenset[str] = frozenset(
    {
        *("en", "es", "fr", "de", "it", "pt", "ca", "ru", "uk", "pl", "nl", "cs", "sk"),
        *("ro", "sv", "da", "no", "fi", "el", "tr", "ar", "he", "fa", "zh", "ja", "ko", "hi"),
    }
)
MIN_LETTERS = 20  # below this langdetect guesses; the caller falls back instead
MAX_CHARS = 3000  # enough for a confident answer, keeps long articles fast
SEED = 0
UNDETERMINED = "und"

# langdetect profile names that are not our codes.
_PROFILE_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class Detection:
    """A language guess: code, probability (0-1), and how it was obtained."""

    language: str
    confidence: float
    method: str


def detect_language(text: str, candidates: Collection[str] = DEFAULT_CANDIDATES) -> Detection:
    """The language of `text` among `candidates`, or "und" when the text is too short.

    Candidates without a langdetect profile are ignored. The same text gives the
    same answer in any order of calls and in any process.
    """
    plain = strip_markers(text)
    if sum(c.isalpha() for c in plain) < MIN_LETTERS:
        return Detection(UNDETERMINED, 0.0, "too short")
    profiles = _profile_names(frozenset(candidates))
    if not profiles:
        return Detection(UNDETERMINED, 0.0, "no candidates")
    if len(profiles) == 1:
        return Detection(_code(profiles[0]), 1.0, "only candidate")
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory(profiles).create()
    detector.set_max_text_length(MAX_CHARS)
    detector.append(plain)
    try:
        detector.get_probabilities()
    except LangDetectException:
        return Detection(UNDETERMINED, 0.0, "no features")
    scores: dict[str, float] = {}
    for name, probability in zip(detector.langlist, detector.langprob, strict=True):
        scores[_code(name)] = scores.get(_code(name), 0.0) + probability
    # Sorted by score, then code, so ties resolve the same way everywhere.
    language, score = max(sorted(scores.items()), key=lambda item: item[1])
    total = sum(scores.values()) or 1.0
    return Detection(language, round(score / total, 4), "langdetect")


def detect_document(
    document: Document,
    candidates: Collection[str] = DEFAULT_CANDIDATES,
    forced: str | None = None,
) -> Detection:
    """The language of an article: `forced` (--from) if given, else detected among
    `candidates`, else, for a page too short to tell, the one its markup declares
    (`<html lang>`, a JSON `lang`). A language is given as the engines know it (see
    `source_code`)."""
    if forced:
        return Detection(source_code(forced, candidates), 1.0, "--from")
    detection = detect_language(document.article_text(), candidates)
    declared = normalise_language(document.declared_language or "")
    # A code only: <html lang="English"> names a language, but no engine by that name.
    if detection.language == UNDETERMINED and LANGUAGE_CODE.match(declared):
        return Detection(source_code(declared, candidates), 0.0, "declared")
    return detection


def source_code(code: str, candidates: Collection[str]) -> str:
    """A source language as the engines know it: English is English to them, so
    "en-gb" is "en" unless an engine translates from "en-gb" itself."""
    base = base_language(code)
    return base if code not in candidates and base in candidates else code


def _code(profile: str) -> str:
    return _PROFILE_ALIASES.get(profile, profile)


@functools.cache
def _available_profiles() -> dict[str, str]:
    """langdetect's profile files by name, read once per process."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    folder = Path(PROFILES_DIRECTORY)
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def _profile_names(candidates: frozenset[str]) -> tuple[str, ...]:
    available = _available_profiles()
    return tuple(sorted(name for name in available if _code(name) in candidates))


@functools.lru_cache(maxsize=16)
def _factory(profiles: tuple[str, ...]) -> Any:  # langdetect has no type hints
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    available = _available_profiles()
    factory.load_json_profile([available[name] for name in profiles])
    factory.set_seed(SEED)
    return factory


def profile_languages() -> list[str]:
    """Every language code detection can answer (DEFAULT_CANDIDATES are among them)."""
    return sorted({_code(name) for name in _available_profiles()})
