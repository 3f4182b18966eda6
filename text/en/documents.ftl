# The page's words: documents. Fluent syntax (https://projectfluent.org); see src/core/text.
