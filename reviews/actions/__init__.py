"""A review's action plan: actions per recommendation, evidence, acceptance, BRAG and CSV.

State changes in services.py; reads in selectors.py; the status rules in rules.py; evidence
files checked in attachments.py; the CSV format in csv_format.py, csv_import.py and
csv_export.py. docs/action-plans.md is the staff's guide.
"""
