"""Draw small accessible charts on the server as inline SVG: no script, no inline style (CSP),
each with a text alternative and the same numbers as a data table.

bars: one bar per label (the home page's totals by agency, method, stage and year);
grouped: groups of bars per series (a contract's physical against financial progress).
"""

from terbuka_web.common.charts.bars import Bar, bar_chart
from terbuka_web.common.charts.grouped import grouped_bars_figure

__all__ = ["Bar", "bar_chart", "grouped_bars_figure"]
