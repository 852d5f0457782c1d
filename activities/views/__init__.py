"""Views of the RSS Dashboard, split by concern. Each is short: access -> form -> service -> render."""
