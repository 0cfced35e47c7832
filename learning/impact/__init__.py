"""The reach and impact report for board staff: /admin/impact/ (docs/impact-report.md).

`selectors.py` reads (one grouped query for every figure, months, a page of quotes),
`forms.py` validates the filters, `views.py` serves the page and its CSV downloads.
"""
