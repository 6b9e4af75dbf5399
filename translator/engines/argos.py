"""The Argos Translate engine: installed .argosmodel packages run through CTranslate2.

This is the only module that imports ctranslate2, sentencepiece or argostranslate,
and it imports them lazily (importing argostranslate creates folders and sets
environment variables; ctranslate2 is slow to import). We use the packages, not
argostranslate's translate path: that one splits sentences with MiniSBD/Stanza
(downloads at run time, fails offline), calls `translate_batch` once per
paragraph, reloads models per call and leaves `max_decoding_length` at
CTranslate2's default of 256 tokens, which truncates long sentences. Here the
texts are already our sentences, and each package's `Translator` loads once per
run; the run sends the sentences of a pair BATCH_SEGMENTS at a time (see
translator.translate), and each call's sentences are deduplicated, sorted by
length and decoded in batches counted in tokens, each batch capped at a decoding
length scaled to its inputs.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from translator.engines import Engine, EngineError
from translator.inline import MARKER
from translator.packages import PackageInfo, list_packages

PIVOT = "en"  # Argos packages mostly go to and from English; other pairs pivot through it
INSTALL_HINT = (
    "install one with `translate-news models install FILE.argosmodel` "
    "(or `translate-news models install {source} {target}` when online)"
)


@dataclass(frozen=True)
class ArgosOptions:
    """Decoding settings. Defaults suit batch translation on a CPU.

    beam_size 2, not argostranslate's 4: on Transformer-base models beam 2 keeps
    nearly all of beam search's gain over greedy decoding at about half the cost
    of beam 4 (decoding time grows with the beam). Glossary sentences get a wider
    beam anyway (`n_best`).
    """

    beam_size: int = 2
    inter_threads: int = 1  # translators working on batches in parallel
    intra_threads: int = 0  # threads per translator; 0 lets CTranslate2 use the cores
    device: str = "cpu"  # "cpu", "cuda" or "auto"
    compute_type: str = "auto"  # int8 packages stay int8 on CPU
    max_batch_tokens: int = 2048  # source tokens per batch
    n_best: int = 8  # hypotheses searched for sentences with required terms
    length_ratio: float = 2.0  # max_decoding_length = ratio * longest input + extra
    length_extra: int = 10

    def __post_init__(self) -> None:
        if self.beam_size < 1 or self.n_best < 1 or self.max_batch_tokens < 1:
            raise ValueError("beam_size, n_best and max_batch_tokens must be at least 1")
        if self.inter_threads < 1 or self.intra_threads < 0:
            raise ValueError("inter_threads must be at least 1 and intra_threads at least 0")
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device must be cpu, cuda or auto, not {self.device!r}")
        if self.length_ratio <= 0 or self.length_extra < 0:
            raise ValueError("length_ratio must be positive and length_extra not negative")


class _Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...


class _SentencePiece:
    def __init__(self, path: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[str]:
        return list(self._processor.encode(text, out_type=str))

    def decode(self, tokens: list[str]) -> str:
        # decode_pieces, unlike argostranslate's decoder, leaves "_" alone and
        # passes unknown pieces (our markers, brought back by replace_unknowns) through.
        return str(self._processor.decode_pieces(tokens))


class _Bpe:
    """Older packages ship bpe.model; argostranslate's BPE tokenizer needs sacremoses."""

    def __init__(self, info: PackageInfo) -> None:
        try:
            import sacremoses  # noqa: F401
            from argostranslate.tokenizer import BPETokenizer
        except ImportError:
            raise EngineError(
                f"{info.path}: this package uses a BPE tokenizer, which needs sacremoses "
                "(pip install sacremoses)"
            ) from None
        self._tokenizer = BPETokenizer(info.tokenizer_file, info.source, info.target)

    def encode(self, text: str) -> list[str]:
        return list(self._tokenizer.encode(text))

    def decode(self, tokens: list[str]) -> str:
        return str(self._tokenizer.decode(tokens))


@dataclass
class _Model:
    """One package, loaded once per run."""

    info: PackageInfo
    translator: Any  # ctranslate2.Translator
    tokenizer: _Tokenizer


class ArgosEngine(Engine):
    """Translates with installed Argos packages, directly or through English."""

    name = "argos"
    term_strategy = "constrained"

    def __init__(
        self,
        options: ArgosOptions | None = None,
        *,
        packages_dir: Path | None = None,
        **settings: Any,
    ) -> None:
        """`settings` are ArgosOptions fields (beam_size=2, device="cpu"...), when no `options`."""
        super().__init__()
        self.options = options or ArgosOptions(**settings)
        self._packages_dir = packages_dir
        self._installed: dict[tuple[str, str], PackageInfo] | None = None
        self._models: dict[tuple[str, str], _Model] = {}
        self._loading = threading.Lock()
        self._fingerprints: dict[Path, str] = {}

    # --- what is installed ---

    def _packages(self) -> dict[tuple[str, str], PackageInfo]:
        if self._installed is None:
            # list_packages sorts by version, so the newest package of a pair wins.
            self._installed = {(p.source, p.target): p for p in list_packages(self._packages_dir)}
        return self._installed

    def pairs(self) -> set[tuple[str, str]]:
        direct = set(self._packages())
        into = {s for s, t in direct if t == PIVOT}
        out_of = {t for s, t in direct if s == PIVOT}
        return direct | {(s, t) for s in into for t in out_of if s != t}

    def route(self, source: str, target: str) -> list[str]:
        """The languages a translation goes through, e.g. ["fr", "en", "es"] for a pivot."""
        installed = self._packages()
        if (source, target) in installed:
            return [source, target]
        if (source, PIVOT) in installed and (PIVOT, target) in installed:
            return [source, PIVOT, target]
        raise EngineError(
            f"no Argos package for {source}→{target}, nor {source}→{PIVOT} and "
            f"{PIVOT}→{target} to pivot through English; "
            + INSTALL_HINT.format(source=source, target=target)
        )

    def steps(self, source: str, target: str) -> int:
        return len(self.route(source, target)) - 1

    def version(self, source: str, target: str) -> str:
        route = self.route(source, target)
        legs = []
        for pair in itertools.pairwise(route):
            info = self._packages()[pair]
            legs.append(f"{info.source}-{info.target} {info.version} {self._fingerprint(info)}")
        return f"argos {' + '.join(legs)}"

    def decoding_settings(self) -> str:
        """The search the model makes. Threads, device and batch size are left out:
        they decide where and how fast it runs."""
        o = self.options
        return (
            f"beam={o.beam_size} n_best={o.n_best} compute={o.compute_type} "
            # ended within the cap (see _ended); markers sent apart from words (_markers_apart)
            f"length={o.length_ratio:g}x+{o.length_extra}, ended within, markers apart"
        )

    def _fingerprint(self, info: PackageInfo) -> str:
        """A content hash, so a package rebuilt under the same version is not confused."""
        if info.path not in self._fingerprints:
            digest = hashlib.sha256()
            for path in sorted(p for p in info.path.rglob("*") if p.is_file()):
                digest.update(path.relative_to(info.path).as_posix().encode())
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
            self._fingerprints[info.path] = digest.hexdigest()[:12]
        return self._fingerprints[info.path]

    # --- loading ---

    def _model(self, source: str, target: str) -> _Model:
        key = (source, target)
        with self._loading:  # pairs are translated in threads of their own; a pivot is shared
            if key not in self._models:
                self._models[key] = self._load(self._packages()[key])
        return self._models[key]

    def _load(self, info: PackageInfo) -> _Model:
        return load_package(info, self.options)

    def close(self) -> None:
        self._models.clear()

    # --- translating ---

    def translate(
        self,
        source: str,
        target: str,
        texts: Sequence[str],
        required: Sequence[Sequence[str]] | None = None,
    ) -> list[str | None]:
        route = self.route(source, target)
        legs = list(itertools.pairwise(route))
        current: list[str | None] = list(texts)
        for number, (src, tgt) in enumerate(legs, start=1):
            # Required terms are target-language forms: only the last leg can honour them.
            leg_required = required if number == len(legs) else None
            current = self.translate_pair(self._model(src, tgt), current, leg_required)
        return list(current)

    def translate_pair(
        self,
        model: _Model,
        texts: Sequence[str | None],
        required: Sequence[Sequence[str]] | None,
    ) -> list[str | None]:
        """One package: distinct sentences decoded once; n-best only where terms went missing.

        Every sentence is decoded with the plain beam first. Only those whose best
        hypothesis lacks a required term are decoded again with n-best, which costs
        several times more, and the first hypothesis holding every term is kept.
        None (a sentence an earlier pivot leg could not translate) stays None.
        """
        wants = [tuple(required[i]) if required else () for i in range(len(texts))]
        distinct = sorted({t for t in texts if t is not None and t.strip()})
        best = {
            text: hypotheses[0] if hypotheses else None
            for text, hypotheses in zip(distinct, self._decode(model, distinct, 1), strict=True)
        }
        missing = sorted(
            {
                (t, w)
                for t, w in zip(texts, wants, strict=True)
                if t in best and w and best[t] is not None and not _holds(best[t], w)
            }
        )
        steered = self._decode(model, [t for t, _ in missing], self.options.n_best)
        picked = {key: _pick(found, key[1]) for key, found in zip(missing, steered, strict=True)}
        return [
            t if t is None else picked.get((t, w), best.get(t, t))
            for t, w in zip(texts, wants, strict=True)
        ]

    def _decode(self, model: _Model, texts: list[str], n_best: int) -> list[list[str]]:
        """Hypotheses (best first) for each text, decoded in length-sorted token batches."""
        tokens = [model.tokenizer.encode(_markers_apart(text)) for text in texts]
        order = sorted(range(len(texts)), key=lambda i: (len(tokens[i]), i))
        pending = []
        for batch in self._batches(order, tokens):
            pending.append((batch, self._submit(model, [tokens[i] for i in batch], n_best)))
        hypotheses: list[list[str]] = [[] for _ in texts]
        for batch, results in pending:
            for i, result in zip(batch, results, strict=True):
                try:
                    found = result.result().hypotheses
                except RuntimeError:  # e.g. an input longer than the model's positions
                    found = self._retry_alone(model, texts[i], tokens[i], n_best)
                ended = self._ended(texts[i], tokens[i], found)
                hypotheses[i] = [self._as_text(model, texts[i], pieces) for pieces in ended]
        return hypotheses

    def _as_text(self, model: _Model, source: str, pieces: list[str]) -> str:
        """A hypothesis as text, its markers as they stand in the source."""
        translation = self._detokenize(model, pieces)
        return _markers_back(source, _drop_stray_markers(source, translation))

    def _ended(self, text: str, tokens: list[str], found: list[list[str]]) -> list[list[str]]:
        """The hypotheses that ended within the input's own length cap. A batch decodes
        to the cap of its longest input, so a model that runs on (no end token) would
        give a short sentence more or less text by what it was batched with: one that
        reaches its own cap is no translation, whatever the batch (the run reports it)."""
        cap = self._cap(len(tokens))
        ended = [h for h in found if len(h) < cap]
        if found and not ended:
            self.failures.append(f"{text[:60]!r}: no end within {cap} pieces (the model ran on)")
        return ended

    def _cap(self, input_length: int) -> int:
        """The most pieces decoded for an input of `input_length` pieces."""
        return int(self.options.length_ratio * input_length) + self.options.length_extra

    def _retry_alone(
        self, model: _Model, text: str, tokens: list[str], n_best: int
    ) -> list[list[str]]:
        """Decode one input of a failed batch by itself; if it fails again, say why in
        `failures` (the run reports it) and give no hypotheses."""
        try:
            return list(self._submit(model, [tokens], n_best)[0].result().hypotheses)
        except RuntimeError as error:
            self.failures.append(f"{text[:60]!r}: {error}")
            return []

    def _batches(self, order: list[int], tokens: list[list[str]]) -> list[list[int]]:
        """Consecutive runs of the length-sorted inputs, at most max_batch_tokens each."""
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            # Sorted by length, so the newest input is the longest: padding included,
            # the batch costs len(current) * its length.
            if current and (len(current) + 1) * len(tokens[i]) > self.options.max_batch_tokens:
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches

    def _submit(self, model: _Model, batch: list[list[str]], n_best: int) -> list[Any]:
        longest = max(len(t) for t in batch)
        prefix = model.info.target_prefix
        return list(
            model.translator.translate_batch(
                batch,
                target_prefix=[[prefix] for _ in batch] if prefix else None,
                max_batch_size=self.options.max_batch_tokens,
                batch_type="tokens",
                beam_size=max(self.options.beam_size, n_best),
                num_hypotheses=n_best,
                # An explicit cap scaled to this batch (see `_ended`): CTranslate2's
                # default (256) would cut long sentences short.
                max_decoding_length=self._cap(longest),
                # No silent truncation of long inputs (the default cuts at 1024 tokens):
                # a model that cannot take one fails, and that sentence is reported.
                max_input_length=0,
                # Pieces the vocabulary lacks (inline markers) come back as <unk>,
                # which this replaces by the source piece it attends to.
                replace_unknowns=True,
                asynchronous=True,  # lets inter_threads > 1 work on batches in parallel
            )
        )

    def _detokenize(self, model: _Model, pieces: list[str]) -> str:
        prefix = model.info.target_prefix
        if prefix and pieces and pieces[0] == prefix:
            pieces = pieces[1:]
        return model.tokenizer.decode(pieces).strip()


def load_package(info: PackageInfo, options: ArgosOptions | None = None) -> _Model:
    """A package's model and tokenizer, loaded; EngineError naming the package if either
    cannot be (a file that is no model, a tokenizer file that is none)."""
    import ctranslate2

    options = options or ArgosOptions()
    try:
        tokenizer: _Tokenizer = (
            _SentencePiece(info.tokenizer_file) if info.tokenizer == "sentencepiece" else _Bpe(info)
        )
    except (RuntimeError, OSError) as error:
        raise EngineError(f"{info.path}: cannot load the tokenizer: {error}") from None
    try:
        translator = ctranslate2.Translator(
            str(info.model_dir),
            device=options.device,
            compute_type=options.compute_type,
            inter_threads=options.inter_threads,
            intra_threads=options.intra_threads,
        )
    except (RuntimeError, ValueError) as error:
        raise EngineError(f"{info.path}: cannot load the CTranslate2 model: {error}") from None
    return _Model(info, translator, tokenizer)


def _holds(hypothesis: str | None, terms: tuple[str, ...]) -> bool:
    return hypothesis is not None and all(term in hypothesis for term in terms)


def _pick(hypotheses: list[str], terms: tuple[str, ...]) -> str | None:
    """The best hypothesis that contains every required term, else the best one."""
    if not hypotheses:
        return None  # decoding failed: the run reports this sentence
    return next((h for h in hypotheses if _holds(h, terms)), hypotheses[0])


def _markers_apart(text: str) -> str:
    """`text` with a space between each inline marker and a word it touches: glued to a
    marker, "war" would lose its word-start piece ("▁war") and the model its meaning."""
    return _GLUED_MARKER.sub(" ", text)


def _markers_back(source: str, translation: str) -> str:
    """The translation's markers touching their words again as they touched them in the
    source: an opening tag before its word, a closing one after."""
    for marker in set(MARKER.findall(translation)):
        at = source.find(marker)
        if at < 0:
            continue
        if at + 1 < len(source) and not source[at + 1].isspace():  # glued to what follows
            translation = re.sub(f"{marker}[ ]+", marker, translation)
        if at > 0 and not source[at - 1].isspace():  # glued to what precedes
            translation = re.sub(f"[ ]+{marker}", marker, translation)
    return translation


_GLUED_MARKER = re.compile(f"(?<=\\S)(?={MARKER.pattern})|(?<={MARKER.pattern})(?=\\S)")


def _drop_stray_markers(source: str, translation: str) -> str:
    """Drop markers the source does not have (replace_unknowns may copy one twice)."""
    allowed = set(MARKER.findall(source))
    if not MARKER.search(translation):
        return translation
    seen: set[str] = set()
    kept = []
    for char in translation:
        if MARKER.match(char):
            if char not in allowed or char in seen:
                continue
            seen.add(char)
        kept.append(char)
    return "".join(kept)
