"""A corpus: documents, the label schema, and every annotator's spans over them.

Examples
--------
>>> from biaskit.model import AnnotationSet, Document, Span
>>> from biaskit.schema import LabelSpec, Schema
>>> schema = Schema("demo", "1.0", [LabelSpec("EVENT_TERM")])
>>> d1 = Document("d1", "The assassination.", outlet="A")
>>> d2 = Document("d2", "The killing.", outlet="B")
>>> corpus = Corpus([d1, d2], schema, [AnnotationSet(d1, "alice", [Span(4, 17, "EVENT_TERM")])])
>>> corpus.document("d1").outlet, corpus.outlets, corpus.annotators
('A', ('A', 'B'), ('alice',))
>>> [(doc.id, span.label) for doc, span in corpus.spans(annotator="alice")]
[('d1', 'EVENT_TERM')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from biaskit.model import AnnotationSet, Document, Span
from biaskit.schema import Schema

__all__ = ["Corpus"]


def _doc_tuple(docs: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(docs)


def _set_tuple(sets: Iterable[AnnotationSet]) -> tuple[AnnotationSet, ...]:
    return tuple(sets)


@attrs.frozen
class Corpus:
    """Documents, a schema, and annotation sets per (document, annotator).

    Documents keep the order given (the order of the documents file);
    annotation sets are looked up by document id and annotator.

    Parameters
    ----------
    documents : iterable of Document
        Documents with unique ids.
    schema : Schema
        The label schema every span is checked against.
    annotations : iterable of AnnotationSet
        At most one set per (document, annotator); each set's document must be
        the corpus's document of that id.
    """

    documents: tuple[Document, ...] = attrs.field(converter=_doc_tuple)
    schema: Schema
    annotations: tuple[AnnotationSet, ...] = attrs.field(default=(), converter=_set_tuple)
    _docs: dict[str, Document] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _sets: dict[tuple[str, str], AnnotationSet] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        docs: dict[str, Document] = {}
        for doc in self.documents:
            if doc.id in docs:
                raise ValueError(f"document id {doc.id!r} appears twice in the corpus")
            docs[doc.id] = doc
        sets: dict[tuple[str, str], AnnotationSet] = {}
        for aset in self.annotations:
            known = docs.get(aset.document.id)
            if known is None:
                raise ValueError(
                    f"annotations by {aset.annotator!r} point at document {aset.document.id!r}, "
                    "which is not in the corpus"
                )
            if known != aset.document:
                raise ValueError(
                    f"annotations by {aset.annotator!r} were made on a different version of "
                    f"document {aset.document.id!r}"
                )
            key = (aset.document.id, aset.annotator)
            if key in sets:
                raise ValueError(
                    f"two annotation sets by {aset.annotator!r} for document {aset.document.id!r}"
                )
            sets[key] = aset
        object.__setattr__(self, "_docs", docs)
        object.__setattr__(self, "_sets", sets)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._docs

    def document(self, document_id: str) -> Document:
        """Return the document with ``document_id``.

        Raises
        ------
        KeyError
            If there is none.
        """
        try:
            return self._docs[document_id]
        except KeyError:
            raise KeyError(f"no document {document_id!r} in the corpus") from None

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets of the documents, sorted."""
        return tuple(sorted({doc.outlet for doc in self.documents}))

    @property
    def annotators(self) -> tuple[str, ...]:
        """The annotators with at least one annotation set, sorted."""
        return tuple(sorted({a.annotator for a in self.annotations}))

    def by_outlet(self, outlet: str) -> tuple[Document, ...]:
        """Return the documents of ``outlet``, in corpus order."""
        return tuple(doc for doc in self.documents if doc.outlet == outlet)

    def annotation_set(self, document_id: str, annotator: str) -> AnnotationSet:
        """Return ``annotator``'s set for the document (an empty set if they marked nothing).

        Raises
        ------
        KeyError
            If the document is not in the corpus.
        """
        document = self.document(document_id)
        found = self._sets.get((document_id, annotator))
        return found if found is not None else AnnotationSet(document, annotator)

    def annotation_sets(
        self, *, annotator: str | None = None, document_id: str | None = None
    ) -> tuple[AnnotationSet, ...]:
        """Return the annotation sets, optionally of one annotator or one document.

        Sets come in document order, then annotator order.
        """
        order = {doc.id: i for i, doc in enumerate(self.documents)}
        found = [
            aset
            for aset in self.annotations
            if (annotator is None or aset.annotator == annotator)
            and (document_id is None or aset.document.id == document_id)
        ]
        return tuple(sorted(found, key=lambda a: (order[a.document.id], a.annotator)))

    def spans(
        self, *, annotator: str | None = None, label: str | None = None
    ) -> Iterator[tuple[Document, Span]]:
        """Iterate ``(document, span)`` pairs, optionally of one annotator or label."""
        for aset in self.annotation_sets(annotator=annotator):
            for span in aset.spans:
                if label is None or span.label == label:
                    yield aset.document, span

    def with_annotations(self, sets: Iterable[AnnotationSet], *, replace: bool = False) -> Corpus:
        """Return a corpus with ``sets`` added (or, with ``replace``, replacing same-key sets)."""
        new = list(sets)
        keys = {(a.document.id, a.annotator) for a in new}
        kept = [
            a for a in self.annotations if not replace or (a.document.id, a.annotator) not in keys
        ]
        return attrs.evolve(self, annotations=(*kept, *new))
