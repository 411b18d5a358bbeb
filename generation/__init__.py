"""How text and images are made: the offline engine, OpenAI-compatible models, diffusers."""
