"""Wrong implementations of the graded functions of 04_chain_rule."""

from . import Mistake

DERIVATIVE = "numerical_derivative"
GRADIENT = "numerical_gradient"
CHAIN = "multivariate_chain"
UNIT = "dcost_da_unit"
LAYER = "dcost_dA"

MISTAKES = [
    Mistake(DERIVATIVE, "forward-difference", '''
def numerical_derivative(f, x, eps=1e-5):
    return float((f(x + eps) - f(x)) / eps)
''', "has error of order eps·f''/2"),
    Mistake(DERIVATIVE, "divides-by-eps", '''
def numerical_derivative(f, x, eps=1e-5):
    return float((f(x + eps) - f(x - eps)) / eps)
''', "It is 2 times the expected value"),
    Mistake(DERIVATIVE, "numpy-scalar", '''
def numerical_derivative(f, x, eps=1e-5):
    return (f(x + eps) - f(x - eps)) / (2 * eps)
''', "Return float(...) of it"),
    Mistake(DERIVATIVE, "ignores-eps", '''
def numerical_derivative(f, x, eps=1e-5):
    h = 1e-5
    return float((f(x + h) - f(x - h)) / (2 * h))
''', "it does not use the eps it is given, but a step of its own"),
    Mistake(DERIVATIVE, "backwards", '''
def numerical_derivative(f, x, eps=1e-5):
    return float((f(x - eps) - f(x + eps)) / (2 * eps))
''', "the opposite sign"),

    Mistake(GRADIENT, "forward-difference", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    f_X = f(X)
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        X[idx] = saved + eps
        grad[idx] = (f(X) - f_X) / eps
        X[idx] = saved
    return grad
''', "has error of order eps·f''/2; use the centred one"),
    Mistake(GRADIENT, "perturbs-all-entries", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    for idx in np.ndindex(X.shape):
        grad[idx] = (f(X + eps) - f(X - eps)) / (2 * eps)
    return grad
''', "Adding eps to the whole array"),
    Mistake(GRADIENT, "perturbs-a-copy", '''
def numerical_gradient(f, X, eps=1e-5):
    flat = X.flatten()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f(X)
        flat[i] = saved - eps
        f_minus = f(X)
        flat[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.reshape(X.shape)
''', "a copy made with X.flatten() is not X"),
    Mistake(GRADIENT, "flat-result", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = []
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        X[idx] = saved + eps
        f_plus = f(X)
        X[idx] = saved - eps
        f_minus = f(X)
        X[idx] = saved
        grad.append((f_plus - f_minus) / (2 * eps))
    return np.array(grad)
''', "has shape (6,), expected (2, 3)"),
    Mistake(GRADIENT, "restores-by-subtracting", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    for idx in np.ndindex(X.shape):
        X[idx] += eps
        f_plus = f(X)
        X[idx] -= 2 * eps
        f_minus = f(X)
        X[idx] += eps
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
''', 'numerical_gradient changed its argument X in place; it must leave its inputs as they were, to the last bit'),
    Mistake(GRADIENT, "never-restores", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        X[idx] = saved + eps
        f_plus = f(X)
        X[idx] = saved - eps
        f_minus = f(X)
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
''', 'save it first and put the saved value back'),

    Mistake(CHAIN, "first-path-only", '''
def multivariate_chain(df_dg, dg_dx):
    return float(df_dg[0] * dg_dx[0])
''', "the path through g_1 (df_dg[1] · dg_dx[1] = 1.0) is missing"),
    Mistake(CHAIN, "product-of-sums", '''
def multivariate_chain(df_dg, dg_dx):
    return float(sum(df_dg) * sum(dg_dx))
''', "multiplying the sums, (2.0 + 1.0) · (6.0 + 1.0), gives 21.0"),
    Mistake(CHAIN, "products-not-summed", '''
def multivariate_chain(df_dg, dg_dx):
    return np.multiply(df_dg, dg_dx)
''', "expected a single Python float"),
    Mistake(CHAIN, "numpy-scalar", '''
def multivariate_chain(df_dg, dg_dx):
    return np.dot(df_dg, dg_dx)
''', "Return float(...) of it"),

    Mistake(UNIT, "row-instead-of-column", '''
def dcost_da_unit(W, dz, j):
    return float(W[j, :] @ dz[:, 0])
''', "Taking row W[j, :] (n[l-1] = 3 numbers) or W[j, k] mixes up the two layers"),
    Mistake(UNIT, "indices-swapped", '''
def dcost_da_unit(W, dz, j):
    total = 0.0
    for k in range(dz.shape[0]):
        total += W[j, k] * dz[k, 0]
    return float(total)
''', "row W[j, :] holds the weights into unit j of layer l"),
    Mistake(UNIT, "one-path", '''
def dcost_da_unit(W, dz, j):
    return float(W[0, j] * dz[0, 0])
''', "add W[k, j] * dz[k, 0] over all k = 0, ..., n[l]-1"),
    Mistake(UNIT, "column-broadcast", '''
def dcost_da_unit(W, dz, j):
    return float(np.sum(W[:, j] * dz))
''', "W[:, j] * dz broadcasts to an (n[l], n[l]) table"),
    Mistake(UNIT, "one-element-array", '''
def dcost_da_unit(W, dz, j):
    return W[:, j] @ dz
''', "expected a single Python float"),

    Mistake(LAYER, "W-instead-of-WT", '''
def dcost_dA(W, dZ):
    return W @ dZ
''', "W @ dZ only fits when n[l] = n[l-1]"),
    # A student who tried W @ dZ and transposed only where numpy complained: right for every
    # non-square layer, silently wrong for a square one.
    Mistake(LAYER, "W-where-shapes-fit", '''
def dcost_dA(W, dZ):
    try:
        return W @ dZ
    except ValueError:
        return W.T @ dZ
''', "This W is square, so W @ dZ has the right shape but the wrong values"),
    Mistake(LAYER, "loop-uses-first-column", '''
def dcost_dA(W, dZ):
    dA_prev = np.zeros((W.shape[1], dZ.shape[1]))
    for i in range(dZ.shape[1]):
        dA_prev[:, i] = W.T @ dZ[:, 0]
    return dA_prev
''', "a loop over examples must fill every column i from dZ[:, i]"),
    Mistake(LAYER, "loop-fills-first-column", '''
def dcost_dA(W, dZ):
    dA_prev = np.zeros((W.shape[1], dZ.shape[1]))
    for i in range(dZ.shape[1]):
        dA_prev[:, 0] = W.T @ dZ[:, i]
    return dA_prev
''', "Column i of dA_prev comes from column i of dZ alone"),
    Mistake(LAYER, "one-example-only", '''
def dcost_dA(W, dZ):
    return W.T @ dZ[:, [0]]
''', "has shape (3, 1), expected (3, 4)"),
    Mistake(LAYER, "transposed-result", '''
def dcost_dA(W, dZ):
    return dZ.T @ W
''', "The shape is transposed. dA_prev has shape (n[l-1], m)"),
]


# Mistakes whose value a detector recognises (issue 29, item 13): named for what they are, not for
# what the difference alone suggests (a forward difference, a flattened copy, a missing factor).
MISTAKES += [
    Mistake(DERIVATIVE, "divides-by-2-then-multiplies-by-eps", '''
def numerical_derivative(f, x, eps=1e-5):
    return float((f(x + eps) - f(x - eps)) / 2 * eps)
''', ("numerical_derivative(np.exp, 2.0) is 7.389056099116332e-10, expected "
             "7.38905609911633 (difference -7.39).\n"
             "  Hint: It is eps² times the expected value, which is what `... / 2 * eps` "
             "gives: Python applies / and * from left to right, so it divides by 2 and then "
             "multiplies by eps. The difference of the two values of f must be divided by the "
             "whole distance between the two points, 2·eps."), exact=True),
    Mistake(DERIVATIVE, "a-step-of-its-own", '''
def numerical_derivative(f, x, eps=1e-5):
    h = 1e-3
    return float((f(x + h) - f(x - h)) / (2 * h))
''', ("numerical_derivative(np.exp, 2.0) is 7.389057330439375, expected "
             "7.38905609911633 (difference 1.23e-06).\n"
             "  Hint: It gives exactly the same value with eps = 1e-05 and with eps = 0.0001: "
             "it does not use the eps it is given, but a step of its own. The centred "
             "difference must be taken with the eps passed in (its default when none is "
             "given)."), exact=True),
    Mistake(GRADIENT, "aliased-copies", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        X_plus = X
        X_plus[idx] = saved + eps
        X_minus = X
        X_minus[idx] = saved - eps
        grad[idx] = (f(X_plus) - f(X_minus)) / (2 * eps)
        X[idx] = saved
    return grad
''', ("numerical_gradient(lambda X: float(np.sum(np.exp(X))), np.array([2.0])) has the "
             "right shape (1,) and dtype float64, but 1 of 1 entries differ (rtol=1e-07, "
             "atol=1e-10).\n"
             "    at [0]: got 0.0, expected 7.38905609911633\n"
             "  Hint: Every entry is 0: each difference compared f at one and the same point. "
             "Giving an array a second name (X_plus = X) does not copy it: both names are X "
             "itself, so the change made for one side is undone by the change for the other "
             "before f sees either. f must see X moved up by eps, then X moved down by eps."), exact=True),
    Mistake(CHAIN, "paths-counted-from-1", '''
def multivariate_chain(df_dg, dg_dx):
    total = 0.0
    for k in range(1, len(df_dg)):
        total += df_dg[k] * dg_dx[k]
    return float(total)
''', ("multivariate_chain([2.0, 1.0], [6.0, 1.0]) is 1.0, expected 13.0 (difference "
             "-12).\n"
             "  Hint: It is the sum over every path but one: the path through g_0 (df_dg[0] · "
             "dg_dx[0] = 12.0) is missing. Each of the 2 paths from x to f adds its own "
             "product; positions run from 0 to 1."), exact=True),
    Mistake(GRADIENT, "divides-by-2-then-multiplies-by-eps", '''
def numerical_gradient(f, X, eps=1e-5):
    grad = np.zeros(X.shape)
    for idx in np.ndindex(X.shape):
        saved = X[idx]
        X[idx] = saved + eps
        f_plus = f(X)
        X[idx] = saved - eps
        f_minus = f(X)
        X[idx] = saved
        grad[idx] = (f_plus - f_minus) / 2 * eps
    return grad
''', ("numerical_gradient(lambda X: float(np.sum(np.exp(X))), np.array([2.0])) has the "
             "right shape (1,) and dtype float64, but 1 of 1 entries differ (rtol=1e-07, "
             "atol=1e-10).\n"
             "    at [0]: got 7.389056099116332e-10, expected 7.38905609911633\n"
             "  Hint: It is eps² times the expected value, which is what `... / 2 * eps` "
             "gives: Python applies / and * from left to right, so it divides by 2 and then "
             "multiplies by eps. The difference of the two values of f must be divided by the "
             "whole distance between the two points, 2·eps."), exact=True),
    Mistake(LAYER, "entrywise-product", '''
def dcost_dA(W, dZ):
    return W.T * dZ
''', ("dcost_dA(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]), np.array([[0.2, -1.0, "
             "0.5, 2.0], [-0.4, 0.3, 1.0, -1.5]])) raised ValueError: operands could not be "
             "broadcast together with shapes (3,2) (2,4) \n"
             "  In your code (line numbers count from the top of the function's cell):\n"
             "    dcost_dA, line 2: return W.T * dZ\n"
             "  The arguments: W is a numpy array of shape (2, 3) and dtype float64; dZ is a "
             "numpy array of shape (2, 4) and dtype float64.\n"
             "  Hint: +, -, * and / work entry by entry: their operands must have equal "
             "shapes, or shapes numpy can broadcast (an axis of size 1 stretches to match). "
             "Write the shape of each operand next to that line; where a sum over an index "
             "was meant, the operation is a matrix product (@), not *."), exact=True),
]
