"""Documents made from a tax result, in memory and never stored (pure Python, no Django):

- `cells`: German spreadsheet cells, with formula injection neutralised in every text cell
  that carries the reader's data (OWASP "CSV Injection");
- `method`: the short German description of the method and the settings used;
- `ics`: the "Steuerfrei ab" calendar (iCalendar, RFC 5545);
- `pack`: the documentation pack (ZIP) the BMF letter of 6 March 2025 asks for (Rn. 87 ff.).

The yearly CSV report itself is `calculators/tax_export.py`.
"""
