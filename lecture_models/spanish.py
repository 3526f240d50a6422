"""Numbers written the Spanish way, for tables, captions and figure labels: one formatter.

Decimal comma (0,42); digits grouped in threes by a narrow no-break space from five digits
on (61 706, but 5000), as the RAE and the SI recommend; a no-break space before "%".
"""

NNBSP = "\u202f"  # narrow no-break space: digit groups, 138 357 544; and before units (1 814 M)
NBSP = "\u00a0"  # no-break space: 98,4 %, 41,3 s


def integer(n: int) -> str:
    """61706 -> '61 706' (narrow no-break spaces); four digits stay together: '5000'."""
    sign, s = ("-", str(-n)) if n < 0 else ("", str(n))
    if len(s) <= 4:
        return sign + s
    groups = []
    while s:
        groups.insert(0, s[-3:])
        s = s[:-3]
    return sign + NNBSP.join(groups)


def number(x: float, digits: int = 1) -> str:
    """92.06 -> '92,1' (digits=1); the integer part grouped like `integer`."""
    text = f"{x:.{digits}f}"
    whole, _, frac = text.partition(".")
    whole = integer(int(whole)) if whole not in ("-0",) else whole
    return whole + ("," + frac if frac else "")


def percent(fraction: float, digits: int = 1) -> str:
    """0.9843 -> '98,4 %' (a no-break space before the sign)."""
    return number(100 * fraction, digits) + NBSP + "%"
