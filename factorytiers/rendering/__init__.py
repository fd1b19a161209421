"""Document rendering: PDF (WeasyPrint for print templates, ReportLab for the notice's long
tables), charts (matplotlib) and the CJK fonts they embed."""
