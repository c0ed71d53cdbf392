"""Benchmark helpers for evaluate.py: question sets, SQuAD, metrics, TREC files and reports."""
