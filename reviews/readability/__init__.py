"""Plain words for editors: counting words (the plain summary's limit) and reading age.

`words.py` is the one word counter (the plain summary's 60-word limit in the admin, the
importer and the tests); `reading_age.py` scores a text offline (docs/plain-words.md).
"""
