"""The class report: what the class got wrong, per assignment and per exercise, in one HTML page."""

import base64
import collections
import html
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the non-interactive backend)

TOP_MESSAGES = 3


def write_report(path, results):
    """Write report.html from the stored results (one dict per graded submission)."""
    by_assignment = collections.defaultdict(list)
    for result in results:
        by_assignment[result["assignment"]].append(result)
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Class report</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
             "vertical-align:top}code{font-size:90%}</style></head><body>",
             "<h1>Class report</h1>"]
    for assignment, group in sorted(by_assignment.items()):
        parts.append(f"<h2>{html.escape(assignment)} ({len(group)} submissions)</h2>")
        parts.append(_histogram(assignment, group))
        parts.append("<table><tr><th>graded cell</th><th>full marks</th>"
                     "<th>most frequent failures</th></tr>")
        for cell in sorted({name for r in group for name in r["cells"]}):
            entries = [r["cells"][cell] for r in group if cell in r["cells"]]
            full = sum(e["score"] is not None and e["score"] >= e["max_score"] for e in entries)
            messages = collections.Counter(_first_line(e.get("message", "")) for e in entries
                                           if e.get("message"))
            listed = "<br>".join(f"{count} &times; <code>{html.escape(text)}</code>"
                                 for text, count in messages.most_common(TOP_MESSAGES))
            parts.append(f"<tr><td>{html.escape(cell)}</td>"
                         f"<td>{full}/{len(entries)} ({100 * full / len(entries):.0f}%)</td>"
                         f"<td>{listed}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts))


def _first_line(message):
    """A failure message reduced to what repeats across students: its first line, numbers masked."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    return re.sub(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?", "#", line)[:160]


def _histogram(assignment, group):
    scores = [sum(c["score"] or 0 for c in r["cells"].values()) for r in group]
    maximum = max(sum(c["max_score"] for c in r["cells"].values()) for r in group)
    fig, ax = plt.subplots(figsize=(6, 2.6), layout="constrained")
    ax.hist(scores, bins=range(0, int(maximum) + 2), color="tab:blue", edgecolor="white",
            align="left")
    ax.set_xlabel(f"score (out of {maximum:g})")
    ax.set_ylabel("students")
    ax.set_title(f"{assignment}: score distribution")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f"<img alt='score distribution of {html.escape(assignment)}' src='data:image/png;base64,{data}'>"
