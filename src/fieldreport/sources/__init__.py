"""Who reports: the outlet registry (names, domains, owners, ties) shared by extraction, events and exports."""
