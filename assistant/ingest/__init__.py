"""Documents: read files into Document objects (corpus.py) and recover their paragraphs, sections and
sentences (structure.py). Readers for other file formats belong in ingest/readers/."""
