"""The assurance report for board staff: /admin/assurance/ (docs/assurance-report.md).

`selectors.py` reads (counts by BRAG per agency and per review, overdue and due-soon lists),
`forms.py` validates the filters, `views.py` serves the page, its CSV and its PDF.
"""
