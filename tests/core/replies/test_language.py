# ruff: noqa: RUF001  (Armenian and Devanagari text is meant to be here)
"""Language of customer mail: six languages, others not mistaken for them, unsure on a word."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop_app.core.replies import language_scan, model_cache
from desktop_app.core.replies.language import (
    OTHERS,
    SUPPORTED,
    _identifier,
    detect_language,
    detect_languages,
    new_text,
)

SAMPLES = {
    "en": "Hello, the kettle I ordered last week still hasn't arrived. Could you look into it?",
    "de": "Guten Tag, der Wasserkocher ist leider noch nicht angekommen. Können Sie nachsehen?",
    "fi": "Hei, tilaamani vedenkeitin ei ole vieläkään tullut. Voisitteko tarkistaa asian?",
    "lv": "Labdien, pasūtītā tējkanna joprojām nav pienākusi. Vai varat, lūdzu, pārbaudīt?",
    "hi": "नमस्ते, पिछले हफ्ते मंगाई गई केतली अभी तक नहीं आई। क्या आप देख सकते हैं?",
    "hy": "Բարև Ձեզ, անցյալ շաբաթ պատվիրած թեյնիկը դեռ չի հասել։ Կարո՞ղ եք ստուգել։",
}


def test_supported_languages() -> None:
    assert SUPPORTED == ("en", "de", "fi", "lv", "hi", "hy")
    assert set(SAMPLES) == set(SUPPORTED)


@pytest.mark.parametrize("code", SUPPORTED)
def test_each_supported_language_is_detected(code: str) -> None:
    assert detect_language(SAMPLES[code]) == code
    assert detect_language(SAMPLES[code].split(".")[0].split("?")[0]) == code  # one clause


def test_close_neighbours_are_not_taken_for_ours() -> None:
    estonian = "Tere, tellitud veekeetja pole siiani kohale jõudnud. Kas saaksite kontrollida?"
    french = "Bonjour, la bouilloire commandée la semaine dernière n'est toujours pas arrivée."
    lithuanian = "Laba diena, užsakytas virdulys vis dar neatkeliavo. Ar galite patikrinti?"
    assert detect_language(estonian) == "et"
    assert detect_language(french) == "fr"
    assert detect_language(lithuanian) == "lt"


def test_too_little_text_is_unsure() -> None:
    for text in ("", "ok", "Thanks!", "👍", "#1042", "   "):
        assert detect_language(text) is None, text


def test_script_decides_for_armenian_and_hindi_even_when_short() -> None:
    assert detect_language("Շնորհակալություն") == "hy"
    assert detect_language("धन्यवाद") == "hi"
    assert detect_language("Order 1042: धन्यवाद, मिल गया") == "hi"


def test_quoted_text_does_not_count() -> None:
    body = (
        "Vielen Dank, das Paket ist heute angekommen und alles ist bestens.\n\n"
        "Am 03.05.2027 um 10:00 schrieb My Shop <help@shop.example>:\n"
        "> Thank you for your order. Your parcel left our warehouse today and should\n"
        "> arrive within two working days. The tracking number is 1Z999.\n"
        "> If you have any questions, just reply to this email and we will help.\n"
    )
    fresh = new_text(body)
    assert "warehouse" not in fresh
    assert detect_language(fresh) == "de"


def _py3langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(SUPPORTED + OTHERS))
    return ident


def test_the_scan_gives_py3langids_very_numbers() -> None:
    assert language_scan.is_known_model(language_scan.model_path())  # else the scan is unused
    assert isinstance(_identifier(), language_scan.Scanner)
    ident = _py3langid()
    scan = language_scan.scanner(ident)
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzäöüõšžāēīūķļņ ÄÖÜ.,!?-'0123456789\nßçéèñ"
    texts = [*SAMPLES.values(), "", "a", "OK THANKS", "ÄÖÜ ÁÉ", "👍 #1042", "x" * 2500]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(200)]
    texts += [" ".join(SAMPLES.values())[i:] for i in range(0, 300, 7)]  # starts mid-word
    for text in texts:
        assert scan.classify(text) == ident.classify(text), text  # the same float
        assert np.array_equal(scan.scores([text])[0], ident._decide(text)), text
    assert scan.classify_many(texts) == [ident.classify(text) for text in texts]  # in one pass
    assert scan.classify_many([]) == []
    assert detect_languages(texts) == [detect_language(text) for text in texts]


def test_another_model_file_is_not_scanned(tmp_path: Path) -> None:
    other = tmp_path / "model.npz.xz"
    other.write_bytes(language_scan.model_path().read_bytes()[:-1] + b"\0")
    assert not language_scan.is_known_model(other)
    assert not language_scan.is_known_model(tmp_path / "missing.npz.xz")


def test_with_another_model_py3langid_classifies(monkeypatch: pytest.MonkeyPatch) -> None:
    from py3langid.langid import LanguageIdentifier

    monkeypatch.setattr(language_scan, "is_known_model", lambda path: False)
    _identifier.cache_clear()
    try:
        assert isinstance(_identifier(), LanguageIdentifier)
        assert detect_language(SAMPLES["lv"]) == "lv"
    finally:
        _identifier.cache_clear()


def test_model_cache_keeps_arrays_and_ignores_damaged_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPDESK_CACHE_DIR", str(tmp_path / "cache"))
    key = "k" * 64
    arrays = {"a": np.arange(1000, dtype=np.uint32), "b": np.array(["en", "de"])}
    assert model_cache.load("m", key) is None  # nothing yet
    model_cache.save("m", key, arrays)
    got = model_cache.load("m", key)
    assert got is not None and set(got) == {"a", "b"}
    assert np.array_equal(got["a"], arrays["a"]) and got["a"].dtype == np.uint32
    assert got["b"].tolist() == ["en", "de"]
    assert model_cache.load("m", "k" * 32 + "x" * 32) is None  # same file name, other key
    entry = model_cache.entry_path("m", key)
    blob = entry.read_bytes()
    entry.write_bytes(blob[:100] + bytes([blob[100] ^ 1]) + blob[101:])  # one bit flipped
    assert model_cache.load("m", key) is None
    entry.write_bytes(blob[: len(blob) // 2])  # cut short
    assert model_cache.load("m", key) is None
    entry.write_bytes(b"")
    assert model_cache.load("m", key) is None
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("SHOPDESK_CACHE_DIR", str(tmp_path / "file"))
    model_cache.save("m", key, arrays)  # cannot be written: no error, no entry
    assert model_cache.load("m", key) is None


def test_language_model_comes_from_the_cache_once_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid.langid import LanguageIdentifier

    monkeypatch.setenv("SHOPDESK_CACHE_DIR", str(tmp_path))
    languages = SUPPORTED + OTHERS
    built = language_scan.load(languages)  # from py3langid's file, then kept
    (entry,) = tmp_path.glob("langid-*.npz")

    def no_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("read py3langid's model file")

    with monkeypatch.context() as patch:
        patch.setattr(LanguageIdentifier, "from_model_file", no_file)
        cached = language_scan.load(languages)
    texts = [*SAMPLES.values(), "Bonjour, où est mon colis ?", "hello", ""]
    ident = _py3langid()
    expected = [ident.classify(text) for text in texts]
    assert cached.classify_many(texts) == built.classify_many(texts) == expected
    blob = entry.read_bytes()
    entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))  # damaged: rebuilt, not used
    assert language_scan.load(languages).classify_many(texts) == expected
    assert entry.read_bytes() == blob


def test_a_new_cache_entry_replaces_the_old_ones_of_its_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPDESK_CACHE_DIR", str(tmp_path))
    arrays = {"a": np.arange(3)}
    model_cache.save("m", "a" * 64, arrays)
    model_cache.save("other", "b" * 64, arrays)
    stale = tmp_path / ".m-killed.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * model_cache.STALE_TEMPORARY_S,) * 2)
    writing = tmp_path / ".m-writing.tmp"  # another process, still writing
    writing.write_bytes(b"half")
    model_cache.save("m", "c" * 64, arrays)  # a new version: its entry replaces the old one
    assert model_cache.load("m", "a" * 64) is None
    assert model_cache.load("m", "c" * 64) is not None
    assert model_cache.load("other", "b" * 64) is not None  # another model's entry stays
    assert not stale.exists() and writing.exists()
