"""The miniature Stable Diffusion's words: one vocabulary, one tokenizer, for training and page.

Why one file: the text encoder trained by ``python -m lecture_models figures --only
miniature_sd`` and the page's NumPy copy must turn «un siete grueso» into the same token
ids, or the page would feed the network words it never saw. ``lecture_models`` imports
this module (pure Python, no NumPy) and Pyodide runs it unchanged.

Captions follow one grammar: «un <dígito> [grueso|fino] [recto|inclinado a la derecha|
inclinado a la izquierda]». A caption is its word ids followed by ``<fin>`` (whose final
state is the caption's vector, as CLIP's end token) and ``<pad>`` up to ``CONTEXT``.
"""

from __future__ import annotations

PAD, END = "<pad>", "<fin>"
DIGITS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
THICKNESS = ("grueso", "fino")
SLANT_WORDS = ("recto", "inclinado", "a", "la", "derecha", "izquierda")
WORDS = (PAD, END, "un") + DIGITS + THICKNESS + SLANT_WORDS
INDEX = {w: i for i, w in enumerate(WORDS)}
CONTEXT = 8  # «un siete grueso inclinado a la derecha» (7 words) + <fin>
SLANTS = {"right": "inclinado a la derecha", "left": "inclinado a la izquierda", "straight": "recto"}
PUNCTUATION = ".,;:¡!¿?«»\"'()"


def caption(digit: int, thickness: str | None = None, slant: str | None = None) -> str:
    """«un siete grueso inclinado a la derecha» from a label and optional attributes.

    thickness: "grueso", "fino" or None; slant: "right", "left", "straight" or None.
    """
    if thickness not in (None,) + THICKNESS:
        raise ValueError(f"thickness must be one of {THICKNESS} or None, got {thickness!r}")
    if slant not in (None, *SLANTS):
        raise ValueError(f"slant must be one of {tuple(SLANTS)} or None, got {slant!r}")
    words = ["un", DIGITS[int(digit)]]
    if thickness:
        words.append(thickness)
    if slant:
        words.append(SLANTS[slant])
    return " ".join(words)


def words_of(text: str) -> list[str]:
    """Lower-case words of a prompt, punctuation dropped («Un siete, grueso.» -> un siete grueso)."""
    cleaned = "".join(" " if ch in PUNCTUATION else ch for ch in str(text).lower())
    return cleaned.split()


def nearest(word: str, k: int = 3) -> list[str]:
    """The vocabulary's words closest in spelling to ``word`` (edit distance), for the message."""
    def distance(a: str, b: str) -> int:
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]

    real = [w for w in WORDS if w not in (PAD, END)]
    return sorted(real, key=lambda w: (distance(word, w), w))[:k]


def tokenize(text: str) -> dict:
    """Token ids of a prompt, padded to CONTEXT, and what was left out.

    Returns {"ids": [CONTEXT ints], "words": the words kept, "unknown": words not in the
    vocabulary (dropped, each with its nearest words in "suggestions"), "truncated": words
    cut because the context is full}. Never raises on text: the page says what happened.
    """
    kept, unknown, suggestions = [], [], {}
    for w in words_of(text):
        if w in INDEX and w not in (PAD, END):
            kept.append(w)
        else:
            unknown.append(w)
            suggestions[w] = nearest(w)
    truncated = kept[CONTEXT - 1:]
    kept = kept[: CONTEXT - 1]
    ids = [INDEX[w] for w in kept] + [INDEX[END]]
    ids += [INDEX[PAD]] * (CONTEXT - len(ids))
    return {"ids": ids, "words": kept, "unknown": unknown, "suggestions": suggestions, "truncated": truncated}


def ids(text: str) -> list[int]:
    """Just the CONTEXT token ids of a caption built by ``caption`` (all its words are known)."""
    out = tokenize(text)
    if out["unknown"] or out["truncated"]:
        raise ValueError(f"caption {text!r} has unknown {out['unknown']} or truncated {out['truncated']} words")
    return out["ids"]
