"""The corpus folder as a Hugging Face dataset: features from the schema, flat views, card."""
