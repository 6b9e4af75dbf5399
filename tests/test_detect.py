"""Language detection on real news text: accuracy, determinism, candidates, fallbacks."""

# ruff: noqa: RUF001  (real news text: curly quotes, Cyrillic, CJK punctuation)

from __future__ import annotations

import pytest

from tests.conftest import CORPUS
from translator.detect import DEFAULT_CANDIDATES, Detection, detect_language, profile_languages

LANGUAGES = ["en", "es", "fr", "de", "ru"]
MIN_PARAGRAPH_CHARS = 200


def paragraphs(language: str) -> list[str]:
    """Consecutive corpus lines joined until each paragraph has 200+ characters."""
    result: list[str] = []
    current: list[str] = []
    for line in (CORPUS / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        current.append(line.strip())
        if len(" ".join(current)) >= MIN_PARAGRAPH_CHARS:
            result.append(" ".join(current))
            current = []
    return result


@pytest.mark.parametrize("language", LANGUAGES)
def test_accuracy_on_newstest_paragraphs(language: str) -> None:
    texts = paragraphs(language)[:300]  # 300 per language keeps the suite quick
    assert len(texts) >= 100
    answers = [detect_language(text).language for text in texts]
    accuracy = answers.count(language) / len(texts)
    wrong = [(a, t[:60]) for a, t in zip(answers, texts, strict=True) if a != language]
    print(f"{language}: {accuracy:.2%} of {len(texts)} paragraphs")
    assert accuracy >= 0.99, wrong[:5]


def test_same_answers_in_any_order() -> None:
    texts = [t for language in LANGUAGES for t in paragraphs(language)[:40]]
    # Short, ambiguous texts are where unseeded langdetect flips between runs.
    texts += [t[:40] for t in texts[::7]]
    forward = [detect_language(t) for t in texts]
    backward = [detect_language(t) for t in reversed(texts)][::-1]
    interleaved = {
        i: detect_language(texts[i]) for i in [*range(1, len(texts), 2), *range(0, len(texts), 2)]
    }
    assert forward == backward
    assert forward == [interleaved[i] for i in range(len(texts))]


def test_detection_records_method_and_confidence() -> None:
    detection = detect_language(paragraphs("fr")[0])
    assert detection.language == "fr"
    assert detection.method == "langdetect"
    assert 0.9 < detection.confidence <= 1.0


@pytest.mark.parametrize(
    "text", ["", "Share", "World News", "Related Articles — 2025", "12 345 678 !!!"]
)
def test_short_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == Detection("und", 0.0, "too short")


def test_answers_only_among_candidates() -> None:
    spanish = paragraphs("es")[0]
    assert detect_language(spanish).language == "es"
    assert detect_language(spanish, {"en", "fr", "de"}).language in {"en", "fr", "de"}
    assert detect_language(spanish, {"es", "xx-unknown"}).language == "es"
    assert detect_language(spanish, {"de"}) == Detection("de", 1.0, "only candidate")
    assert detect_language(spanish, set()) == Detection("und", 0.0, "no candidates")


def test_chinese_profiles_answer_zh() -> None:
    text = "中国军队周三宣布在台湾附近海域举行新的军事演习，以模拟封锁继续向台湾施压。"
    assert detect_language(text).language == "zh"


def test_inline_markers_are_ignored() -> None:
    text = paragraphs("de")[3]
    marked = "\ue000" + text.replace(" ", " \ue001", 5) + "\ue800"
    assert detect_language(marked) == detect_language(text)


def test_default_candidates_have_profiles() -> None:
    assert set(LANGUAGES) <= DEFAULT_CANDIDATES
    assert set(profile_languages()) >= DEFAULT_CANDIDATES
