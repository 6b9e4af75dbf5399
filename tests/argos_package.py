"""Builds real `.argosmodel` packages for tests and benchmarks, without torch.

`build_package` makes a tiny but genuine Argos package (metadata.json, a
CTranslate2 Transformer in model/, a SentencePiece model) whose network is a
word-for-word dictionary translator, so tests can assert exact outputs:

* the model dimension is split into three blocks: T (source token one-hot),
  P (position one-hot) and C (the copied source token);
* embeddings are one-hot in T, learned position encodings one-hot in P, with
  scale_embeddings False so nothing rescales them;
* self-attention and feed-forward weights are zero, so residuals pass through;
* the decoder's cross-attention reads P for both queries and keys (scaled so
  step i attends to source position i alone) and its values copy T into C;
* the output projection reads C and maps each source piece to its dictionary
  translation (identity for other pieces), so the copied `</s>` (the config's
  add_source_eos) ends decoding;
* layer norms are set to the identity for the known number of hot dimensions.

SentencePiece is a character model whose user-defined symbols are the
dictionary words of both sides ("▁Share", "▁Compartir"), so whole words are
single pieces and everything else is spelled out character by character.

`build_random_model` makes a package of realistic size with random weights for
the benchmark.
"""

from __future__ import annotations

import io
import json
import shutil
import string
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import TransformerSpec

# Characters every test package covers, beyond those of its dictionary and corpus:
# Latin-1 letters and the typographic punctuation news text uses.
BASE_CHARACTERS = (
    string.ascii_letters
    + string.digits
    + string.punctuation
    + "áéíóúýàèìòùâêîôûäëïöüÿãõñçœæßÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÄËÏÖÜÃÕÑÇŒÆ"
    + "¿¡«»“”‘’—–…€£°"  # noqa: RUF001 - typographic characters on purpose
)
# Positions a test model knows, by default: on the decoder side they must cover the
# engine's decoding cap (2 x the input + 10), so 576 takes sentences of up to 280
# pieces (every sentence of the seed article). The position block is most of the
# model's width and decoding cost grows with its square: keep it no larger.
MAX_POSITIONS = 576
_ATTENTION_LOGIT = 50.0  # cross-attention score of the matching position: others get 0
_OUTPUT_LOGIT = 20.0  # logit of a piece's translation; its alternative gets 1 less
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed member dates: same dictionary, same bytes


# The dictionaries of the test packages (tests assert on what they produce).
EN_ES = {
    "Share": "Compartir",
    "World": "Mundo",
    "war": "guerra",
    "peace": "paz",
    "Brussels": "Bruselas",
    "United Kingdom": "Reino Unido",
}
EN_ES_ALTERNATIVES = {"war": "conflicto"}  # second best: the n-best tests pick it
FR_EN = {"guerre": "war", "paix": "peace", "Bruxelles": "Brussels", "Partager": "Share"}


def package_dir_name(source: str, target: str, version: str) -> str:
    """The folder name Argos gives a package inside its zip (translate-en_es-1_0)."""
    return f"translate-{source}_{target}-{version.replace('.', '_')}"


def build_package(
    dest_dir: Path,
    source: str,
    target: str,
    dictionary: Mapping[str, str],
    *,
    version: str = "1.0",
    alternatives: Mapping[str, str] | None = None,
    corpus: Iterable[str] = (),
    target_prefix: str = "",
    max_positions: int = MAX_POSITIONS,
) -> Path:
    """Write `dest_dir/{source}_{target}.argosmodel` and return its path.

    `dictionary` maps source words to target words (spaces allowed: a form is one
    piece either way). `alternatives` gives a second-best translation for some
    source words (for n-best tests). The characters of `corpus` are covered by
    the tokenizer besides BASE_CHARACTERS, so any text of them round-trips.
    `target_prefix` is written to metadata.json (and must be a dictionary word or
    an alternative's target so the tokenizer knows it).
    """
    alternatives = dict(alternatives or {})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / package_dir_name(source, target, version)
        root.mkdir()
        words = [*dictionary, *dictionary.values(), *alternatives.values()]
        if target_prefix:
            words.append(target_prefix)
        sp = _train_sentencepiece(root / "sentencepiece.model", words, corpus)
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        spec = _dictionary_spec(
            vocab, _piece_map(dictionary), _piece_map(alternatives), max_positions
        )
        _save_model(spec, vocab, root / "model", quantization="int8")
        _write_metadata(root, source, target, version, target_prefix)
        return _zip_package(root, dest_dir / f"{source}_{target}.argosmodel")


def build_random_model(
    dest_dir: Path,
    source: str = "en",
    target: str = "es",
    *,
    training_text: Iterable[str],
    layers: int = 6,
    d_model: int = 512,
    heads: int = 8,
    ffn: int = 2048,
    vocab_size: int = 32000,
    sentencepiece_vocab: int = 8000,
    seed: int = 1,
) -> Path:
    """Write a package of realistic size with random weights, int8, and return its path.

    SentencePiece is trained on `training_text` with `sentencepiece_vocab` pieces;
    the model's vocabulary is padded to `vocab_size` so the output layer costs what
    a real package's does.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / package_dir_name(source, target, "1.0")
        root.mkdir()
        model_file = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(list(training_text)),
            model_writer=model_file,
            vocab_size=sentencepiece_vocab,
            character_coverage=1.0,
            num_threads=2,
            minloglevel=2,
        )
        (root / "sentencepiece.model").write_bytes(model_file.getvalue())
        sp = spm.SentencePieceProcessor(model_proto=model_file.getvalue())
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        vocab += [f"<pad{i}>" for i in range(vocab_size - len(vocab))]
        spec = _random_spec(len(vocab), layers, d_model, heads, ffn, np.random.default_rng(seed))
        _save_model(spec, vocab, root / "model", quantization="int8")
        _write_metadata(root, source, target, "1.0", "")
        return _zip_package(root, dest_dir / f"{source}_{target}-random.argosmodel")


def _piece_map(words: Mapping[str, str]) -> dict[str, str]:
    return {_piece(src): _piece(tgt) for src, tgt in words.items()}


def _piece(word: str) -> str:
    """The single SentencePiece piece of a word that starts after a space."""
    if not word or word != word.strip():
        raise ValueError(f"dictionary word {word!r} must be non-empty and not padded")
    return "▁" + word.replace(" ", "▁")


def _train_sentencepiece(
    path: Path, words: list[str], corpus: Iterable[str]
) -> spm.SentencePieceProcessor:
    symbols = sorted({_piece(w) for w in words})
    lines = [*words, BASE_CHARACTERS, *corpus]
    characters = set("".join(lines)) | {"▁"}
    model_file = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model_file,
        model_type="char",
        user_defined_symbols=symbols,
        # An upper bound (hard_vocab_limit off lets the model be smaller): every
        # character gets its piece, or it would become <unk>.
        vocab_size=len(symbols) + len(characters) + 3,
        hard_vocab_limit=False,
        character_coverage=1.0,
        normalization_rule_name="identity",  # no NFKC: text comes back as it went in
        num_threads=1,  # deterministic piece order
        minloglevel=2,
    )
    path.write_bytes(model_file.getvalue())
    return spm.SentencePieceProcessor(model_proto=model_file.getvalue())


def _identity_layer_norm(layer_norm: Any, dim: int, hot: int) -> None:
    """Make a layer norm the identity on vectors with `hot` ones and zeros elsewhere.

    Such vectors all have the same mean and variance, so gamma = std, beta = mean
    undoes the normalisation exactly (up to epsilon).
    """
    mean = hot / dim
    std = np.sqrt(hot / dim - mean**2 + 1e-5)
    layer_norm.gamma = np.full(dim, std, dtype=np.float32)
    layer_norm.beta = np.full(dim, mean, dtype=np.float32)


def _zero_linear(linear: Any, out_dim: int, in_dim: int) -> None:
    linear.weight = np.zeros((out_dim, in_dim), dtype=np.float32)
    linear.bias = np.zeros(out_dim, dtype=np.float32)


def _zero_sublayers(layer: Any, dim: int, hot: int) -> None:
    """Self-attention and feed-forward contribute nothing: residuals pass through."""
    attention = layer.self_attention
    _identity_layer_norm(attention.layer_norm, dim, hot)
    _zero_linear(attention.linear[0], 3 * dim, dim)
    _zero_linear(attention.linear[1], dim, dim)
    _identity_layer_norm(layer.ffn.layer_norm, dim, hot)
    _zero_linear(layer.ffn.linear_0, 4, dim)
    _zero_linear(layer.ffn.linear_1, dim, 4)


def _dictionary_spec(
    vocab: list[str],
    dictionary: dict[str, str],
    alternatives: dict[str, str],
    max_positions: int,
) -> TransformerSpec:
    size, positions = len(vocab), max_positions
    token, position, copy = 0, size, size + positions  # block offsets
    dim = 2 * size + positions
    index = {piece: i for i, piece in enumerate(vocab)}
    eye_t = np.eye(size, dim, token, dtype=np.float32)
    eye_p = np.eye(positions, dim, position, dtype=np.float32)

    spec = TransformerSpec.from_config((1, 1), 1)
    spec.config.add_source_eos = True  # the copied </s> ends decoding
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = eye_p
    spec.encoder.embeddings[0].weight = eye_t
    spec.decoder.embeddings.weight = eye_t
    _zero_sublayers(spec.encoder.layer[0], dim, hot=2)
    _identity_layer_norm(spec.encoder.layer_norm, dim, hot=2)

    layer = spec.decoder.layer[0]
    _zero_sublayers(layer, dim, hot=2)
    cross = layer.attention
    _identity_layer_norm(cross.layer_norm, dim, hot=2)
    # Scores are q.k / sqrt(dim): scale both sides so the matching position scores
    # _ATTENTION_LOGIT and every other position 0, i.e. a hard alignment.
    scale = np.float32(np.sqrt(_ATTENTION_LOGIT * np.sqrt(dim)))
    read_position = np.zeros((dim, dim), dtype=np.float32)
    read_position[position : position + positions, position : position + positions] = (
        scale * np.eye(positions, dtype=np.float32)
    )
    copy_token = np.zeros((dim, dim), dtype=np.float32)
    copy_token[copy : copy + size, token : token + size] = np.eye(size, dtype=np.float32)
    cross.linear[0].weight = read_position
    cross.linear[0].bias = np.zeros(dim, dtype=np.float32)
    cross.linear[1].weight = np.concatenate([read_position, copy_token])
    cross.linear[1].bias = np.zeros(2 * dim, dtype=np.float32)
    cross.linear[2].weight = np.eye(dim, dtype=np.float32)
    cross.linear[2].bias = np.zeros(dim, dtype=np.float32)
    _identity_layer_norm(spec.decoder.layer_norm, dim, hot=3)  # token + position + copy

    projection = np.zeros((size, dim), dtype=np.float32)
    for i, piece in enumerate(vocab):
        projection[index.get(dictionary.get(piece, piece), i), copy + i] = _OUTPUT_LOGIT
        if piece in alternatives:
            projection[index[alternatives[piece]], copy + i] = _OUTPUT_LOGIT - 1
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = np.zeros(size, dtype=np.float32)
    return spec


def _random_spec(
    vocab_size: int, layers: int, d_model: int, heads: int, ffn: int, rng: np.random.Generator
) -> TransformerSpec:
    """A Transformer-base shaped like an Argos package, every weight random."""

    def matrix(rows: int, cols: int) -> np.ndarray[Any, Any]:
        return (rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)).astype(
            np.float32
        )

    def linear(spec: Any, rows: int, cols: int) -> None:
        spec.weight = matrix(rows, cols)
        spec.bias = np.zeros(rows, dtype=np.float32)

    def norm(spec: Any) -> None:
        spec.gamma = np.ones(d_model, dtype=np.float32)
        spec.beta = np.zeros(d_model, dtype=np.float32)

    spec = TransformerSpec.from_config((layers, layers), heads)
    spec.encoder.embeddings[0].weight = matrix(vocab_size, d_model)
    spec.decoder.embeddings.weight = matrix(vocab_size, d_model)
    for layer in [*spec.encoder.layer, *spec.decoder.layer]:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, ffn, d_model)
        linear(layer.ffn.linear_1, d_model, ffn)
    for layer in spec.decoder.layer:
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)
        linear(layer.attention.linear[1], 2 * d_model, d_model)
        linear(layer.attention.linear[2], d_model, d_model)
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    linear(spec.decoder.projection, vocab_size, d_model)
    return spec


def _save_model(
    spec: TransformerSpec, vocab: list[str], path: Path, quantization: str | None
) -> None:
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    path.mkdir()
    spec.save(str(path))


def _write_metadata(root: Path, source: str, target: str, version: str, prefix: str) -> None:
    metadata: dict[str, Any] = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
        "links": [],
    }
    if prefix:
        metadata["target_prefix"] = "▁" + prefix
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")


def _zip_package(root: Path, archive: Path) -> Path:
    """Zip `root` (its folder name included, as Argos packages are) with fixed dates."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                zf.writestr(zipfile.ZipInfo(name + "/", _ZIP_DATE), b"")
            else:
                info = zipfile.ZipInfo(name, _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with path.open("rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst)
    partial.replace(archive)
    return archive
