"""Bootstrap the shipped seed corpus in annotations/ from the raw seed articles.

Run once, from the repository root:

    python scripts/build_seed_corpus.py --seeds ../shared/seeds --out annotations

It reads the five scraped articles byte-exactly, records what their text shows
about outlet, date and title, marks the scraped boilerplate with
``biaskit.mark_boilerplate`` (never deleting text), and writes the corpus
folder with the framing schema. After that, annotations/ is the source of
truth: annotators edit its spans files, and this script refuses to overwrite
them unless given --overwrite. The variant registry annotations/variants.json is
hand-maintained data beside the corpus files; this script does not write it.
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

CODEBOOK_VERSION = "1.1"
"""The version of docs/codebook.md that the schema implements."""

_COMMON = [
    AttributeSpec(
        "target",
        description="Who or what the device is aimed at: the person, group, state or event "
        "it evaluates (for example 'Soleimani', 'US', 'PMF').",
    ),
    AttributeSpec(
        "polarity",
        values=("negative", "positive", "neutral"),
        description="The device's stance toward its target.",
    ),
    AttributeSpec(
        "voice",
        values=("author", "quoted"),
        description="'author' for the writer's own wording, indirect speech included; "
        "'quoted' inside quotation marks (or a displayed quotation) of someone else.",
    ),
    AttributeSpec(
        "speaker",
        description="Who is quoted, when voice is 'quoted' (as named in the text).",
    ),
    AttributeSpec(
        "neutral_alternative",
        description="A wording that would not carry the device (the registry anchor where "
        "there is one).",
    ),
    AttributeSpec(
        "origin",
        description="What made the span: absent for hand annotation, else the rule or "
        "model (for example 'biaskit.clean' or 'biaskit.variants').",
    ),
    AttributeSpec(
        "confidence",
        type="number",
        description="A model's probability for a span it predicted; absent for hand annotation.",
    ),
]

_CONCEPT = AttributeSpec(
    "concept", description="The concept id in the variant registry (annotations/variants.json)."
)
_VARIANT = AttributeSpec(
    "variant", description="The variant id within the concept in the variant registry."
)


def framing_schema() -> Schema:
    """Return the framing schema of codebook 1.1 (docs/codebook.md)."""
    return Schema(
        "biaskit-framing",
        CODEBOOK_VERSION,
        [
            LabelSpec(
                "EVENT_TERM",
                description="A loaded name for an event or action, chosen among competing "
                "names for the same happening (including euphemism, dysphemism and "
                "agency-hiding); it must be replaced, not deleted, to neutralise the text.",
                color="#d95f02",
                attributes=[
                    _CONCEPT,
                    _VARIANT,
                    AttributeSpec(
                        "register",
                        values=("loaded", "euphemism", "dysphemism"),
                        description="How the name departs from the neutral one.",
                    ),
                    AttributeSpec(
                        "agency",
                        values=("explicit", "implied", "deleted"),
                        description="Whether the clause names who did it.",
                    ),
                ],
            ),
            LabelSpec(
                "ACTOR_LABEL",
                description="A designation placing a person or group in an evaluated "
                "category, an affiliation (including pre-modifiers such as 'pro-Iranian') "
                "or a legitimacy status; it must be replaced, not deleted, to neutralise.",
                color="#7570b3",
                attributes=[
                    _CONCEPT,
                    _VARIANT,
                    AttributeSpec(
                        "label_kind",
                        values=("category", "affiliation", "honorific", "alternative_name"),
                        description="What kind of designation it is.",
                    ),
                    AttributeSpec(
                        "legitimacy",
                        values=("legitimising", "delegitimising", "neutral"),
                        description="Whether it grants or denies the target legitimacy.",
                    ),
                ],
            ),
            LabelSpec(
                "EPITHET",
                description="A removable evaluative modifier: praise, pejorative, "
                "intensifier, superlative or minimiser; deleting it leaves the referent intact.",
                color="#e7298a",
                attributes=[
                    AttributeSpec(
                        "kind",
                        values=("praise", "pejorative", "intensifier", "superlative", "minimiser"),
                        description="What the modifier does.",
                    )
                ],
            ),
            LabelSpec(
                "SCARE_QUOTE",
                description="Quotation marks (or 'so-called', 'self-styled') that use a term "
                "while distancing from it, decided by the codebook's ordered test; the span "
                "runs from the opening mark through the closing mark.",
                color="#66a61e",
                attributes=[
                    AttributeSpec(
                        "marker",
                        values=("quotes", "so-called", "self-styled"),
                        description="What signals the distance.",
                    ),
                    AttributeSpec(
                        "voice_origin",
                        values=("internal", "external"),
                        description="'external' when the quoted term echoes a party's "
                        "slogan or label, else 'internal' (the writer's own coinage).",
                    ),
                    AttributeSpec(
                        "attitude",
                        values=("distancing", "ironic", "gloss"),
                        description="What the marks do to the term.",
                    ),
                ],
            ),
            LabelSpec(
                "ATTRIBUTION",
                description="The reporting cue tying content to a source, neutral 'said' "
                "included so that stance is countable; the cue only, with source and stance "
                "as attributes.",
                color="#1b9e77",
                attributes=[
                    AttributeSpec(
                        "source", description="Who the content is attributed to, as named."
                    ),
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
                        description="What kind of source it is.",
                    ),
                    AttributeSpec(
                        "verb_stance",
                        values=("neutral", "distancing", "endorsing", "emotive"),
                        description="What the cue says about the content or the speaker.",
                    ),
                    AttributeSpec(
                        "quote_type",
                        values=("direct", "partial", "indirect"),
                        description="How the content is rendered.",
                    ),
                ],
            ),
            LabelSpec(
                "EPISTEMIC",
                description="An unsourced hedge or booster that lowers or raises the "
                "writer's commitment to a claim (presumably, apparently, allegedly, clearly).",
                color="#e6ab02",
                attributes=[
                    AttributeSpec(
                        "direction",
                        values=("down", "up"),
                        description="'down' for a hedge, 'up' for a booster.",
                    )
                ],
            ),
            LabelSpec(
                "INFORMATIONAL",
                description="A clause whose content slants the account even in neutral "
                "words (BASIL's informational bias): it survives a neutral rewrite.",
                color="#a6761d",
            ),
            LabelSpec(
                "BOILERPLATE",
                description="Scraped page furniture, not article text: navigation, share "
                "prompts, related links, donation bars, repost footers. Nothing is "
                "annotated inside it.",
                color="#999999",
                attributes=[
                    AttributeSpec(
                        "kind",
                        # Sorted: BOILERPLATE_KINDS is a set, whose order varies by run.
                        values=tuple(sorted(BOILERPLATE_KINDS)),
                        description="What kind of furniture it is.",
                    )
                ],
            ),
        ],
        common_attributes=_COMMON,
        description="Framing devices in news text: the labels of the biaskit framing "
        "codebook (docs/codebook.md), whose version this schema implements.",
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
