"""Discussion returns: every printed sheet carries a use code back to /use/<code>/.

See docs/discussion-returns.md.
"""
