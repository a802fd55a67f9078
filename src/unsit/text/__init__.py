"""Text and translation: gettext set-up, the shipped languages, the words of drill and routine files."""
