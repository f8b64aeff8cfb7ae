"""CSV files that a spreadsheet opens as text: no field of a student's can become a formula."""

import csv


# A field starting with one of these is a formula to Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(field):
    """`field` as text a spreadsheet shows as it is: a leading ' if it could start a formula.

    Student ids, exception names and messages come from students; `=HYPERLINK(...)` in a cell
    of cells.csv would otherwise become a live formula when the instructor opens the file
    (OWASP's rule for CSV injection).
    """
    text = str(field)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SpreadsheetSafeWriter:
    """csv.writer whose every field goes through `neutral`."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        self._writer.writerow([neutral(field) for field in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
