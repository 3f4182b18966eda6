# The page's words: editor. Fluent syntax (https://projectfluent.org); see src/core/text.
