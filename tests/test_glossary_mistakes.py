"""Glossary mistakes are refused with file, line and what to write instead, never ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.glossary import GlossaryError, load_glossaries

MISTAKES = [
    (
        "csv_bare_variants_column.csv",
        "en,es,variants\nKyiv,Kiev,Kiev\n",
        1,
        "column 'variants' needs the language of its forms: write 'variants:en'",
    ),
    (
        "csv_unknown_column.csv",
        "en,spanish\nBrussels,Bruselas\n",
        1,
        "unknown column 'spanish': expected a language code",
    ),
    (
        "csv_duplicate_column.csv",
        "en,es,ES\nBrussels,Bruselas,Bruxelas\n",
        1,
        "column 'es' appears twice",
    ),
    (
        "csv_bad_gender.csv",
        "en,es,gender\nNATO,OTAN,feminine\n",
        2,
        "gender must be m or f, not 'feminine'",
    ),
    (
        "yaml_gender_key_not_a_language.yml",
        "terms:\n  - en: NATO\n    es: OTAN\n    gender:\n      español: f\n",
        5,
        "unknown key 'español' in gender: expected gender: {es: f}, or gender: f",
    ),
    (
        "yaml_gender_value.yml",
        "terms:\n  - en: NATO\n    es: OTAN\n    gender: {es: feminine}\n",
        4,
        "gender must be m or f, not 'feminine'",
    ),
    (
        "yaml_gender_list.yml",
        "terms:\n  - en: NATO\n    gender: [f]\n",
        3,
        "gender must be m, f or a mapping such as {es: f}",
    ),
    (
        "csv_bad_number.csv",
        "en,es,number\nUnited States,Estados Unidos,pl\n",
        2,
        "number must be singular or plural, not 'pl'",
    ),
    (
        "yaml_number_key_not_a_language.yml",
        "terms:\n  - en: United States\n    number:\n      español: plural\n",
        4,
        "unknown key 'español' in number: expected number: {es: plural}, or number: plural",
    ),
    (
        "yaml_number_twice_for_a_language.yml",
        "terms:\n  - en: United States\n    number: {es: plural, ES: singular}\n",
        3,
        "two values of number for 'es': keep one",
    ),
    (
        "yaml_number_list.yml",
        "terms:\n  - en: United States\n    number: [plural]\n",
        3,
        "number must be singular, plural or a mapping such as {es: plural}",
    ),
    (
        "yaml_variants_key_not_a_language.yml",
        "terms:\n  - en: Kyiv\n    variants:\n      english: [Kiev]\n",
        4,
        "unknown key 'english' in variants: expected variants: {en: [Kiev]}",
    ),
    (
        "yaml_language_typo.yml",  # a code's shape, but no language's: "es" was meant
        "terms:\n  - en: United States\n    sp: EE. UU.\n",
        3,
        "unknown key 'sp' (no language has the code 'sp'): expected a language code",
    ),
    (
        "yaml_language_three_letters.yml",  # Apertium's code for Spanish
        "terms:\n  - en: NATO\n    spa: OTAN\n",
        3,
        "unknown key 'spa' (the code for that language is 'es')",
    ),
    (
        "yaml_language_withdrawn.yml",
        "terms:\n  - en: Israel\n    iw: ישראל\n",
        3,
        "unknown key 'iw' (the code for that language is 'he')",
    ),
    (
        "yaml_language_bibliographic.yml",  # ISO 639-2/B, made from the English name
        "terms:\n  - en: Acme Corp\n    ger: Acme AG\n",
        3,
        "unknown key 'ger' (the code for that language is 'de')",
    ),
    (
        "yaml_language_none.yml",
        "terms:\n  - en: Acme Corp\n    esp: Acme SA\n",
        3,
        "unknown key 'esp' (no language has the code 'esp')",
    ),
    (
        "csv_language_typo.csv",
        "en,sp\nNATO,OTAN\n",
        1,
        "(no language has the code 'sp')",
    ),
    (
        "yaml_variants_as_list.yml",
        "terms:\n  - en: Kyiv\n    variants: [Kiev]\n",
        3,
        "variants must map language codes to lists of forms: variants: {en: [Kiev]}",
    ),
    (
        "yaml_variants_empty_form.yml",
        "terms:\n  - en: Kyiv\n    variants:\n      en: ['']\n",
        4,
        "variants of en must be a list of non-empty forms",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "words"), MISTAKES, ids=[m[0].split(".")[0] for m in MISTAKES]
)
def test_a_mistake_is_named_with_its_line_and_a_fix(
    tmp_path: Path, name: str, text: str, line: int, words: str
) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossaries([path])
    assert str(caught.value).startswith(f"{path}:{line}: "), caught.value
    assert words in caught.value.problem


def test_a_run_with_a_mistaken_glossary_stops_before_translating(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    glossary = tmp_path / "news.csv"
    glossary.write_text("en,es,variants\nKyiv,Kiev,Kiev\n", "utf-8")
    out = tmp_path / "out"
    args = [str(seed_dir), str(out), "--to", "es", "--glossary", str(glossary)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert f"{glossary}:1: column 'variants' needs the language" in result.output
    assert not (out / "es").exists()
