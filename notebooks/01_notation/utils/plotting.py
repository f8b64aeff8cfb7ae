"""Figures the notebooks share. They draw what they are given and compute no graded quantity."""

import matplotlib.pyplot as plt

__all__ = ["draw_network"]

MAX_DRAWN_UNITS = 7


def draw_network(layer_dims, shapes=None, ax=None):
    """Draw a fully connected network as layers of units joined by edges.

    layer_dims: [n0, n1, ..., nL], the number of units per layer (layer 0 is the input).
    shapes: optional dict such as {"W1": (n1, n0), "b1": (n1, 1), ...}; each pair is written
        between the layers it connects.
    ax: matplotlib Axes to draw on; a new figure is made when None.
    Returns the Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 * len(layer_dims) + 1, 4.2))
    positions = [_unit_positions(n) for n in layer_dims]
    for l in range(1, len(layer_dims)):
        for y0 in positions[l - 1]:
            for y1 in positions[l]:
                if y0 is not None and y1 is not None:
                    ax.plot([l - 1, l], [y0, y1], color="0.8", lw=0.7, zorder=1)
    for l, column in enumerate(positions):
        colour = "tab:blue" if l == 0 else ("tab:red" if l == len(layer_dims) - 1 else "tab:green")
        for y in column:
            if y is None:
                ax.text(l, 0, "⋮", ha="center", va="center", fontsize=16, zorder=3)
            else:
                ax.scatter([l], [y], s=320, color=colour, edgecolor="black", zorder=2)
        role = "input" if l == 0 else ("output" if l == len(layer_dims) - 1 else "hidden")
        ax.text(l, -4.3, f"layer {l} ({role})\nn[{l}] = {layer_dims[l]}", ha="center",
                va="top", fontsize=9)
        if shapes and l > 0:
            label = f"W{l}: {shapes.get(f'W{l}')}\nb{l}: {shapes.get(f'b{l}')}"
            ax.text(l - 0.5, 4.3, label, ha="center", va="bottom", fontsize=9,
                    bbox=dict(boxstyle="round", facecolor="lightyellow", edgecolor="0.6"))
    ax.set_xlim(-0.6, len(layer_dims) - 0.4)
    ax.set_ylim(-5.6, 5.6)
    ax.axis("off")
    return ax


def _unit_positions(n):
    """Vertical positions of the drawn units; None marks an ellipsis for elided units."""
    if n <= MAX_DRAWN_UNITS:
        return [(n - 1) / 2 - i for i in range(n)]
    top = [3.0, 2.0, 1.0]
    return top + [None] + [-1.0, -2.0, -3.0]
