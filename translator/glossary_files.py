"""Glossary files: YAML, TBX and CSV read into terms, every problem named with its line.

Only a run given a glossary reads one, so only then are the YAML and XML parsers loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from translator.glossary import GRAMMAR, OPTION_KEYS, TERM_TYPES, GlossaryError, Term
from translator.languages import (
    LANGUAGE_CODE,
    base_language,
    code_for,
    is_language,
    normalise_language,
)


def load_file(path: Path) -> list[Term]:
    """The terms of one glossary file, by its extension."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(path, None, f"cannot read glossary: {error.strerror}") from error
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return parse_yaml(_decode(path, data), path)
    if suffix in (".tbx", ".xml"):
        return parse_tbx(data, path)
    if suffix == ".csv":
        return parse_csv(_decode(path, data), path)
    raise GlossaryError(path, None, f"unknown glossary format {suffix!r} (use .yml, .tbx or .csv)")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryError(path, line, "not valid UTF-8") from error


def _build(fields: Mapping[str, Any], path: Path, line: int) -> Term:
    """A Term from already typed fields; validates what every format shares.

    Language codes are normalised here (see `normalise_language`), whichever format
    they came from, so that "pt-BR" in a glossary serves `--to pt-BR`.
    """

    def fail(problem: str) -> GlossaryError:
        return GlossaryError(path, line, problem)

    forms: dict[str, str] = {}
    for key, form in fields.items():
        if key in OPTION_KEYS:
            continue
        language = _language(key, path, line)
        if language in forms:
            raise fail(f"two forms for {language!r}: keep one of the keys")
        if not isinstance(form, str) or not form.strip():
            raise fail(f"the {key} form must be non-empty text")
        forms[language] = form.strip()
    if not forms:
        raise fail("term has no form in any language")
    term_type = fields.get("type")
    if term_type is not None and term_type not in TERM_TYPES:
        raise fail(f"type must be one of {', '.join(TERM_TYPES)}, not {term_type!r}")
    for name in GRAMMAR:  # as each format gives them: per language code, or "*"
        for value in (fields.get(name) or {}).values():
            _grammar_value(name, value, path, line)
    variants = {
        _language(key, path, line, "variants"): tuple(values)
        for key, values in (fields.get("variants") or {}).items()
    }
    return Term(
        forms=forms,
        variants=variants,
        type=term_type,
        note=fields.get("note") or "",
        case_sensitive=fields.get("case_sensitive", True),
        whole_word=fields.get("whole_word", True),
        gender=fields.get("gender") or {},
        number=fields.get("number") or {},
        origin=f"{path}:{line}",
    )


def _language(key: str, path: Path, line: int, option: str | None = None) -> str:
    """`key` as a normalised language code; a GlossaryError saying what to write if it is none.

    `option` names the mapping the key is in (gender, variants), None for a term's forms.
    """
    code = normalise_language(key)
    if is_language(code):
        return code
    if option in GRAMMAR:
        value = _EXAMPLE[option]
        hint = f"{option}: {{es: {value}}}, or {option}: {value} for the forms of every language"
    elif option == "variants":
        hint = "variants: {en: [Kiev]}"
    else:
        hint = f"a language code (en, es, pt-BR) or one of {', '.join(OPTION_KEYS)}"
    where = (f" in {option}" if option else "") + _not_a_code(code)
    raise GlossaryError(path, line, f"unknown key {key!r}{where}: expected {hint}")


def _not_a_code(code: str) -> str:
    """Why a code-shaped key is none of ours (another code for a language, or none);
    nothing for a key of another shape."""
    if not LANGUAGE_CODE.match(code):
        return ""
    if ours := code_for(code):
        return f" (the code for that language is {ours!r})"
    return f" (no language has the code {base_language(code)!r})"


# YAML: walk the composed node tree, not the loaded data, so every problem has a line.


def parse_yaml(text: str, path: Path) -> list[Term]:
    """Terms of a YAML glossary: a top-level `terms:` list of {lang: form, options...}."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise GlossaryError(
            path, mark.line + 1 if mark else None, f"invalid YAML: {problem}"
        ) from error
    if root is None:
        raise GlossaryError(path, 1, "empty glossary: expected a top-level 'terms:' list")
    terms_node = _mapping_get(root, "terms", path)
    if terms_node is None:
        raise GlossaryError(path, _line(root), "missing the top-level 'terms:' list")
    if not isinstance(terms_node, yaml.SequenceNode):
        raise GlossaryError(path, _line(terms_node), "'terms' must be a list of entries")
    return [_yaml_term(entry, path) for entry in terms_node.value]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _mapping_get(node: yaml.Node, key: str, path: Path) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        raise GlossaryError(path, _line(node), "expected a mapping with a 'terms:' list")
    for key_node, value_node in node.value:
        if key_node.value == key:
            return value_node  # type: ignore[no-any-return]
    return None


def _yaml_term(entry: yaml.Node, path: Path) -> Term:
    line = _line(entry)
    if not isinstance(entry, yaml.MappingNode):
        raise GlossaryError(path, line, "each term must be a mapping of language codes to forms")
    fields: dict[str, Any] = {}
    for key_node, value_node in entry.value:
        at = _line(key_node)
        # Validated here, not in _build, so that a wrong key is named with its own line.
        key = str(key_node.value)
        key = key if key in OPTION_KEYS else _language(key, path, at)
        if key in fields:
            raise GlossaryError(path, at, f"{key_node.value!r}: a second {key!r} in this term")
        if key in ("case_sensitive", "whole_word"):
            fields[key] = _yaml_bool(value_node, key, path)
        elif key == "variants":
            fields[key] = _yaml_variants(value_node, path)
        elif key in GRAMMAR:
            fields[key] = _yaml_grammar(key, value_node, path)
        elif isinstance(value_node, yaml.ScalarNode):
            fields[key] = value_node.value  # the text as written: "NO" stays "NO", not False
        else:
            raise GlossaryError(path, at, f"{key!r} must be a single text value")
    return _build(fields, path, line)


def _yaml_bool(node: yaml.Node, key: str, path: Path) -> bool:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    raise GlossaryError(path, _line(node), f"{key} must be true or false")


def _yaml_variants(node: yaml.Node, path: Path) -> dict[str, list[str]]:
    if not isinstance(node, yaml.MappingNode):
        problem = "variants must map language codes to lists of forms: variants: {en: [Kiev]}"
        raise GlossaryError(path, _line(node), problem)
    variants: dict[str, list[str]] = {}
    for key_node, value_node in node.value:
        language = _language(str(key_node.value), path, _line(key_node), "variants")
        if isinstance(value_node, yaml.ScalarNode) and value_node.value.strip():
            variants[language] = [value_node.value]
        elif (
            isinstance(value_node, yaml.SequenceNode)
            and value_node.value
            and all(isinstance(v, yaml.ScalarNode) and v.value.strip() for v in value_node.value)
        ):
            variants[language] = [v.value for v in value_node.value]
        else:
            problem = f"variants of {key_node.value} must be a list of non-empty forms"
            raise GlossaryError(path, _line(value_node), f"{problem}: variants: {{en: [Kiev]}}")
    return variants


# A value of each grammar key, for messages.
_EXAMPLE = {"gender": "f", "number": "plural"}


def _yaml_grammar(key: str, node: yaml.Node, path: Path) -> dict[str, str]:
    """`gender: f` (the forms of every language) or `gender: {es: f, fr: m}`; the same
    for `number`."""
    if isinstance(node, yaml.ScalarNode):
        return {"*": _grammar_value(key, node.value, path, _line(node))}
    if not isinstance(node, yaml.MappingNode):
        expected = f"{', '.join(GRAMMAR[key])} or a mapping such as {{es: {_EXAMPLE[key]}}}"
        raise GlossaryError(path, _line(node), f"{key} must be {expected}")
    values: dict[str, str] = {}
    for language_node, value_node in node.value:
        at = _line(language_node)
        language = _language(str(language_node.value), path, at, key)
        if language in values:
            raise GlossaryError(path, at, f"two values of {key} for {language!r}: keep one")
        if not isinstance(value_node, yaml.ScalarNode):
            raise GlossaryError(
                path, at, f"{key} of {language} must be {' or '.join(GRAMMAR[key])}"
            )
        values[language] = _grammar_value(key, value_node.value, path, _line(value_node))
    return values


def _grammar_value(key: str, value: str, path: Path, line: int) -> str:
    """A value of `gender` or `number` as written, checked."""
    if value not in GRAMMAR[key]:
        raise GlossaryError(path, line, f"{key} must be {' or '.join(GRAMMAR[key])}, not {value!r}")
    return value


# TBX (ISO 30042): termEntry/langSet/tig/term (TBX 2) or conceptEntry/langSec/termSec/term.


def parse_tbx(data: bytes, path: Path) -> list[Term]:
    """Terms of a TBX file; the first term of a language is its form, later ones variants."""
    from lxml import etree  # only TBX glossaries need an XML parser

    # No entities, no DTD, no network: a glossary must not read other files or URLs.
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise GlossaryError(path, error.lineno, f"invalid XML: {error.msg}") from error
    entries = [e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")]
    if not entries:
        raise GlossaryError(path, root.sourceline, "no termEntry (or conceptEntry) elements")
    return [_tbx_term(entry, path) for entry in entries]


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _tbx_term(entry: Any, path: Path) -> Term:
    forms: dict[str, Any] = {}
    variants: dict[str, list[str]] = {}
    notes: list[str] = []
    fields: dict[str, Any] = {}
    for element in entry.iter():
        name = _local(element)
        if name in ("langSet", "langSec"):
            language = element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get(
                "lang"
            )
            if not language:
                raise GlossaryError(path, element.sourceline, f"<{name}> without xml:lang")
            terms = [t for t in element.iter() if _local(t) == "term" and _text(t)]
            if not terms:
                raise GlossaryError(path, element.sourceline, f"<{name}> {language} has no <term>")
            code = _language(language, path, element.sourceline or 0)
            if code in forms:
                raise GlossaryError(path, element.sourceline, f"two <{name}> for {language!r}")
            form, *others = terms
            forms[code] = _text(form)
            if others:
                variants[code] = [_text(other) for other in others]
            for key, value in _tbx_grammar(form):
                fields.setdefault(key, {})[code] = value
        elif name in ("note", "descrip") and element.get("type") in (None, "definition", "note"):
            notes.append(_text(element))
        elif name in ("termNote", "descrip") and element.get("type") in ("x-type", "termType"):
            value = _text(element)
            if value in TERM_TYPES:
                fields["type"] = value
    fields.update(forms)
    fields["variants"] = variants
    fields["note"] = " ".join(n for n in notes if n)
    return _build(fields, path, entry.sourceline or 0)


def _text(element: Any) -> str:
    """An element's text, its children's included, without the whitespace around it."""
    return "".join(element.itertext()).strip()


# TBX's grammatical notes (TBX 2's termNote types, TBX v3's DCT elements), and the
# values that pick a stand-in, as this tool names them. Others (neuter, otherGender,
# common, dual, mass) pick none; a CAT tool's own picklist values are left out too.
_TBX_GRAMMAR = {
    "grammaticalGender": ("gender", {"masculine": "m", "feminine": "f"}),
    "grammaticalNumber": ("number", {"singular": "singular", "plural": "plural"}),
}


def _tbx_grammar(term: Any) -> list[tuple[str, str]]:
    """(gender or number, value) of a term, from the notes of its own <tig>, <ntig> or
    <termSec>: not from those of its components (<termCompList>), nor its variants'."""
    container = term.getparent()
    while _local(container) not in ("tig", "ntig", "termSec", "langSet", "langSec"):
        container = container.getparent()
    found = []
    for note in _beside_components(container):
        kind = note.get("type") if _local(note) == "termNote" else _local(note)
        if kind in _TBX_GRAMMAR:
            key, values = _TBX_GRAMMAR[kind]
            if value := values.get(_text(note).lower()):
                found.append((key, value))
    return found


def _beside_components(element: Any) -> Iterator[Any]:
    """The elements inside `element`, but those of a <termCompList>."""
    for child in element:
        if _local(child) != "termCompList":
            yield child
            yield from _beside_components(child)


# CSV: a header row of language codes, plus optional columns type, note,
# case_sensitive, whole_word, gender, number, and "variants:LANG" (forms separated by "|").


def parse_csv(text: str, path: Path) -> list[Term]:
    """Terms of a CSV glossary, one row per term."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise GlossaryError(path, 1, "empty CSV: expected a header row of language codes") from None
    columns = [_csv_column(column, path) for column in header]
    for column in set(columns):
        if columns.count(column) > 1:
            raise GlossaryError(path, 1, f"column {column!r} appears twice: keep one")
    terms: list[Term] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise GlossaryError(path, line, f"{len(row)} cells but {len(columns)} columns")
        terms.append(_csv_term(dict(zip(columns, row, strict=False)), path, line))
    return terms


def _csv_column(column: str, path: Path) -> str:
    """A header cell: an option, "variants:LANG" or a language code, each normalised."""
    if column in OPTION_KEYS and column != "variants":
        return column
    if column == "variants" or column.startswith("variants:"):
        language = column.partition(":")[2]
        if not language:
            problem = "column 'variants' needs the language of its forms: write 'variants:en'"
            raise GlossaryError(path, 1, f"{problem} (forms separated by '|')")
        return "variants:" + _language(language, path, 1, "variants")
    code = normalise_language(column)
    if not is_language(code):
        options = ", ".join(key for key in OPTION_KEYS if key != "variants")
        expected = f"a language code (en, es, pt-BR), variants:LANG or one of {options}"
        why = _not_a_code(code)
        raise GlossaryError(path, 1, f"unknown column {column!r}{why}: expected {expected}")
    return code


def _csv_term(row: dict[str, str], path: Path, line: int) -> Term:
    fields: dict[str, Any] = {}
    variants: dict[str, list[str]] = {}
    for column, raw in row.items():
        cell = raw.strip()
        if not cell:
            continue
        if column.startswith("variants:"):
            variants[column.partition(":")[2]] = [v.strip() for v in cell.split("|") if v.strip()]
        elif column in ("case_sensitive", "whole_word"):
            if cell.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise GlossaryError(path, line, f"{column} must be true or false, not {cell!r}")
            fields[column] = cell.lower() in ("true", "yes", "1")
        elif column in GRAMMAR:
            fields[column] = {"*": cell}  # checked by _build, as every format's
        else:
            fields[column] = cell
    fields["variants"] = variants
    return _build(fields, path, line)
