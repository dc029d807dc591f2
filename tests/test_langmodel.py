"""The language model mapped from disk answers exactly as py3langid's own loader."""

from __future__ import annotations

import mmap
import os
from typing import Any

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from pipelines.extraction.langmodel import mapped_identifier, release_mapped_pages
from pipelines.extraction.language import _identifier, detect

TEXTS = [
    "The harbour committee met again on Thursday and, once more, nobody mentioned the tide.",
    "Der Hafenausschuss traf sich am Donnerstag wieder, und niemand sprach von der Flut.",
    "Le comité du port s'est réuni jeudi, et personne n'a parlé de la marée montante.",
    "Портовый комитет снова собрался в четверг, и никто не вспомнил о приливе.",
    "El comité del puerto volvió a reunirse el jueves y nadie habló de la marea.",
    "Komitet portowy zebrał się znowu w czwartek i nikt nie wspomniał o przypływie.",
    "港湾委員会は木曜日に再び集まったが、誰も潮のことを口にしなかった。",
    "",
    "2024-03-05 12:30",
]


@pytest.fixture(scope="module")
def loaded() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize("text", TEXTS)
def test_mapped_model_classifies_and_ranks_as_the_loaded_one(loaded, text: str) -> None:
    mapped = mapped_identifier(norm_probs=True)
    assert mapped.classify(text) == loaded.classify(text)
    assert mapped.rank(text) == loaded.rank(text)


def _owner(buffer: Any) -> Any:
    """The object that really holds a buffer's bytes (through arrays' bases and memoryviews)."""
    while True:
        if isinstance(buffer, memoryview):
            buffer = buffer.obj
        elif getattr(buffer, "base", None) is not None:
            buffer = buffer.base
        else:
            return buffer


def test_the_detector_maps_its_large_arrays_instead_of_copying_them_into_the_heap() -> None:
    # Loaded, they were ~65 MB of the extraction pool's forkserver; mapped, a crawl whose
    # languages are confirmed without the detector never reads them.
    identifier = _identifier()
    assert isinstance(_owner(identifier.nb_ptc), mmap.mmap)
    assert isinstance(identifier.tk_nextmove, memoryview)
    assert isinstance(_owner(identifier.tk_nextmove), mmap.mmap)


def test_released_pages_are_read_again_on_the_next_classification(loaded) -> None:
    mapped = mapped_identifier(norm_probs=True)
    assert mapped.classify(TEXTS[1]) == loaded.classify(TEXTS[1])
    release_mapped_pages()  # what the pool's forkserver does after its warm-up
    assert [mapped.classify(t) for t in TEXTS] == [loaded.classify(t) for t in TEXTS]


def _mapped_model_kb() -> int:
    """Resident KB of this process's mappings of deleted files (the model's temporary file)."""
    resident, in_model = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
                in_model = line.rstrip().endswith("(deleted)")
            elif in_model and fields[0] == "Rss:":
                resident += int(fields[1])
    return resident


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux's /proc")
def test_a_detection_leaves_no_model_pages_in_the_process() -> None:
    # An extraction worker kept the ~40 MB it read in its first detection until recycled.
    assert detect(TEXTS[1])[0] == "de"
    assert _mapped_model_kb() < 1024


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux's /proc")
def test_a_classification_maps_in_little_of_the_model() -> None:
    # Written from 1 MiB pieces, the model sat in the page cache in large folios, and each
    # byte a classification read mapped its whole folio: 52 MB of an extraction worker's
    # memory while it detected (4N crawls peaked with one worker 14-18 MB above the other),
    # 16 MB from 64 KiB pieces.
    mapped = mapped_identifier(norm_probs=True)
    release_mapped_pages()
    before = _mapped_model_kb()
    assert [mapped.classify(text)[0] for text in (TEXTS[0], TEXTS[3])] == ["en", "ru"]
    assert _mapped_model_kb() - before < 32 * 1024
