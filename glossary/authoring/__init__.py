"""What draft authors take from the glossary: snippets, Terminology sections, the usage lint, exports."""
