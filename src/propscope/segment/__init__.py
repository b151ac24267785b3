"""Text -> sentences, blocks and token windows, keeping character offsets into the original text."""
