"""Figures the notebooks share. They draw what they are given and compute no graded quantity."""

__all__ = ["draw_network", "draw_pipeline"]

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
        import matplotlib.pyplot as plt  # here, not at import: the grader's processes draw nothing
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


def draw_pipeline(num_layers=3, ax=None):
    """Draw the L-layer pipeline as boxes: forward along the top, backward along the bottom.

    Forward, each layer is a LINEAR box followed by an activation box (RELU for layers 1..L-1,
    SIGMOID for layer L), then the cost; each layer hands its cache down to the backward box of the
    same layer. Backward runs the same boxes from right to left, from dA[L] down to dA[0].
    num_layers: L, the number of layers drawn.  ax: matplotlib Axes; a new figure when None.
    Returns the Axes.
    """
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(2.9 * num_layers + 2.4, 3.4))
    top, bottom, width, height = 1.0, -1.0, 0.78, 0.5
    box = dict(boxstyle="round,pad=0.25", edgecolor="0.3")

    def arrow(x0, y0, x1, y1, colour, text=None, dy=0.16):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color=colour, lw=1.3))
        if text:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + dy, text, ha="center", va="center", fontsize=8,
                    color=colour)

    x = 0.0
    ax.text(x, top, "X = A0", ha="center", va="center", fontsize=9)
    ax.text(x, bottom, "dA0", ha="center", va="center", fontsize=9)
    for l in range(1, num_layers + 1):
        linear_x, act_x = x + 1.3, x + 2.6
        activation = "SIGMOID" if l == num_layers else "RELU"
        ax.text(linear_x, top, f"LINEAR\nW{l}, b{l}", ha="center", va="center", fontsize=8,
                bbox=dict(box, facecolor="lightyellow"))
        ax.text(act_x, top, activation, ha="center", va="center", fontsize=8,
                bbox=dict(box, facecolor="honeydew"))
        ax.text(linear_x, bottom, f"LINEAR\nbackward\ndW{l}, db{l}", ha="center", va="center",
                fontsize=8, bbox=dict(box, facecolor="lightyellow"))
        ax.text(act_x, bottom, f"{activation}\nbackward", ha="center", va="center", fontsize=8,
                bbox=dict(box, facecolor="honeydew"))
        arrow(x + 0.3, top, linear_x - width / 2 - 0.05, top, "tab:blue",
              f"A{l - 1}" if l > 1 else None)
        arrow(linear_x + width / 2 + 0.05, top, act_x - width / 2 - 0.05, top, "tab:blue", f"Z{l}")
        arrow(act_x - width / 2 - 0.05, bottom, linear_x + width / 2 + 0.05, bottom, "tab:red",
              f"dZ{l}", dy=-0.16)
        arrow(linear_x - width / 2 - 0.05, bottom, x + 0.3, bottom, "tab:red", f"dA{l - 1}",
              dy=-0.16)
        arrow(act_x, top - height / 2 - 0.1, act_x, bottom + height / 2 + 0.25, "0.45")
        ax.text(act_x - 0.08, 0.0, f"cache {l}\n((A{l - 1}, W{l}, b{l}), Z{l})", ha="right",
                va="center", fontsize=7, color="0.35")
        x = act_x
    cost_x = x + 1.3
    ax.text(cost_x, top, "cost J", ha="center", va="center", fontsize=9,
            bbox=dict(box, facecolor="mistyrose"))
    ax.text(cost_x, bottom, "dA[L] from\nAL and Y", ha="center", va="center", fontsize=8,
            bbox=dict(box, facecolor="mistyrose"))
    arrow(x + width / 2 + 0.05, top, cost_x - 0.4, top, "tab:blue", "AL")
    arrow(cost_x - 0.45, bottom, x + width / 2 + 0.05, bottom, "tab:red", f"dA{num_layers}",
          dy=-0.16)
    arrow(cost_x, top - 0.3, cost_x, bottom + 0.4, "0.45")
    ax.text(-0.3, top + 0.55, "forward: each box returns its output and keeps a cache",
            fontsize=9, color="tab:blue", ha="left")
    ax.text(-0.3, bottom - 0.62, "backward: the same boxes in reverse, each reading its cache",
            fontsize=9, color="tab:red", ha="left")
    ax.set_xlim(-0.5, cost_x + 0.7)
    ax.set_ylim(-1.9, 1.85)
    ax.axis("off")
    return ax
