"""Fuzz the INCEpTION reader: an XMI CAS, its ``TypeSystem.xml``, or a JSON CAS.

The XMI files and the type system are written by :func:`biaskit.save_inception`;
the JSON CAS is the same CAS saved by dkpro-cassis, as INCEpTION exports it.
"""

from __future__ import annotations

from pathlib import Path

from _common import Harness, foreign_check, main, seed_corpus

from biaskit.io.inception import save_inception


def build(folder: Path) -> Path:
    """Write XMI files per annotator, with bob's d1 as a JSON CAS; return the folder."""
    import cassis

    save_inception(seed_corpus(), folder)
    with (folder / "bob" / "TypeSystem.xml").open("rb") as stream:
        typesystem = cassis.load_typesystem(stream)
    with (folder / "bob" / "d1.xmi").open("rb") as stream:
        cas = cassis.load_cas_from_xmi(stream, typesystem=typesystem)
    (folder / "bob" / "d1.xmi").unlink()
    (folder / "bob" / "d1.json").write_text(cas.to_json(), encoding="utf-8")
    return folder


HARNESS = Harness(
    build,
    {"xmi": "alice/d1.xmi", "typesystem": "alice/TypeSystem.xml", "json": "bob/d1.json"},
    foreign_check("inception"),
)

if __name__ == "__main__":
    main(HARNESS)
