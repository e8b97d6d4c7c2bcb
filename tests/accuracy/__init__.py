"""The checker's accuracy, measured on labelled packets built from real forms and documents.

``cases.py`` holds the packets and what a careful clerk would find in each, labelled from the
ground truth (the corpus manifests, the answers filled in, the service files' rules), never
from what the checker prints. ``harness.py`` runs them through the library and the web API and
counts, per problem code, what was found, missed and found unasked. ``python -m tests.accuracy``
runs them all; ``test_accuracy.py`` runs a quick subset with the rest of the tests.
"""
