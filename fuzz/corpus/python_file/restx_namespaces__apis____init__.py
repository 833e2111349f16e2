"""The API namespaces, one module each."""
