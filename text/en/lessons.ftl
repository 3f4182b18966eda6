# The page's words: lessons. Fluent syntax (https://projectfluent.org); see src/core/text.
