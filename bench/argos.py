"""Argos engine throughput on a model of realistic size, against argostranslate's way.

The package has random weights in the shape of a typical Argos model (6+6
layers, d_model 512, 8 heads, FFN 2048, 32k vocabulary, int8). Random weights
never emit </s>, so every way caps decoding at about 1.2x the input length.
Three ways over the same sentences, in the same run:

(a) our engine: `ArgosEngine.translate` over all sentences (dedup, length-sorted
    token batches, each capped for its own inputs, beam 2);
(b) argostranslate's way: one `translate_batch` per paragraph of 5 sentences with
    its defaults (max_batch_size 32 tokens, beam 4, length_penalty 0.2);
(c) the ceiling: one `translate_batch` over all pre-tokenized sentences with our
    decoding settings (beam 2, our token batch size), one cap for the whole call.
    With random weights every sentence decodes up to that one cap (1.2x the
    longest sentence), so (c) is slower than (a), whose caps follow each batch;
(c') hence also: raw CTranslate2 over the same length-sorted, per-batch-capped
    batches as (a), which isolates our own overhead (tokenizing, dedup, decoding).

`python -m bench.argos [N]` (N sentences, default 500).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ctranslate2
import sentencepiece

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.argos_package builds the model

from tests.argos_package import build_random_model  # noqa: E402
from translator.engines.argos import ArgosEngine, ArgosOptions  # noqa: E402
from translator.packages import install_package  # noqa: E402

CORPUS = REPO / "tests" / "data" / "newstest2013"
PARAGRAPH = 5  # sentences per paragraph in argostranslate's way
LENGTH_RATIO = 1.2  # random weights never stop: cap every way at 1.2x the input


def _cap(batch: list[list[str]]) -> int:
    return int(LENGTH_RATIO * max(len(t) for t in batch)) + 1


def _timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(sentences: list[str]) -> dict[str, float]:
    """Build the model, time (a), (b), (c) over `sentences`, return rates and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        training = (CORPUS / "en.txt").read_text("utf-8").splitlines()
        training += (CORPUS / "es.txt").read_text("utf-8").splitlines()
        print("building a random model of realistic size...", file=sys.stderr, flush=True)
        archive = build_random_model(Path(tmp), "en", "es", training_text=training)
        info = install_package(archive, Path(tmp) / "packages")
        options = ArgosOptions(length_ratio=LENGTH_RATIO, length_extra=1)
        engine = ArgosEngine(options, packages_dir=Path(tmp) / "packages")
        engine.translate("en", "es", ["Warm up: the model loads once."])
        seconds_a = _timed(lambda: engine.translate("en", "es", sentences))

        processor = sentencepiece.SentencePieceProcessor(model_file=str(info.tokenizer_file))
        translator = ctranslate2.Translator(str(info.model_dir), device="cpu")

        def argostranslate_way() -> None:
            for start in range(0, len(sentences), PARAGRAPH):
                tokens = processor.encode(sentences[start : start + PARAGRAPH], out_type=str)
                results = translator.translate_batch(
                    tokens,
                    replace_unknowns=True,
                    max_batch_size=32,
                    batch_type="tokens",
                    beam_size=4,
                    num_hypotheses=1,
                    length_penalty=0.2,
                    return_scores=True,
                    max_decoding_length=_cap(tokens),
                )
                processor.decode_pieces([r.hypotheses[0] for r in results])

        seconds_b = _timed(argostranslate_way)
        tokens = processor.encode(sentences, out_type=str)
        seconds_c = _timed(
            lambda: translator.translate_batch(
                tokens,
                max_batch_size=options.max_batch_tokens,
                batch_type="tokens",
                beam_size=options.beam_size,
                max_decoding_length=_cap(tokens),
            )
        )

        def same_batches() -> None:
            # (c') what (a) does minus its Python work: sorted token batches, each capped.
            order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
            for batch in engine._batches(order, tokens):
                chunk = [tokens[i] for i in batch]
                translator.translate_batch(
                    chunk,
                    max_batch_size=options.max_batch_tokens,
                    batch_type="tokens",
                    beam_size=options.beam_size,
                    max_decoding_length=_cap(chunk),
                )

        seconds_c2 = _timed(same_batches)
        engine.close()
    count = len(sentences)
    figures = {
        "sentences": float(count),
        "ours_per_s": count / seconds_a,
        "argostranslate_way_per_s": count / seconds_b,
        "ceiling_per_s": count / seconds_c,
        "same_batches_per_s": count / seconds_c2,
    }
    figures["ours_vs_argostranslate"] = figures["ours_per_s"] / figures["argostranslate_way_per_s"]
    figures["ours_vs_ceiling"] = figures["ours_per_s"] / figures["ceiling_per_s"]
    figures["ours_vs_same_batches"] = figures["ours_per_s"] / figures["same_batches_per_s"]
    return figures


def main(count: int = 500) -> None:
    lines = (CORPUS / "en.txt").read_text("utf-8").splitlines()
    figures = run([line for line in lines if line.strip()][:count])
    print(f"sentences: {figures['sentences']:.0f}")
    print(f"(a) ours:                {figures['ours_per_s']:.2f} sentences/s")
    print(f"(b) argostranslate way:  {figures['argostranslate_way_per_s']:.2f} sentences/s")
    print(f"(c) ceiling, one call:   {figures['ceiling_per_s']:.2f} sentences/s")
    print(f"a/b: {figures['ours_vs_argostranslate']:.2f}x (target >= 3)")
    print(f"(c') raw, same batches:  {figures['same_batches_per_s']:.2f} sentences/s")
    print(f"a/c: {figures['ours_vs_ceiling']:.2f}x (target >= 0.8)")
    print(f"a/c': {figures['ours_vs_same_batches']:.2f}x (our Python overhead)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
