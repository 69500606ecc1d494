"""The niche model: a text classifier for the postings the rules leave in ``other``.

The rules of :mod:`fdsa.ingest.niches` stay the first step. A posting they leave in
``other`` goes to this model: word and character TF-IDF features of its lower-cased
title, category and skills, and a multinomial logistic regression, in one
scikit-learn ``Pipeline``. The model names a niche when its probability is at least
the ``threshold`` recorded in the model file (:data:`THRESHOLD` when trained), and
``other`` otherwise (``other`` is one of its classes too: generic and non-data work).

Training data (recorded in the model file with hashes):

* ``data/labelled/niche_titles_train.csv`` — 630 job titles written for this
  purpose, labelled by hand (``data/labelled/PROVENANCE.md``);
* the postings the rules label with confidence — every title of the synthetic
  market (:mod:`fdsa.synth.text`) that exactly one rule matches, alone and with three
  draws of two to four of its niche's skills (seed :data:`SEED`), labelled by
  that rule.

The held-out set ``data/labelled/niche_titles_heldout.csv`` is never trained on.

The trained model ships as ``niche_model.json.gz`` beside this module: plain JSON
(vocabularies, IDF weights, coefficients, the threshold, the seed, the training
data's hashes and the library versions), no pickle, so loading it runs no code
from the file and needs no network. :func:`load` reads it; ingest scores with
:class:`Scorer` (the same arithmetic in numpy, without importing scikit-learn), and
``load().pipeline`` rebuilds the fitted ``Pipeline`` for anyone who wants it.
Hyperparameters (:data:`C`, :data:`CHAR_NGRAMS`, balanced class weights,
:data:`THRESHOLD`) were chosen by 3 × 5-fold cross-validation on the training titles
(``docs/niches.md``). Retrain with ``make niche-model`` (``python -m
fdsa.ingest.niche_model``); with the same labelled file, seed and library versions the
file comes out byte for byte the same.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fdsa import taxonomy

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from sklearn.pipeline import Pipeline

FORMAT = 1
"""Layout of the model file; :func:`read` refuses other layouts."""

VERSION = 2
"""Version of the trained model; raise it whenever the shipped file is retrained."""

SEED = 18
"""Seed of the synthetic skill draws and of the classifier."""

MODEL_FILE = "niche_model.json.gz"
ROOT = Path(__file__).resolve().parents[2]
TRAIN_CSV = ROOT / "data" / "labelled" / "niche_titles_train.csv"
HELDOUT_CSV = ROOT / "data" / "labelled" / "niche_titles_heldout.csv"

C = 10.0
"""Inverse regularisation of the logistic regression (chosen by cross-validation)."""
CHAR_NGRAMS = (3, 5)
THRESHOLD = 0.2
"""Least probability for the model to name a niche (chosen by cross-validation)."""
MAX_CHARS = 1_000
"""Characters of title and of category + skills the model reads (titles are short)."""

OTHER = "other"
TOKEN_PATTERN = r"(?u)\b\w[\w+#.-]*\b"  # noqa: S105 - a regex of words, not a secret


def model_text(title_l: str | None, rest_l: str | None) -> str:
    """The model's input for a lower-cased title and category + skills text."""
    return f"{(title_l or '')[:MAX_CHARS]} | {(rest_l or '')[:MAX_CHARS]}"


def pipeline(seed: int = SEED) -> Pipeline:
    """The untrained model: word and character TF-IDF, then logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            TfidfVectorizer(
                                ngram_range=(1, 2),
                                sublinear_tf=True,
                                token_pattern=TOKEN_PATTERN,
                            ),
                        ),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb",
                                ngram_range=CHAR_NGRAMS,
                                sublinear_tf=True,
                                min_df=2,
                            ),
                        ),
                    ]
                ),
            ),
            (
                "classifier",
                LogisticRegression(C=C, class_weight="balanced", max_iter=5_000, random_state=seed),
            ),
        ]
    )


def read_labelled(path: str | Path) -> list[tuple[str, str]]:
    """``(title, niche)`` rows of a labelled CSV (columns ``title``, ``niche``)."""
    with Path(path).open(newline="", encoding="utf-8") as f:
        rows = [(r["title"], r["niche"]) for r in csv.DictReader(f)]
    unknown = sorted({n for _, n in rows} - set(taxonomy.NICHES))
    if unknown:
        raise ValueError(f"{path}: unknown niches {unknown}")
    return rows


def rule_labelled_postings(seed: int = SEED) -> list[tuple[str, str]]:
    """Synthetic postings the rules label with confidence, as ``(model text, niche)``.

    Every title of :data:`fdsa.synth.text.JOB_TITLES` that exactly one rule matches,
    alone and with three draws of two to four of its niche's skills.
    """
    import numpy as np

    from fdsa.ingest.niches import matching_rules
    from fdsa.synth.text import JOB_TITLES, NICHE_SKILLS

    rng = np.random.default_rng(seed)
    rows = []
    for niche, titles in JOB_TITLES.items():
        skills = NICHE_SKILLS[niche]
        for title in titles:
            hits = matching_rules(title.lower())
            if len(hits) != 1:
                continue
            rows.append((model_text(title.lower(), ""), hits[0]))
            for _ in range(3):
                k = min(int(rng.integers(2, 5)), len(skills))
                drawn = [str(s) for s in rng.choice(skills, size=k, replace=False)]
                rows.append((model_text(title.lower(), " | ".join(drawn).lower()), hits[0]))
    return rows


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def train(labelled: str | Path = TRAIN_CSV, *, seed: int = SEED) -> tuple[Pipeline, dict]:
    """Fit the model on the labelled titles and the rule-labelled synthetic postings.

    Returns
    -------
    tuple[Pipeline, dict]
        The fitted pipeline and what it was trained on (for the model file).
    """
    written = read_labelled(labelled)
    synthetic = rule_labelled_postings(seed)
    texts = [model_text(t.lower(), "") for t, _ in written] + [t for t, _ in synthetic]
    labels = [n for _, n in written] + [n for _, n in synthetic]
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"):  # ten times faster than contended threads, and exact
        fitted = pipeline(seed).fit(texts, labels)
    raw = Path(labelled).read_bytes().replace(b"\r\n", b"\n")
    meta = {
        "seed": seed,
        "training_data": {
            "labelled": {
                "path": "data/labelled/niche_titles_train.csv",
                "rows": len(written),
                "sha256": hashlib.sha256(raw).hexdigest(),
            },
            "rule_labelled": {
                "source": "fdsa.synth.text.JOB_TITLES with NICHE_SKILLS draws, "
                "titles exactly one rule matches",
                "rows": len(synthetic),
                "sha256": _sha256("\n".join(f"{t}\t{n}" for t, n in synthetic)),
            },
        },
    }
    return fitted, meta


def _round(values: Any, digits: int = 7) -> list:
    return [float(f"{v:.{digits}g}") for v in values]


def export(fitted: Pipeline, meta: dict) -> dict:
    """The fitted pipeline as plain JSON data (see :func:`restore`)."""
    import numpy as np
    import sklearn

    features = dict(fitted.named_steps["features"].transformer_list)
    classifier = fitted.named_steps["classifier"]
    vectorizers = {}
    for name, vectorizer in features.items():
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        vectorizers[name] = {"vocabulary": vocabulary, "idf": _round(vectorizer.idf_)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "model": "fdsa niche model: rules first, this model for the texts they call other",
        "threshold": THRESHOLD,
        "char_ngrams": list(CHAR_NGRAMS),
        **meta,
        "libraries": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "vectorizers": vectorizers,
        "classes": [str(c) for c in classifier.classes_],
        "coef": [_round(row) for row in classifier.coef_],
        "intercept": _round(classifier.intercept_),
    }


def restore(doc: dict) -> Pipeline:
    """Rebuild the fitted pipeline from :func:`export`'s data."""
    import numpy as np

    if doc.get("format") != FORMAT:
        raise ValueError(f"niche model file has format {doc.get('format')!r}; expected {FORMAT}")
    restored = pipeline(int(doc["seed"]))
    features = dict(restored.named_steps["features"].transformer_list)
    for name, vectorizer in features.items():
        saved = doc["vectorizers"][name]
        vectorizer.set_params(vocabulary={t: i for i, t in enumerate(saved["vocabulary"])})
        vectorizer.idf_ = np.asarray(saved["idf"], dtype=np.float64)
    classifier = restored.named_steps["classifier"]
    classifier.classes_ = np.asarray(doc["classes"], dtype=object)
    classifier.coef_ = np.asarray(doc["coef"], dtype=np.float64)
    classifier.intercept_ = np.asarray(doc["intercept"], dtype=np.float64)
    classifier.n_features_in_ = classifier.coef_.shape[1]
    return restored


def dumps(doc: dict) -> bytes:
    """The model file's bytes: sorted JSON, gzip without a timestamp (reproducible)."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


_WHITE_SPACES = re.compile(r"\s\s+")
_WORDS_KEPT = 200_000


class _CharGrams(dict):
    """Word → vocabulary indices of its ``char_wb`` n-grams (as scikit-learn), on demand."""

    def __init__(self, vocabulary: dict[str, int], offset: int, ngrams: tuple[int, int]):
        super().__init__()
        self._vocabulary, self._offset, self._ngrams = vocabulary, offset, ngrams

    def __missing__(self, word: str) -> list[int]:
        w = f" {word} "
        grams = []
        lo, hi = self._ngrams
        for n in range(lo, hi + 1):
            grams += [w[i : i + n] for i in range(max(1, len(w) - n + 1))]
            if len(w) <= n:  # a short word counts once
                break
        found = [self._offset + self._vocabulary[g] for g in grams if g in self._vocabulary]
        self[word] = found
        return found


class Scorer:
    """The exported model's probabilities, computed with numpy alone.

    The same arithmetic as the restored ``Pipeline`` (word 1–2-grams and ``char_wb``
    n-grams counted over the vocabularies, ``1 + log(count)`` times IDF, each block
    L2-normalised, then the softmax of the linear scores), without importing
    scikit-learn (≈0.7 s of a load's time) and with the character n-grams of each
    distinct word worked out once. ``tests/unit/test_niche_model.py`` holds it equal
    to ``Pipeline.predict_proba``.
    """

    def __init__(self, doc: dict) -> None:
        import numpy as np

        words, chars = doc["vectorizers"]["words"], doc["vectorizers"]["chars"]
        self._words = {t: i for i, t in enumerate(words["vocabulary"])}
        self._chars = {t: i for i, t in enumerate(chars["vocabulary"])}
        self._idf = np.concatenate([words["idf"], chars["idf"]])
        self._coef_t = np.asarray(doc["coef"], dtype=np.float64).T.copy()
        self._intercept = np.asarray(doc["intercept"], dtype=np.float64)
        self._token = re.compile(TOKEN_PATTERN)
        self._of_word = _CharGrams(
            self._chars, len(self._words), tuple(doc.get("char_ngrams", CHAR_NGRAMS))
        )

    def _features(self, text: str) -> tuple[list[int], list[int]]:
        text = text.lower()
        tokens = self._token.findall(text)
        grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        words = [self._words[g] for g in grams if g in self._words]
        split = _WHITE_SPACES.sub(" ", text).split()
        chars = list(itertools.chain.from_iterable(map(self._of_word.__getitem__, split)))
        return words, chars

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities of each model text (columns in ``classes`` order)."""
        import numpy as np
        from scipy import sparse

        found: tuple[list[int], list[int]] = ([], [])
        lengths: tuple[list[int], list[int]] = ([], [])
        for text in texts:
            for block, indices in enumerate(self._features(text)):
                found[block].extend(indices)
                lengths[block].append(len(indices))
        scores = np.tile(self._intercept, (len(texts), 1))
        for block in (0, 1):
            columns = np.asarray(found[block], dtype=np.int64)
            rows = np.repeat(np.arange(len(texts)), lengths[block])
            counts = sparse.csr_matrix(
                (np.ones(len(columns)), (rows, columns)), shape=(len(texts), len(self._idf))
            )  # duplicates summed: term counts
            counts.data = (1.0 + np.log(counts.data)) * self._idf[counts.indices]
            norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
            counts.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(counts.indptr))
            scores += counts @ self._coef_t
        if len(self._of_word) > _WORDS_KEPT:  # a long-lived process keeps a bounded cache
            self._of_word.clear()
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class NicheModel:
    """The loaded model: its scorer, threshold and record; :attr:`pipeline` on demand."""

    doc: dict = field(repr=False)
    classes: tuple[str, ...]
    threshold: float
    version: int
    meta: dict

    @functools.cached_property
    def scorer(self) -> Scorer:
        """The numpy scorer ingest uses."""
        return Scorer(self.doc)

    @functools.cached_property
    def pipeline(self) -> Pipeline:
        """The fitted scikit-learn ``Pipeline`` (imports scikit-learn)."""
        return restore(self.doc)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Niche of each model text (:func:`model_text`): ``other`` below the threshold."""
        if not texts:
            return []
        proba = self.scorer.proba(texts)
        best = proba.argmax(axis=1)
        sure = proba[range(len(best)), best] >= self.threshold
        return [self.classes[b] if s else OTHER for b, s in zip(best, sure, strict=True)]


def read(data: bytes) -> NicheModel:
    """A model from the bytes of a model file (no scikit-learn needed)."""
    doc = json.loads(gzip.decompress(data))
    if doc.get("format") != FORMAT:
        raise ValueError(f"niche model file has format {doc.get('format')!r}; expected {FORMAT}")
    meta = {k: v for k, v in doc.items() if k not in ("vectorizers", "coef", "intercept")}
    classes = tuple(str(c) for c in doc["classes"])
    return NicheModel(doc, classes, float(doc["threshold"]), int(doc["version"]), meta)


@functools.cache
def load() -> NicheModel:
    """The model shipped with fdsa (read once per process)."""
    return read(files("fdsa.ingest").joinpath(MODEL_FILE).read_bytes())


def predict(titles_l: Sequence[str | None], rests_l: Sequence[str | None]) -> list[str]:
    """The shipped model's niche of each (lower-cased title, category + skills) text."""
    texts = [model_text(t, r) for t, r in zip(titles_l, rests_l, strict=True)]
    return load().predict(texts)


def evaluate(labelled: str | Path = HELDOUT_CSV) -> pd.DataFrame:
    """Precision and recall per niche on a labelled set: rules alone, rules + model.

    Returns
    -------
    pandas.DataFrame
        One row per niche of ``taxonomy.NICHES`` and method (``rules``,
        ``rules+model``): ``niche``, ``method``, ``n`` (titles labelled with the niche),
        ``n_predicted``, ``n_correct``, ``precision``, ``recall`` (NaN when undefined).
        Then per method a row ``niche = "macro (15 niches)"`` with the unweighted
        means of precision and recall over the niches other than ``other``, and a row
        ``niche = "other share"`` whose ``precision`` column is empty and whose
        ``recall`` column holds the share of titles classified ``other``.
    """
    import pandas as pd

    from fdsa.ingest.niches import classify

    rows = read_labelled(labelled)
    truth = [n for _, n in rows]
    rules = [classify(t, model=False) for t, _ in rows]
    missed = [i for i, r in enumerate(rules) if r == OTHER]
    combined = list(rules)
    found = predict([rows[i][0].lower() for i in missed], [""] * len(missed))
    for i, niche in zip(missed, found, strict=True):
        combined[i] = niche
    predictions = {"rules": rules, "rules+model": combined}
    out = []
    for method, predicted in predictions.items():
        per_niche = []
        for niche in taxonomy.NICHES:
            n = sum(t == niche for t in truth)
            n_predicted = sum(p == niche for p in predicted)
            n_correct = sum(t == p == niche for t, p in zip(truth, predicted, strict=True))
            per_niche.append(
                {
                    "niche": niche,
                    "method": method,
                    "n": n,
                    "n_predicted": n_predicted,
                    "n_correct": n_correct,
                    "precision": n_correct / n_predicted if n_predicted else float("nan"),
                    "recall": n_correct / n if n else float("nan"),
                }
            )
        niches = pd.DataFrame([r for r in per_niche if r["niche"] != OTHER])
        out += per_niche
        out.append(
            {
                "niche": "macro (15 niches)",
                "method": method,
                "n": int(niches.n.sum()),
                "n_predicted": int(niches.n_predicted.sum()),
                "n_correct": int(niches.n_correct.sum()),
                "precision": float(niches.precision.fillna(0).mean()),
                "recall": float(niches.recall.mean()),
            }
        )
        n_other = sum(p == OTHER for p in predicted)
        out.append(
            {
                "niche": "other share",
                "method": method,
                "n": len(rows),
                "n_predicted": n_other,
                "n_correct": sum(t == p == OTHER for t, p in zip(truth, predicted, strict=True)),
                "precision": float("nan"),
                "recall": n_other / len(rows),
            }
        )
    return pd.DataFrame(out)


def _build(labelled: Path, seed: int) -> bytes:
    import numpy as np

    fitted, meta = train(labelled, seed=seed)
    data = dumps(export(fitted, meta))
    # the file must predict what the fitted pipeline predicts
    rows = read_labelled(labelled)
    texts = [model_text(t.lower(), "") for t, _ in rows]
    model = read(data)
    expected = fitted.predict_proba(texts)
    for name, proba in (
        ("restored pipeline", model.pipeline.predict_proba(texts)),
        ("numpy scorer", model.scorer.proba(texts)),
    ):
        gap = np.abs(proba - expected).max()
        if gap > 1e-4:
            raise RuntimeError(f"the exported model's {name} differs from the fit by {gap:.2g}")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """Retrain the shipped niche model (``make niche-model``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--labelled", type=Path, default=TRAIN_CSV)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().with_name(MODEL_FILE))
    parser.add_argument(
        "--check", action="store_true", help="only check that retraining reproduces --out"
    )
    args = parser.parse_args(argv)
    data = _build(args.labelled, args.seed)
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print(f"{args.out}: {'reproduced byte for byte' if same else 'DIFFERS from a retrain'}")
        return 0 if same else 1
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data) / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
