"""Near-duplicate removal (export filter, after exact dedup): MinHash LSH over character n-grams.

Works the same for Chinese and English because shingles are *character* n-grams (default 5) of
the record's normalised input texts (:func:`~biocurate.mix.content.normalised_inputs`), not
whitespace words. Per record, everything is vectorised with numpy (no Python loop over
shingles):

1. the n-gram hashes come from a rolling polynomial hash of the UTF-32 code points;
2. the signature is a *one-permutation* MinHash: each hash falls into one of ``num_perm``
   bins by its top bits and the bin keeps its minimum; an empty bin borrows the minimum of
   the next non-empty bin (rotation densification, Shrivastava & Li 2014). With the hashes
   sorted this is one ``searchsorted`` and one ``take``: O(n log n) instead of
   O(n * num_perm), and ``P(sig_a[i] == sig_b[i]) = Jaccard(a, b)`` per bin;
3. LSH banding (``bands`` x ``rows``, chosen so that a pair at the threshold becomes a
   candidate with probability >= 0.95) finds candidates among the kept records of the same
   task; a candidate is confirmed only when the Jaccard estimated from the two signatures
   (8 bits per bin kept) reaches the threshold, so texts well below it are kept.

Memory stays small: band keys live in a Python dict until 2^20 of them accumulate, then
merge into one sorted ``uint64`` array (12 bytes per key with its record index) whose 32 MiB
bitmap of top bits spares most lookups the binary search; signatures take ``num_perm`` bytes
per kept record. About 250 MB for a million kept records.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from biocurate.schemas import Record

from .content import normalise_text, normalised_inputs

_U64 = np.uint64
_MASK64 = (1 << 64) - 1
#: Keys held in the dict before they are merged into the sorted array.
_FLUSH_KEYS = 1 << 20
#: The sorted keys' membership bitmap has 2^28 bits (32 MiB): a key's top 28 bits pick its bit.
_BITMAP_SHIFT_BITS = 36
_BITMAP_SHIFT = _U64(_BITMAP_SHIFT_BITS)
#: Candidate probability a band layout must give a pair exactly at the threshold.
_RECALL_AT_THRESHOLD = 0.95


def _constant(seed: int, label: str) -> int:
    """A 64-bit constant derived from (seed, label) (stable across numpy versions)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}|{label}".encode(), digest_size=8).digest(), "little")


def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)``: the most rows per band (fewest keys, fewest false candidates) whose
    candidate probability ``1 - (1 - t^rows)^bands`` at the threshold ``t`` is >= 0.95."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= _RECALL_AT_THRESHOLD:
            best = (bands, rows)
    return best


class NearDedup:
    """Drops a (record, task) whose input text is a near duplicate of one already kept.

    Args:
        threshold: estimated character n-gram Jaccard similarity at or above which a record
            is a near duplicate of a kept one (0 < threshold <= 1).
        seed: seeds every hash; the same seed and record order give the same decisions.
        num_perm: MinHash signature length (bins).
        ngram: shingle length in characters.

    Note:
        With 5-grams one changed character alters up to 5 shingles, so a one-character edit
        reaches Jaccard 0.8 only in texts of about 50 characters or more; shorter texts
        need proportionally fewer edits to fall below the threshold.
    """

    def __init__(self, threshold: float = 0.8, seed: int = 42, num_perm: int = 64, ngram: int = 5) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if num_perm < 2 or ngram < 1:
            raise ValueError(f"num_perm must be >= 2 and ngram >= 1, got {num_perm}, {ngram}")
        self.threshold = threshold
        self.seed = seed
        self.num_perm = num_perm
        self.ngram = ngram
        self.bands, self.rows = band_layout(threshold, num_perm)
        # bin j holds hashes in [bounds[j], bounds[j+1]): equal slices of the 64-bit range
        self._bounds = np.array([(j << 64) // num_perm for j in range(num_perm)], dtype=_U64)
        # an n-gram of UTF-16 units = the 64-bit words (4 units) at these unit offsets
        # (n >= 4), or the single units at each offset (n < 4)
        if ngram >= 4:
            self._offsets = list(range(0, ngram - 3, 4)) + ([ngram - 4] if ngram % 4 else [])
            self._word_dtype = "<u8"
        else:
            self._offsets, self._word_dtype = list(range(ngram)), "<u2"
        self._word_mult = [_U64(_constant(seed, f"word{i}") | 1) for i in range(len(self._offsets))]
        self._shift = _U64(29)
        #: signatures are kept as bits 40..47 of each minimum (well mixed, below the bin bits)
        self._byte_shift = _U64(40)
        self._mix = _U64(_constant(seed, "mix") | 1)
        self._row_mult = np.array([_constant(seed, f"row{i}") | 1 for i in range(self.rows)], dtype=_U64)
        self._band_salt = np.array([_constant(seed, f"band{i}") for i in range(self.bands)], dtype=_U64)
        self._task_salt: dict[str, np.uint64] = {}
        # kept records: 8-bit signatures, row i = record i
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint8)
        self.kept = 0
        self._saved = 0
        # band key -> index of the first kept record with it: recent ones in a dict,
        # older ones in sorted arrays
        self._recent: dict[int, int] = {}
        self._keys = np.zeros(0, dtype=_U64)
        self._owners = np.zeros(0, dtype=np.uint32)
        self._bitmap = np.zeros(0, dtype=np.uint8)
        self._merges = 0
        self._last: tuple[int, Record | None, np.ndarray | None] = (0, None, None)

    # -- signatures ---------------------------------------------------------------------

    def text_of(self, record: Record) -> str:
        """The normalised input texts of a record, joined by newlines (what is shingled)."""
        return "\n".join(normalised_inputs(record))

    def _shingle_hashes(self, text: str) -> np.ndarray:
        """64-bit hashes of the character n-grams (one hash of the whole text when shorter).

        Characters are UTF-16 code units. Four consecutive units are one little-endian
        ``uint64`` read at any unit offset (an overlapping strided view of the encoded bytes),
        so an n-gram is ``ceil(n / 4)`` such words, combined with seeded odd multipliers and
        mixed; no per-character arithmetic.
        """
        data = text.encode("utf-16-le")
        units = len(data) // 2
        if units < self.ngram:
            return np.array([_constant(self.seed, text)], dtype=_U64)
        size = units - self.ngram + 1
        h = None
        for offset, mult in zip(self._offsets, self._word_mult):
            word = np.ndarray((size,), dtype=self._word_dtype, buffer=data, offset=2 * offset, strides=(2,)) * mult
            if h is None:
                h = word
            else:
                h += word
        h ^= h >> self._shift
        h *= self._mix
        return h

    def signature(self, text: str) -> np.ndarray:
        """The ``num_perm`` MinHash values (uint64) of a normalised text."""
        h = np.sort(self._shingle_hashes(text))
        # first hash >= each bin's lower bound: that bin's minimum, or (bin empty) the minimum
        # of the next non-empty bin, wrapping round to the smallest hash
        return h.take(np.searchsorted(h, self._bounds), mode="wrap")

    def signatures(self, texts: list[str]) -> list[np.ndarray | None]:
        """:meth:`signature` of many normalised texts at once (None for an empty text): the
        same values, computed with a few numpy operations over all the texts together instead
        of a dozen per text (the export signs a block of records at a time)."""
        out: list[np.ndarray | None] = [None] * len(texts)
        units = [len(t.encode("utf-16-le")) // 2 for t in texts]
        long = [i for i, n in enumerate(units) if n >= self.ngram]
        for i, n in enumerate(units):
            if 0 < n < self.ngram:
                out[i] = self.signature(texts[i])
        if not long:
            return out
        data = "".join(texts[i] for i in long).encode("utf-16-le")
        lengths = np.array([units[i] for i in long], dtype=np.int64)
        owner = np.repeat(np.arange(len(long)), lengths)
        size = len(owner) - self.ngram + 1
        h = None
        for offset, mult in zip(self._offsets, self._word_mult):
            word = np.ndarray((size,), dtype=self._word_dtype, buffer=data, offset=2 * offset, strides=(2,)) * mult
            h = word if h is None else h + word
        h ^= h >> self._shift
        h *= self._mix
        inside = owner[:size] == owner[self.ngram - 1 :]  # the n-gram does not cross into the next text
        h, owner = h[inside], owner[:size][inside]
        # minimum of each (text, bin) cell
        perm = self.num_perm
        if perm & (perm - 1) == 0:  # bounds are j << (64 - log2 perm): the bin is the top bits
            bins = (h >> _U64(64 - perm.bit_length() + 1)).astype(np.int64)
        else:
            bins = np.searchsorted(self._bounds, h, side="right") - 1
        cell = owner * perm + bins
        minima = np.full(len(long) * perm, np.iinfo(_U64).max, dtype=_U64)
        np.minimum.at(minima, cell, h)
        minima = minima.reshape(len(long), perm)
        filled = (np.bincount(cell, minlength=len(long) * perm) > 0).reshape(len(long), perm)
        # an empty bin takes the next filled bin's minimum, wrapping round (as `signature`)
        columns = np.arange(2 * perm)
        candidate = np.where(np.concatenate([filled, filled], axis=1), columns, 2 * perm)
        following = np.minimum.accumulate(candidate[:, ::-1], axis=1)[:, ::-1][:, :perm] % perm
        signed = np.take_along_axis(minima, following, axis=1)
        for row, i in enumerate(long):
            out[i] = signed[row]
        return out

    def similarity(self, a: str, b: str) -> float:
        """Jaccard similarity of two texts as estimated from their signatures."""
        return float(np.mean(self.signature(normalise_text(a)) == self.signature(normalise_text(b))))

    def _salt_of(self, task: str) -> np.uint64:
        salt = self._task_salt.get(task)
        if salt is None:
            salt = self._task_salt[task] = _U64(_constant(self.seed, f"task|{task}"))
        return salt

    # -- the filter -----------------------------------------------------------------------

    def drop_reason(self, record: Record, task: str) -> str | None:
        """``"near duplicate"`` when a kept record of the same task is similar enough, else
        None (and the record is remembered as kept)."""
        if self._last[0] == id(record) and self._last[1] is record:
            sig = self._last[2]
        else:
            sig = self.signature_of(record)
            self._last = (id(record), record, sig)
        return self.check_signature(sig, task)

    def signature_of(self, record: Record) -> np.ndarray | None:
        """The record's signature (None when it has no input text); a pure function of the
        record, so the export computes it in worker processes."""
        text = self.text_of(record)
        return self.signature(text) if text else None

    def check_signature(self, sig: np.ndarray | None, task: str) -> str | None:
        """:meth:`drop_reason` on a signature from :meth:`signature_of` (order-dependent:
        called in record order)."""
        if sig is None:
            return None
        keys, small = self.prepare(sig[None, :])
        return self.check_prepared(keys[0], small[0], task)

    def prepare(self, signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What the order-dependent check needs from signatures (one per row): the LSH band
        keys before the task's salt (``uint64``, one per band) and the 8-bit signatures kept
        for verification. Pure and vectorised: the export computes it in worker processes."""
        bands = signatures[:, : self.bands * self.rows].reshape(len(signatures), self.bands, self.rows)
        keys = (bands @ self._row_mult) + self._band_salt
        return keys, (signatures >> self._byte_shift).astype(np.uint8)

    def check_prepared(self, band_keys: np.ndarray, small: np.ndarray, task: str) -> str | None:
        """``"near duplicate"`` when a kept record of the same task shares a band key and is
        similar enough, else None (and the record is kept)."""
        return self.check_many((band_keys + self._salt_of(task))[None, :], small[None, :])[0]

    def task_salts(self, tasks: list[str]) -> np.ndarray:
        """The salt each task adds to band keys (so only records of one task meet)."""
        return np.array([self._salt_of(task) for task in tasks], dtype=_U64)

    def check_many(self, keys: np.ndarray, small: np.ndarray) -> list[str | None]:
        """:meth:`check_prepared` for many checks in order, given salted band keys (one row
        per check) and 8-bit signatures. The sorted-array lookups of all rows are done
        together (again after a merge changes the arrays); the rest runs row by row."""
        reasons: list[str | None] = []
        start = 0
        while start < len(keys):
            merges = self._merges
            found, owners = self._lookup_sorted(keys[start:])
            key_lists = keys[start:].tolist()
            for offset, key_list in enumerate(key_lists):
                reasons.append(self._check_one(key_list, small[start + offset], found[offset], owners[offset]))
                if self._merges != merges:
                    break
            start += offset + 1
        return reasons

    def _check_one(self, key_list: list[int], small: np.ndarray, found: list[bool], owners: list[int]) -> str | None:
        recent = self._recent
        candidates = {recent[k] for k in key_list if k in recent}
        candidates.update(owner for hit, owner in zip(found, owners) if hit)
        for other in sorted(candidates):
            if self._estimate(small, self._sigs[other]) >= self.threshold:
                return "near duplicate"
        self._keep(small, key_list, found)
        return None

    def _lookup_sorted(self, keys: np.ndarray) -> tuple[list[list[bool]], list[list[int]]]:
        """For a matrix of keys: which are in the sorted arrays and their owners (as lists).
        The bitmap of the keys' top bits answers most (a miss is certain); only the rest pay
        a binary search."""
        found = np.zeros(keys.shape, dtype=bool)
        owners = np.zeros(keys.shape, dtype=np.uint32)
        if len(self._keys):
            slots = keys >> _BITMAP_SHIFT
            maybe = np.flatnonzero((self._bitmap[slots >> _U64(3)] >> (slots & _U64(7)).astype(np.uint8)) & np.uint8(1))
            if len(maybe):
                wanted = keys.ravel()[maybe]
                pos = np.searchsorted(self._keys, wanted)
                pos[pos == len(self._keys)] = 0
                hit = self._keys[pos] == wanted
                found.ravel()[maybe[hit]] = True
                owners.ravel()[maybe[hit]] = self._owners[pos[hit]]
        return found.tolist(), owners.tolist()

    def __getstate__(self) -> dict:
        # pickled for worker processes without a reference to the last record
        return {**self.__dict__, "_last": (0, None, None)}

    def fresh(self) -> NearDedup:
        """A filter with the same parameters and nothing kept (what a worker process needs
        to compute signatures)."""
        return NearDedup(self.threshold, self.seed, self.num_perm, self.ngram)

    def _estimate(self, a: np.ndarray, b: np.ndarray) -> float:
        """Jaccard from 8-bit signatures, corrected for chance 8-bit collisions (b-bit MinHash)."""
        equal = np.count_nonzero(a == b) / self.num_perm
        return (equal - 1 / 256) / (1 - 1 / 256)

    def _keep(self, small: np.ndarray, key_list: list[int], in_sorted: list[bool]) -> None:
        index = self.kept
        if index == len(self._sigs):
            self._sigs = np.concatenate([self._sigs, np.zeros_like(self._sigs)])
        self._sigs[index] = small
        self.kept += 1
        recent = self._recent
        for k, old in zip(key_list, in_sorted):
            if not old and k not in recent:
                recent[k] = index
        if len(recent) >= _FLUSH_KEYS:
            self._merge(np.fromiter(recent.keys(), _U64, len(recent)), np.fromiter(recent.values(), np.uint32, len(recent)))
            recent.clear()

    def _merge(self, keys: np.ndarray, owners: np.ndarray) -> None:
        """Merge (key, owner) pairs not yet in the sorted arrays into them."""
        self._merges += 1
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        pos = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, pos, keys)
        self._owners = np.insert(self._owners, pos, owners)
        if not len(self._bitmap):
            self._bitmap = np.zeros(1 << (64 - _BITMAP_SHIFT_BITS - 3), dtype=np.uint8)
        slots = keys >> _BITMAP_SHIFT
        np.bitwise_or.at(self._bitmap, slots >> _U64(3), np.left_shift(np.uint8(1), (slots & _U64(7)).astype(np.uint8)))

    # -- resume -----------------------------------------------------------------------------

    def save_state(self, path: Path) -> None:
        """Write what was kept since the previous save (the pipeline saves once per dataset)."""
        base = self._saved
        rk = np.fromiter(self._recent.keys(), _U64, len(self._recent))
        ro = np.fromiter(self._recent.values(), np.uint32, len(self._recent))
        new_recent = ro >= base
        new_sorted = self._owners >= base
        keys = np.concatenate([self._keys[new_sorted], rk[new_recent]])
        owners = np.concatenate([self._owners[new_sorted], ro[new_recent]]) - np.uint32(base)
        with open(path, "wb") as handle:
            np.savez(
                handle, keys=keys, owners=owners, sigs=self._sigs[base : self.kept],
                params=np.array([self.num_perm, self.ngram, self.bands, self.rows, self.seed], dtype=np.int64),
                threshold=np.array([self.threshold]),
            )
        self._saved = self.kept

    def load_state(self, path: Path) -> None:
        """Add what a :meth:`save_state` file holds (when resuming an export).

        Raises:
            ValueError: the file was written with other parameters.
        """
        path = Path(path)
        if not path.exists():
            return
        with np.load(path) as data:
            params = data["params"].tolist()
            mine = [self.num_perm, self.ngram, self.bands, self.rows, self.seed]
            if params != mine or not math.isclose(float(data["threshold"][0]), self.threshold):
                raise ValueError(f"{path}: near-dedup state written with other parameters ({params} vs {mine})")
            sigs, keys, owners = data["sigs"], data["keys"], data["owners"]
        base = self.kept
        need = base + len(sigs)
        if need > len(self._sigs):
            grown = np.zeros((max(need, 2 * len(self._sigs)), self.num_perm), dtype=np.uint8)
            grown[:base] = self._sigs[:base]
            self._sigs = grown
        self._sigs[base:need] = sigs
        self.kept = self._saved = need
        owners = owners.astype(np.uint32) + np.uint32(base)
        if len(self._keys):
            fresh = ~np.array(self._lookup_sorted(keys[None, :])[0][0], dtype=bool)
            keys, owners = keys[fresh], owners[fresh]
        recent = self._recent
        fresh = np.fromiter((k not in recent for k in keys.tolist()), bool, len(keys))
        self._merge(keys[fresh], owners[fresh])
