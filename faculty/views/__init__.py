"""Views of faculty on children (Manage Faculty, presentations) and of people."""
