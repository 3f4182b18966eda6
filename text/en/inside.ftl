# The page's words: inside. Fluent syntax (https://projectfluent.org); see src/core/text.
