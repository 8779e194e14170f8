"""Writers: the model → files (standard workbook, catalog JSON)."""
