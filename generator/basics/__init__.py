"""Basics: plain values and rules every stage uses. Problems as located values
(`diagnostics`), YAML read with its lines (`yamlread`), declarative field rules
(`fields`) and the modes of private files (`private_data`). Nothing here knows the content."""
