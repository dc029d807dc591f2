"""The language detector's model mapped from disk: in memory are the parts classifying reads.

py3langid loads its whole model into the heap: 27 MB of feature weights and 37 MB of DFA
rows in every process that detects once, ~65 MB of the extraction pool's forkserver, which
its workers share but a crawl of English or Russian pages (whose declared language is
confirmed without the detector) never reads. Here the model's uncompressed archive is
written once per process to an unlinked temporary file and its two large arrays are mapped
from it read-only: a classification pages in the rows it walks, the kernel can drop them
again, and forked workers share them. The classifier is py3langid's own, given the same
arrays, so its answers are identical.
"""

from __future__ import annotations

import lzma
import mmap
import shutil
import struct
import tempfile
import zipfile
from array import array
from typing import IO, Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

__all__ = ["mapped_identifier", "release_mapped_pages"]

# Written in pieces this small: the page cache holds a write in folios of up to its size
# (Linux 6.x), and a read of a mapped byte maps its whole folio. From 1 MiB writes, one
# classification of two sentences mapped 52 MB of the model into the worker for its
# duration; from 64 KiB ones, 16 MB (the kernel's fault-around reads 64 KiB anyway).
WRITE_BYTES = 64 * 1024
_MAPPINGS: list[mmap.mmap] = []  # every model mapping of this process, for release_mapped_pages
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip member's local file header
_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


def mapped_identifier(norm_probs: bool = True) -> LanguageIdentifier:
    """py3langid's bundled model, its large arrays mapped from an unlinked temporary file."""
    with tempfile.TemporaryFile(suffix=".npz") as archive:
        with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
            shutil.copyfileobj(packed, archive, length=WRITE_BYTES)
        archive.flush()
        view = mmap.mmap(archive.fileno(), 0, access=mmap.ACCESS_READ)  # outlives the file
        _advise(view, "MADV_RANDOM")  # rows are read one by one: no read-ahead around them
        _MAPPINGS.append(view)
        with zipfile.ZipFile(archive) as members:
            ptc = _mapped(members, "ptc.npy", archive, view)
            nextmove = _mapped(members, "nextmove.npy", archive, view)
            small = {name: _loaded(members, f"{name}.npy") for name in _SMALL}
    return LanguageIdentifier(
        ptc,
        small["pc"],
        small["classes"].tolist(),
        nextmove.data,  # a memoryview, indexed per byte of text: ints, as py3langid's array
        small["out_feat"].tolist(),
        norm_probs=norm_probs,
        tk_row=_row_array(small["nextmove_row"]),
    )


_SMALL = ("pc", "classes", "nextmove_row", "out_feat")


def _loaded(members: zipfile.ZipFile, name: str) -> np.ndarray[Any, Any]:
    with members.open(name) as member:
        return np.lib.format.read_array(member, allow_pickle=False)


def _mapped(
    members: zipfile.ZipFile, name: str, archive: IO[bytes], view: mmap.mmap
) -> np.ndarray[Any, Any]:
    """A stored (uncompressed) .npy member as a read-only array over the mapped archive."""
    info = members.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{name} is compressed in the model archive: it cannot be mapped")
    archive.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(archive.read(_LOCAL_HEADER.size))
    start = info.header_offset + _LOCAL_HEADER.size + header[10] + header[11]
    archive.seek(start)
    version = np.lib.format.read_magic(archive)
    read_header = _HEADER_READERS.get(version)
    if read_header is None:
        raise ValueError(f"{name}: .npy format {version} not known")
    shape, fortran, dtype = read_header(archive)
    if fortran or dtype.hasobject:
        raise ValueError(f"{name}: not a plain C-ordered array")
    count = int(np.prod(shape))
    array = np.frombuffer(view, dtype=dtype, count=count, offset=archive.tell())
    return array.reshape(shape)


def _row_array(rows: np.ndarray[Any, Any]) -> array[int]:
    """The DFA's row index as py3langid builds it (a stdlib array of the same width)."""
    out = array({2: "H", 4: "I", 8: "L"}[rows.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(rows).tobytes())
    return out


def release_mapped_pages() -> None:
    """Drop this process's hold on the model pages it read; the next read maps them again.

    The extraction pool's forkserver classifies its warm-up pages once and never again: the
    pages it touched (and the kernel mapped around them: ~40 MB) would stay in its share of
    memory for the whole crawl. They stay in the page cache for the workers.
    """
    for view in _MAPPINGS:
        _advise(view, "MADV_DONTNEED")


def _advise(view: mmap.mmap, name: str) -> None:
    advice = getattr(mmap, name, None)  # what the platform offers
    if advice is not None:
        view.madvise(advice)
