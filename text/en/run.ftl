# The page's words: run. Fluent syntax (https://projectfluent.org); see src/core/text.
