"""Document rendering: PDF (WeasyPrint), charts (matplotlib) and the CJK fonts they embed."""
