"""Retrieval: the BM25 index over passages (index.py), its sparse matrix (sparse.py) and the saved copy
on disk (store.py)."""
