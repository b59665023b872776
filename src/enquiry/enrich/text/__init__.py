"""Claims from text: who said what, when — attribution, dates, actors, embeddings, stance."""
