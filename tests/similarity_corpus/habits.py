"""A student's habits of writing: the same body written the way one student writes everything.

Honest students who chose the same approach for a function still write it in their own way:
`W @ A` or `np.dot(W, A)`, `f"W{l}"` or `"W" + str(l)`, `np.sum(x, axis=1)` or
`x.sum(axis=1)`, a named result or a direct return... Each honest student has one choice per
habit, applied to every cell they write (with the syntax tree; the layout is ast.unparse's).
"""

import ast

HABITS = {
    "matmul": ["@", "dot", "matmul", "method"],
    "keys": ["fstring", "concat", "percent", "format"],
    "reduce": ["function", "method"],
    "returns": ["direct", "named"],
    "zeros": ["tuple", "list", "keyword"],
    "compare": ["natural", "flipped"],
    "divide": ["operator", "numpy"],
    "augment": ["augmented", "spelled"],
}


def choose(rng):
    """One student's habits."""
    return {habit: rng.choice(options) for habit, options in HABITS.items()}


def _np(name):
    return ast.Attribute(ast.Name("np", ast.Load()), name, ast.Load())


def _is_np(node, *names):
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "np" and node.attr in names)


class _Style(ast.NodeTransformer):
    def __init__(self, habits):
        self.h = habits

    def _matmul(self, a, b):
        how = self.h["matmul"]
        if how == "@":
            return ast.BinOp(a, ast.MatMult(), b)
        if how == "method":
            return ast.Call(ast.Attribute(a, "dot", ast.Load()), [b], [])
        return ast.Call(_np(how), [a, b], [])

    def _key(self, prefix, value):
        how = self.h["keys"]
        if how == "fstring":
            return ast.JoinedStr([ast.Constant(prefix), ast.FormattedValue(value, -1, None)])
        if how == "concat":
            return ast.BinOp(ast.Constant(prefix), ast.Add(),
                             ast.Call(ast.Name("str", ast.Load()), [value], []))
        if how == "percent":
            return ast.BinOp(ast.Constant(prefix + "%d"), ast.Mod(), value)
        return ast.Call(ast.Attribute(ast.Constant(prefix + "{}"), "format", ast.Load()),
                        [value], [])

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.MatMult):
            return self._matmul(node.left, node.right)
        if (isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str) and isinstance(node.right, ast.Call)
                and isinstance(node.right.func, ast.Name) and node.right.func.id == "str"
                and len(node.right.args) == 1):
            return self._key(node.left.value, node.right.args[0])
        if (isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str) and node.left.value.endswith("%d")
                and node.left.value.count("%") == 1):
            return self._key(node.left.value[:-2], node.right)
        if isinstance(node.op, ast.Div) and self.h["divide"] == "numpy":
            return ast.Call(_np("divide"), [node.left, node.right], [])
        return node

    def visit_JoinedStr(self, node):
        if (len(node.values) == 2 and isinstance(node.values[0], ast.Constant)
                and isinstance(node.values[1], ast.FormattedValue)
                and node.values[1].conversion == -1 and node.values[1].format_spec is None):
            return self._key(node.values[0].value, node.values[1].value)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if _is_np(f, "dot", "matmul") and len(node.args) == 2 and not node.keywords:
            return self._matmul(*node.args)
        if (isinstance(f, ast.Attribute) and f.attr == "dot" and not _is_np(f, "dot")
                and len(node.args) == 1 and not node.keywords):
            return self._matmul(f.value, node.args[0])
        if (isinstance(f, ast.Attribute) and f.attr == "format" and isinstance(f.value, ast.Constant)
                and isinstance(f.value.value, str) and f.value.value.endswith("{}")
                and f.value.value.count("{") == 1 and len(node.args) == 1):
            return self._key(f.value.value[:-2], node.args[0])
        if _is_np(f, "sum", "mean") and node.args and self.h["reduce"] == "method" \
                and len(node.args) == 1:
            return ast.Call(ast.Attribute(node.args[0], f.attr, ast.Load()), [], node.keywords)
        if (isinstance(f, ast.Attribute) and f.attr in ("sum", "mean") and not _is_np(f, f.attr)
                and not node.args and self.h["reduce"] == "function"):
            return ast.Call(_np(f.attr), [f.value], node.keywords)
        if _is_np(f, "zeros", "empty", "ones") and node.args and isinstance(
                node.args[0], (ast.Tuple, ast.List)):
            shape = node.args[0]
            how = self.h["zeros"]
            items = shape.elts
            new = ast.List(items, ast.Load()) if how == "list" else ast.Tuple(items, ast.Load())
            if how == "keyword":
                return ast.Call(f, node.args[1:], [ast.keyword("shape", new)] + node.keywords)
            return ast.Call(f, [new] + node.args[1:], node.keywords)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        flips = {ast.Gt: ast.Lt, ast.Lt: ast.Gt, ast.GtE: ast.LtE, ast.LtE: ast.GtE}
        if (self.h["compare"] == "flipped" and len(node.ops) == 1
                and type(node.ops[0]) in flips and isinstance(node.comparators[0], ast.Constant)):
            return ast.Compare(node.comparators[0], [flips[type(node.ops[0])]()], [node.left])
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if self.h["augment"] == "spelled" and isinstance(node.target, ast.Name):
            return ast.Assign([ast.Name(node.target.id, ast.Store())],
                              ast.BinOp(ast.Name(node.target.id, ast.Load()), node.op, node.value))
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        if (self.h["augment"] == "augmented" and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.BinOp)
                and isinstance(node.value.left, ast.Name)
                and node.value.left.id == node.targets[0].id
                and isinstance(node.value.op, (ast.Add, ast.Sub, ast.Mult))):
            return ast.AugAssign(ast.Name(node.targets[0].id, ast.Store()), node.value.op,
                                 node.value.right)
        return node

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        if self.h["returns"] == "named":
            body = []
            for statement in node.body:
                if isinstance(statement, ast.Return) and isinstance(statement.value,
                                                                    (ast.BinOp, ast.Call)):
                    body.append(ast.Assign([ast.Name("result_", ast.Store())], statement.value,
                                           lineno=0))
                    body.append(ast.Return(ast.Name("result_", ast.Load())))
                else:
                    body.append(statement)
            node.body = body
        return node


def apply(code, habits):
    """`code` written with `habits` (a dict from choose())."""
    tree = _Style(habits).visit(ast.parse(code))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
