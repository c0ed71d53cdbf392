"""Words: tokenising and stemming, spelling and spelling variants, phrasal verbs, acronyms, word lists and
word vectors. Imports nothing from the rest of the assistant."""
