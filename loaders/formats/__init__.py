"""Raw-format parsers shared by loaders: one module per format, imported, never copied."""
