"""The privacy check of free text that is not part of a review: what teams write back about
one (discussion returns, learning/returns/). The same scanner as reviews
(`scanner.scan_text`), with the review's protected names and its own stand-in names, so a
team that writes the child's real name is held exactly as an editor would be."""

from reviews.models import Review
from reviews.privacy import scanner as privacy
from reviews.privacy.review_scan import KIND_LABELS
from reviews.privacy.stored_names import protected_names_matchers


def free_text_scan(*, texts: dict[str, str], review: Review | None = None) -> list[dict]:
    """Findings in each named text, as plain data to keep with what was scanned:
    `{"field", "kind", "label", "excerpt"}`, in the order of `texts`, then of the text."""
    matchers = protected_names_matchers(review=review)
    pseudonyms = [review.title, review.child_pseudonym] if review is not None else []
    findings = []
    for name, text in texts.items():
        if not text:
            continue
        found = privacy.scan_text(
            text,
            protected_names=matchers[0] if matchers else (),
            pseudonyms=[name for name in pseudonyms if name],
        )
        for matcher in matchers[1:]:
            found += matcher.scan(text)
        seen = set()
        for finding in sorted(found, key=lambda f: (f.start, f.end, f.kind)):
            if (finding.kind, finding.start, finding.end) in seen:
                continue
            seen.add((finding.kind, finding.start, finding.end))
            findings.append(
                {
                    "field": name,
                    "kind": finding.kind,
                    "label": KIND_LABELS.get(finding.kind, finding.kind),
                    "excerpt": finding.excerpt,
                }
            )
    return findings
