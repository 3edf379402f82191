"""Bootstrap the shipped seed corpus in annotations/ from the raw seed articles.

Run once, from the repository root:

    python scripts/build_seed_corpus.py --seeds ../shared/seeds --out annotations

It reads the five scraped articles byte-exactly, records what their text shows
about outlet, date and title, marks the scraped boilerplate with
``biaskit.mark_boilerplate`` (never deleting text), and writes the corpus
folder with the framing schema. After that, annotations/ is the source of
truth: annotators edit its spans files, and this script refuses to overwrite
them unless given --overwrite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from biaskit import (
    AttributeSpec,
    Corpus,
    Document,
    LabelSpec,
    Schema,
    mark_boilerplate,
    save_corpus,
)
from biaskit.clean import BOILERPLATE_KINDS

# What each seed's own text shows about its provenance. Where the text does not
# name the outlet, the outlet is "unknown" and metadata says what the text does show.
SEEDS: dict[str, dict[str, object]] = {
    "000_cfe5febfa8fc3818": {
        "outlet": "RT",
        "title": "US bringing missile defense systems to Iraq in bid to protect troops "
        "against 'potential Iranian attack' – CENTCOM",
        "date": "2020-03-10T16:12",
        "metadata": {
            "outlet_evidence": "the related link 'Also on rt.com' in the text",
            "scraped_from": "000_cfe5febfa8fc3818.txt",
        },
    },
    "001_d7888534bf1e186c": {
        "outlet": "unknown",
        "title": "US boosting Iraq base fearing Iran’s further retaliatory attacks",
        "date": "2020-03-11T10:16",
        "metadata": {
            "outlet_evidence": "the text names no outlet; its footer 'Story Code: 454560' and "
            "its terms ('Leader of the Islamic Revolution', 'Takfiri terror group', 'the "
            "atrocity') suggest Iranian state media, which is an inference, not shown",
            "scraped_from": "001_d7888534bf1e186c.txt",
        },
    },
    "002_3e32069099ff1846": {
        "outlet": "BulgarianMilitary",
        "title": "After missile strikes, US and Iran enter a new phase of escalation",
        "date": None,
        "metadata": {
            "outlet_evidence": "the dateline 'MOSCOW, (BM) –', BulgarianMilitary's own "
            "abbreviation, and its 'Editorial team' footer",
            "date_note": "no date is printed; the text says 'yesterday, March 12', so it "
            "was most likely published on 2020-03-13",
            "scraped_from": "002_3e32069099ff1846.txt",
        },
    },
    "003_bf8448b7b28d95a6": {
        "outlet": "unknown",
        "title": "U.S. Threatens Iran’s Allies In Iraq With Preemptive Strike",
        "date": None,
        "metadata": {
            "outlet_evidence": "the text names no outlet; its donation bar ('0 $ … 5,000 $', "
            "'Consider helping us!') resembles SouthFront's, which is an inference, not shown",
            "date_note": "no date is printed; it reports a call on March 22, 2020, so it was "
            "published on or after 2020-03-22",
            "scraped_from": "003_bf8448b7b28d95a6.txt",
        },
    },
    "004_7ad6a651d57beef3": {
        "outlet": "RT",
        "title": "Pentagon says Trump ‘directed’ assassination of Iran's Quds Force chief "
        "Soleimani to ‘deter future Iranian attacks’",
        "date": "2020-01-03T02:55",
        "metadata": {
            "outlet_evidence": "the related link 'ALSO ON RT.COM' in RT's article text",
            "publisher": "a blog reposting RT's article (Blogger footer: '0 Comments:', "
            "'Post a Comment', '<< Home'); the wording is RT's",
            "scraped_from": "004_7ad6a651d57beef3.txt",
        },
    },
}

_COMMON = [
    AttributeSpec("target", description="Who or what the device is aimed at."),
    AttributeSpec(
        "polarity",
        values=("negative", "positive", "neutral"),
        description="The device's stance toward its target.",
    ),
    AttributeSpec(
        "voice",
        values=("author", "quoted"),
        description="The writer's own wording, or inside a quotation.",
    ),
    AttributeSpec("speaker", description="Who is quoted, when voice is quoted."),
    AttributeSpec("neutral_alternative", description="A wording that would not carry the device."),
    AttributeSpec(
        "origin",
        description="What made the span: absent for hand annotation, else the rule or "
        "model (for example 'biaskit.clean').",
    ),
]


def framing_schema() -> Schema:
    """Return the draft framing schema (codebook 0.1; the codebook issue revises it)."""
    return Schema(
        "biaskit-framing",
        "0.1",
        [
            LabelSpec(
                "EVENT_TERM",
                description="A loaded name for an event or action, chosen among competing "
                "names for the same happening (euphemism, dysphemism, agency-hiding).",
                color="#d95f02",
                attributes=[
                    AttributeSpec("concept", description="Variant-registry concept."),
                    AttributeSpec("variant", description="Variant-registry variant."),
                    AttributeSpec(
                        "register", values=("loaded", "euphemism", "dysphemism", "neutral")
                    ),
                    AttributeSpec("agency", values=("explicit", "implied", "deleted")),
                ],
            ),
            LabelSpec(
                "ACTOR_LABEL",
                description="A designation placing a person or group in an evaluated "
                "category, affiliation or legitimacy status.",
                color="#7570b3",
                attributes=[
                    AttributeSpec("concept", description="Variant-registry concept."),
                    AttributeSpec("variant", description="Variant-registry variant."),
                    AttributeSpec(
                        "label_kind",
                        values=("category", "affiliation", "official_name", "honorific"),
                    ),
                    AttributeSpec(
                        "legitimacy", values=("legitimising", "delegitimising", "neutral")
                    ),
                ],
            ),
            LabelSpec(
                "EPITHET",
                description="A removable evaluative modifier: praise, pejorative, "
                "intensifier, superlative.",
                color="#e7298a",
                attributes=[
                    AttributeSpec(
                        "kind", values=("praise", "pejorative", "intensifier", "superlative")
                    )
                ],
            ),
            LabelSpec(
                "SCARE_QUOTE",
                description="Quotation marks, or so-called / self-styled, that use a term "
                "while distancing from it; the span includes the marks.",
                color="#66a61e",
                attributes=[
                    AttributeSpec("marker", values=("quotes", "so-called", "self-styled")),
                    AttributeSpec("voice_origin", values=("internal", "external")),
                    AttributeSpec("attitude", values=("distancing", "ironic", "gloss")),
                ],
            ),
            LabelSpec(
                "ATTRIBUTION",
                description="The reporting cue tying content to a source (neutral 'said' "
                "too); source and stance as attributes.",
                color="#1b9e77",
                attributes=[
                    AttributeSpec("source", description="Who the content is attributed to."),
                    AttributeSpec(
                        "source_type",
                        values=(
                            "named_official",
                            "named_other",
                            "anonymous",
                            "vague",
                            "media",
                            "document",
                        ),
                    ),
                    AttributeSpec(
                        "verb_stance",
                        values=("neutral", "distancing", "endorsing", "emotive"),
                    ),
                    AttributeSpec("quote_type", values=("direct", "partial", "indirect", "none")),
                ],
            ),
            LabelSpec(
                "EPISTEMIC",
                description="An unsourced hedge or booster changing commitment to a claim.",
                color="#e6ab02",
                attributes=[AttributeSpec("direction", values=("down", "up"))],
            ),
            LabelSpec(
                "INFORMATIONAL",
                description="A clause whose content slants the account even in neutral "
                "words (BASIL's informational bias).",
                color="#a6761d",
            ),
            LabelSpec(
                "BOILERPLATE",
                description="Scraped page furniture, not article text: navigation, share "
                "prompts, related links, donation bars, repost footers. Nothing is "
                "annotated inside it.",
                color="#999999",
                attributes=[AttributeSpec("kind", values=tuple(BOILERPLATE_KINDS))],
            ),
        ],
        common_attributes=_COMMON,
        description="Framing devices in news text (draft; see docs/codebook.md when written).",
    )


def build(seeds: Path) -> Corpus:
    """Read the seed articles and return the corpus with boilerplate marked."""
    documents = []
    for stem, info in SEEDS.items():
        # newline="" keeps the exact text: no newline translation.
        with (seeds / f"{stem}.txt").open(encoding="utf-8", newline="") as stream:
            text = stream.read()
        documents.append(
            Document(
                stem,
                text,
                outlet=str(info["outlet"]),
                title=str(info["title"]),
                date=info["date"] if isinstance(info["date"], str) else None,
                language="en",
                metadata=info["metadata"],  # type: ignore[arg-type]
            )
        )
    sets = [mark_boilerplate(doc) for doc in documents]
    return Corpus(documents, framing_schema(), [s for s in sets if s.spans])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="folder of the seed .txt files")
    parser.add_argument("--out", type=Path, default=Path("annotations"))
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args(argv)
    corpus = build(args.seeds)
    save_corpus(corpus, args.out, overwrite=args.overwrite)
    print(f"wrote {len(corpus)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
