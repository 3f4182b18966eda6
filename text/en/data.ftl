# The page's words: data. Fluent syntax (https://projectfluent.org); see src/core/text.
