"""Character images: backends (offline card, diffusers, OpenAI images) behind one interface."""
