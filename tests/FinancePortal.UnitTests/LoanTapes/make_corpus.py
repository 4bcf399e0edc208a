#!/usr/bin/env python3
"""Writes the loan-tape bad-input corpus into Corpus/ (run from this folder; the files are committed).

Every file is for platform JDBT, period 2026-01. Expected edit codes live in LoanTapeCorpusTests.cs.
"""
import datetime
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Corpus")

COLUMNS = ["platform_code", "reporting_month", "loan_id", "borrower_ref", "product_type", "scenario",
           "origination_date", "principal", "credit_limit", "term_months", "annual_rate_pct",
           "outstanding_principal", "days_past_due", "status", "charge_off_amount", "recovery_amount",
           "funding_source"]
TEXT = {"platform_code", "reporting_month", "loan_id", "borrower_ref", "product_type", "scenario", "status",
        "funding_source"}

ROWS = [
    ("L0001", "B0001", "INSTALLMENT", "ECOMMERCE", "2025-06-15", "12000.00", "0", "12", "18.25", "7000.00", "0", "CURRENT", "0", "0", "OWN_FUNDS"),
    ("L0002", "B0002", "CREDIT_LINE", "TRAVEL", "2025-09-01", "5000.00", "20000.00", "6", "23.9", "4200.50", "15", "DELINQUENT", "0", "0", "BANK_COLENDING"),
    ("L0003", "B0003", "CASH_LOAN", "EDUCATION", "2024-03-10", "30000.00", "0", "24", "15", "2000.00", "120", "DEFAULTED", "0", "0", "ABS"),
    ("L0004", "B0001", "INSTALLMENT", "DECORATION", "2023-01-20", "8000.00", "0", "36", "12.5", "0", "0", "REPAID", "0", "0", "OTHER_INSTITUTION"),
    ("L0005", "B0004", "CASH_LOAN", "OTHER", "2024-11-05", "10000.00", "0", "12", "20", "0", "200", "CHARGED_OFF", "9500.00", "300.00", "OTHER"),
    ("L0006", "B0005", "CREDIT_LINE", "ECOMMERCE", "2025-12-31", "3000.00", "10000.00", "3", "0", "3000.00", "0", "CURRENT", "0", "0", "OWN_FUNDS"),
    ("L0007", "B0006", "INSTALLMENT", "EDUCATION", "2026-01-31", "6000.00", "0", "60", "9.99", "6000.00", "0", "CURRENT", "0", "0", "BANK_COLENDING"),
    ("L0008", "B0007", "INSTALLMENT", "TRAVEL", "2025-02-28", "4000.00", "0", "1", "24", "1000.00", "89", "DELINQUENT", "0", "0", "ABS"),
]


def rows():
    """Fresh dicts of the valid rows."""
    return [dict(zip(COLUMNS, ("JDBT", "2026-01") + r)) for r in ROWS]


def quote(value):
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_text(data, columns=COLUMNS, sep=",", newline="\n"):
    lines = [sep.join(columns)]
    for r in data:
        lines.append(sep.join(quote(r[c]) if sep == "," else r[c] for c in columns))
    return newline.join(lines) + newline


def write(name, content):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))


def variant(name, **changes):
    """Valid rows with changes {row_number: {column: value}} (1-based data rows)."""
    data = rows()
    for key, cols in changes.items():
        data[int(key[1:]) - 1].update(cols)
    write(name, csv_text(data))


# ---------- xlsx (hand-written parts, no library) ----------
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col_name(i):
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_xml(table, strings, numeric_columns=(), date_columns=()):
    """table: list of lists of str; text goes to shared strings, numeric columns as numbers, dates as serials."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}"><sheetData>']
    for r, values in enumerate(table, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(values):
            ref = f"{col_name(c)}{r}"
            if value == "":
                continue
            if r > 1 and c in date_columns:
                serial = (datetime.date.fromisoformat(value) - datetime.date(1899, 12, 30)).days
                out.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif r > 1 and c in numeric_columns:
                out.append(f'<c r="{ref}"><v>{float(value):g}</v></c>' if abs(float(value)) < 1e6 else f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in strings:
                    strings[value] = len(strings)
                out.append(f'<c r="{ref}" t="s"><v>{strings[value]}</v></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def put(z, name, data):
    """Writes a zip entry with a fixed timestamp, so regenerating the corpus gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = z.compression
    z.writestr(info, data)


def xlsx(sheets):
    """sheets: list of (name, sheet xml builder taking the shared-strings dict)."""
    strings = {}
    bodies = [(name, build(strings)) for name, build in sheets]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(bodies) + 1))
        put(z, "[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   f'{overrides}'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '</Types>')
        put(z, "_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        sheet_list = "".join(f'<sheet name="{esc(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(bodies, 1))
        put(z, "xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>{sheet_list}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(bodies) + 1))
        put(z, "xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'{rels}<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   f'<Relationship Id="rIdT" Type="{REL}/styles" Target="styles.xml"/></Relationships>')
        put(z, "xl/styles.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{NS}">'
                   '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
                   '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
                   '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
        for i, (_, body) in enumerate(bodies, 1):
            put(z, f"xl/worksheets/sheet{i}.xml", body)
        items = "".join(f'<si><t xml:space="preserve">{esc(s)}</t></si>' for s in strings)
        put(z, "xl/sharedStrings.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')
    return buf.getvalue()


NUMERIC = {COLUMNS.index(c) for c in ("principal", "credit_limit", "term_months", "annual_rate_pct",
                                      "outstanding_principal", "days_past_due", "charge_off_amount", "recovery_amount")}
DATES = {COLUMNS.index("origination_date")}


def loans_sheet(data, typed=True):
    table = [COLUMNS] + [[r[c] for c in COLUMNS] for r in data]
    return lambda strings: sheet_xml(table, strings, NUMERIC if typed else (), DATES if typed else ())


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if not old.startswith("."):  # keep .gitattributes
            os.remove(os.path.join(OUT, old))

    # Encodings and layout
    write("valid.csv", csv_text(rows()))
    write("with_bom.csv", b"\xef\xbb\xbf" + csv_text(rows()).encode("utf-8"))
    write("crlf_without_bom.csv", csv_text(rows(), newline="\r\n"))
    write("empty.csv", b"")
    write("header_only.csv", ",".join(COLUMNS) + "\n")
    write("semicolon_separated.csv", csv_text(rows(), sep=";"))
    write("tab_separated.csv", csv_text(rows(), sep="\t"))
    write("invalid_utf8.csv", csv_text(rows()).encode("utf-8").replace(b"B0002", b"B\xff\xfe02"))
    write("gbk.csv", csv_text(rows()).replace("B0002", "借款人甲").encode("gbk"))
    write("latin1.csv", csv_text(rows()).replace("B0002", "Zoë-2").encode("latin-1"))
    write("utf16.csv", b"\xff\xfe" + csv_text(rows()).encode("utf-16-le"))
    data = rows()
    data[0]["borrower_ref"] = "B00\n01"
    data[1]["loan_id"] = "L,0002"
    data[2]["loan_id"] = 'L"0003"'
    write("quoted_newlines.csv", csv_text(data))
    text = csv_text(rows()).splitlines()
    write("blank_lines.csv", "\n".join(text[:3] + ["", ",,,,,,,,,,,,,,,,"] + text[3:] + ["", ""]) + "\n")
    write("unterminated_quote.csv", "\n".join(text[:2] + [text[2].replace("L0002", '"L0002')] + text[3:]) + "\n")
    write("wrong_file_type.txt", csv_text(rows()))

    # Header
    write("missing_column.csv", csv_text(rows(), [c for c in COLUMNS if c != "scenario"]))
    extra = rows()
    for r in extra:
        r["notes"] = "ok"
    write("extra_column.csv", csv_text(extra, COLUMNS + ["notes"]))
    write("duplicate_column.csv", csv_text(rows(), COLUMNS + ["status"]))
    write("reordered_columns.csv", csv_text(rows(), list(reversed(COLUMNS))))
    write("header_case_and_spaces.csv",
          csv_text(rows()).replace("platform_code,", " Platform_Code ,", 1).replace("loan_id", "LOAN_ID", 1))
    write("row_missing_field.csv", "\n".join(text[:3] + [text[3].rsplit(",", 1)[0]] + text[4:]) + "\n")
    write("row_extra_field.csv", "\n".join(text[:4] + [text[4] + ",EXTRA"] + text[5:]) + "\n")

    # Platform and month
    variant("wrong_platform.csv", r2={"platform_code": "ABCD"})
    variant("wrong_month.csv", r1={"reporting_month": "2025-12"})

    # Validity
    variant("duplicate_loan_ids.csv", r5={"loan_id": "L0002"})
    variant("misspelt_product_type.csv", r1={"product_type": "INSTALMENT"})
    variant("misspelt_scenario.csv", r1={"scenario": "E-COMMERCE"})
    variant("misspelt_status.csv", r2={"status": "DELINQENT"})
    variant("misspelt_funding_source.csv", r2={"funding_source": "BANK_CO_LENDING"})
    variant("borrower_personal_data.csv", r1={"borrower_ref": "440304199003070018"}, r2={"borrower_ref": "王芳"})
    variant("impossible_dates.csv", r1={"origination_date": "2024-02-30"}, r2={"origination_date": "2025/09/01"})
    variant("origination_after_month_end.csv", r1={"origination_date": "2026-02-01"})
    variant("thousands_separators.csv", r1={"principal": "12,000.00"}, r2={"credit_limit": "20,000.00"})
    variant("huge_field.csv", r1={"borrower_ref": "B" * 100_000})
    variant("formula_text.csv", r1={"loan_id": "=cmd|' /C calc'!A0", "borrower_ref": "+SUM(A1:A9)"},
            r2={"borrower_ref": '@HYPERLINK("http://example.invalid","x")'})
    variant("status_dpd_mismatch.csv", r1={"days_past_due": "5"}, r2={"days_past_due": "0"},
            r3={"days_past_due": "60"}, r8={"days_past_due": "90"})
    variant("negative_amounts.csv", r1={"principal": "-12000.00"}, r2={"credit_limit": "-1"},
            r3={"outstanding_principal": "-5"}, r5={"charge_off_amount": "-1", "recovery_amount": "-0.01"},
            r6={"days_past_due": "-1"})
    variant("charged_off_below_90_dpd.csv", r3={"status": "CHARGED_OFF", "days_past_due": "89", "outstanding_principal": "0", "charge_off_amount": "2000.00"},
            r5={"days_past_due": "0"})
    variant("term_0_and_61.csv", r1={"term_months": "0"}, r2={"term_months": "61"})
    variant("rate_101.csv", r1={"annual_rate_pct": "101"})
    variant("not_numbers.csv", r1={"principal": "abc"}, r2={"term_months": "12.5"}, r3={"annual_rate_pct": "1e1"})
    variant("missing_values.csv", r1={"loan_id": "", "borrower_ref": "", "principal": ""})
    variant("long_loan_id.csv", r1={"loan_id": "L" * 65})

    # XLSX
    write("valid.xlsx", xlsx([("Loans", loans_sheet(rows()))]))
    write("several_sheets.xlsx", xlsx([("Loans", loans_sheet(rows())),
                                       ("Notes", lambda s: sheet_xml([["anything"], ["goes", "here"]], s))]))
    write("empty_sheet.xlsx", xlsx([("Loans", lambda s: f'<worksheet xmlns="{NS}"><sheetData/></worksheet>'),
                                    ("Other", loans_sheet(rows()))]))
    bad = rows()
    bad[0]["product_type"] = "INSTALMENT"
    write("text_cells_with_errors.xlsx", xlsx([("Loans", loans_sheet(bad, typed=False))]))
    write("not_a_zip.xlsx", csv_text(rows()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        put(z, "hello.txt", "a zip, but not a workbook")
    write("zip_not_workbook.xlsx", buf.getvalue())
    write("encrypted.xlsx", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    write("zip_bomb.xlsx", claim_huge(xlsx([("Loans", loans_sheet(rows()))]), "xl/worksheets/sheet1.xml"))


def claim_huge(data, entry):
    """Rewrites the zip's central directory so that `entry` claims ~4 GB uncompressed (a lying zip bomb)."""
    data = bytearray(data)
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise ValueError(entry)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len].decode() == entry:
            struct.pack_into("<I", data, pos + 24, 0xFFFFFFF0)
            return bytes(data)
        pos += 4


if __name__ == "__main__":
    main()
