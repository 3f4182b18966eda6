# The page's words: sweep. Fluent syntax (https://projectfluent.org); see src/core/text.
