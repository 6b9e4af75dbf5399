"""Term survival and chrF with and without glossary protection, real Apertium, en->es.

Over the first 500 sentences of newstest2013 the glossary is derived from the data:
capitalised spans (names, places, acronyms) found verbatim in both the English source
and the Spanish human reference. Each sentence is translated by Apertium raw and with
the placeholder strategy; survival counts a term occurrence as survived only when its
form is in the final translation (flagged counts as lost), and chrF compares both
runs with the human reference. Run: `python -m bench terms` or `python -m bench.terms`.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import sacrebleu

from translator.glossary import Glossary, Term, protect, restore, verify

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "newstest2013"
SENTENCES = 500
# A run of capitalised words ("Brennan", "Supreme Court", "PSA"), possibly joined by hyphens.
_WORD = "[A-Z][\\w'\u2019-]*[A-Za-z0-9]"
SPAN = re.compile(f"(?<![\\w'\u2019-]){_WORD}(?:\\s+{_WORD})*")


def derive_glossary(sources: Sequence[str], references: Sequence[str]) -> Glossary:
    """Names and places: capitalised spans present verbatim in a source and its reference."""
    lowercase = Counter(w for s in sources for w in re.findall(r"\b[a-z][a-z]+\b", s))
    spans: set[str] = set()
    for source, reference in zip(sources, references, strict=True):
        for found in SPAN.finditer(source):
            span = _trim_common_start(found.group(), found.start(), lowercase)
            if span and len(span) > 1 and re.search(rf"(?<!\w){re.escape(span)}(?!\w)", reference):
                spans.add(span)
    return Glossary(tuple(Term({"en": span}) for span in sorted(spans)))


def _trim_common_start(span: str, start: int, lowercase: Counter[str]) -> str:
    """Drop a sentence-initial common word ("The", "However") from the front of a span."""
    words = span.split()
    if start == 0 and lowercase[words[0].lower()] > 0:
        words = words[1:]
    return " ".join(words)


def apertium(texts: Sequence[str]) -> list[str]:
    """Translate with real Apertium in one call; blank lines keep texts apart."""
    done = subprocess.run(
        ["apertium", "-u", "eng-spa"],
        input="\n\n".join(t.replace("\n", " ") for t in texts),
        capture_output=True,
        text=True,
        check=True,
    )
    outputs = done.stdout.rstrip("\n").split("\n\n")
    if len(outputs) != len(texts):
        raise RuntimeError(f"apertium returned {len(outputs)} texts for {len(texts)}")
    return [o.strip() for o in outputs]


def survival(glossary: Glossary, sources: Sequence[str], outputs: Sequence[str]) -> tuple[int, int]:
    """(term occurrences found in the output, term occurrences in the sources)."""
    kept = total = 0
    for source, output in zip(sources, outputs, strict=True):
        for finding in verify(glossary, source, output, "en", "es"):
            total += finding.count
            kept += finding.count if finding.ok else 0
    return kept, total


def run(limit: int = SENTENCES) -> dict[str, float | int]:
    sources = (CORPUS / "en.txt").read_text(encoding="utf-8").splitlines()[:limit]
    references = (CORPUS / "es.txt").read_text(encoding="utf-8").splitlines()[:limit]
    glossary = derive_glossary(sources, references)
    raw = apertium(sources)
    protected = [protect(glossary, s, "en", "es", "placeholder") for s in sources]
    restored = [
        restore(p, out)
        for p, out in zip(protected, apertium([p.text for p in protected]), strict=True)
    ]
    final = [r.text for r in restored]
    outcomes = Counter(o.status for r in restored for o in r.outcomes)
    raw_kept, total = survival(glossary, sources, raw)
    kept, _ = survival(glossary, sources, final)
    chrf_raw = sacrebleu.corpus_chrf(raw, [references]).score
    chrf_glossary = sacrebleu.corpus_chrf(final, [references]).score
    return {
        "sentences": len(sources),
        "glossary_terms": len(glossary.terms),
        "term_occurrences": total,
        "survival_raw": raw_kept / total,
        "survival_protected": kept / total,
        "kept": outcomes["kept"],
        "repaired": outcomes["repaired"],
        "flagged": outcomes["flagged"],
        "chrf_raw": chrf_raw,
        "chrf_glossary": chrf_glossary,
        "chrf_drop": chrf_raw - chrf_glossary,
    }


def main() -> None:
    figures = run()
    print(f"sentences: {figures['sentences']}, glossary terms: {figures['glossary_terms']}, "
          f"term occurrences: {figures['term_occurrences']}")  # fmt: skip
    print(f"term survival: raw {figures['survival_raw']:.1%}, "
          f"protected {figures['survival_protected']:.1%} "
          "(goal >= 99%; flagged counts as lost)")  # fmt: skip
    print(f"outcomes: kept {figures['kept']}, repaired {figures['repaired']}, "
          f"flagged {figures['flagged']}")  # fmt: skip
    print(f"chrF: raw {figures['chrf_raw']:.2f}, with glossary {figures['chrf_glossary']:.2f}, "
          f"drop {figures['chrf_drop']:.2f} (goal <= 0.5)")  # fmt: skip


if __name__ == "__main__":
    main()
