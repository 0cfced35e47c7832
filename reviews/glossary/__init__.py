"""The board's glossary (reviews.models.GlossaryTerm): marking terms on public pages
(`marking.py`), reading the glossary (`selectors.py`), changing it (`services.py`), and the
public /glossary/ page (`views.py`). docs/plain-words.md explains it to board staff.
"""
