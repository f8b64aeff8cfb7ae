"""Hostile and broken submissions of 01_notation, each with the outcome grading must give it.

Every attack is a correct submission (10 points) plus one code cell of its own, so the score it
must get says exactly what the attack was allowed to change. `Hostile.problem` is a phrase its line
in problems.csv must contain (None: it must have no line); `Hostile.score` is the exact total.
Markers the attack prints (LEAK, WROTE, CONNECTED, ESCAPED) are what the test looks for in the
graded notebook: none of them may appear.
"""

import json
import pathlib
from dataclasses import dataclass, field

import nbformat

from notebook_parts import SOLUTION_REGION, filled, hidden_code, release, source

from . import reference_answers

ID = "01_notation"
FULL = 10


@dataclass
class Hostile:
    student: str
    content: object        # NotebookNode, bytes for a file that is not a notebook, None for none
    score: float
    problem: str = None    # a phrase of its problems.csv line; None: no line
    files: dict = field(default_factory=dict)  # other entries of the folder: {relative path: Entry}
    problems: tuple = ()   # more phrases, each of which some line of its own must contain


@dataclass
class Entry:
    """A folder entry that is not a plain notebook: kind is file, symlink, hardlink, fifo, socket
    or device; `data` is a file's bytes, a link's target, or (major, minor) of a device."""
    kind: str
    data: object = None


def with_cell(code, first=False, copies=1):
    """The reference answers plus a code cell (`copies` of it), at the end or before every other
    code cell."""
    nb = filled(release(ID), reference_answers(ID))
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code") if first else \
        len(nb.cells)
    for _ in range(copies):
        nb.cells.insert(index, nbformat.v4.new_code_cell(code))
    return nb


def secret_lines():
    """Lines of 01's hidden tests and reference solutions: what no submission may find anywhere."""
    public = {line.strip() for cell in release(ID).cells for line in cell.source.splitlines()}
    private = [line.strip() for cell in source(ID).cells
               for region in [hidden_code(cell)] + SOLUTION_REGION.findall(cell.source)
               for line in region.splitlines()]
    return sorted({line for line in private if len(line) > 30 and line not in public})


def hostile(paths, listener_port, grader_pid):
    """The corpus. paths: {name: absolute path} of what a submission must not read or write."""
    secrets = secret_lines()
    assert len(secrets) > 10
    secrets = json.dumps(secrets)
    secret_paths = json.dumps([paths["solution"], paths["gradebook"], paths["other_student"]])
    forbidden_writes = json.dumps([paths["repo"] + "/PWNED", paths["venv"] + "/PWNED",
                                   paths["workdir"] + "/PWNED", paths["submissions"] + "/PWNED",
                                   paths["host_tmp"] + "/PWNED"])
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
          "worksheets": [{"cells": [{"cell_type": "code", "input": "1 + 1", "language": "python",
                                     "outputs": [], "metadata": {}}], "metadata": {}}]}
    return [
        # Resource exhaustion: stopped at a limit; the points earned before it are kept.
        Hostile("endless-loop", with_cell("while True:\n    pass"), FULL, "cell limit"),
        Hostile("sleeps-first", with_cell("import time\ntime.sleep(10 ** 6)", first=True), FULL,
                "cell limit"),
        Hostile("ignores-interrupt", with_cell(
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
            0, "longer than"),
        Hostile("memory-bomb", with_cell(
            "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 2 ** 20))"), FULL,
            "out of memory"),
        Hostile("fork-storm", with_cell(
            "import os, time\n"
            "children = []\n"
            "for _ in range(1000):\n"
            "    pid = os.fork()\n"
            "    if pid == 0:\n"
            "        time.sleep(777)\n"
            "        os._exit(0)\n"
            "    children.append(pid)"), FULL, "processes"),
        Hostile("daemon", with_cell(
            "import subprocess\n"
            "subprocess.Popen(['sh', '-c', 'setsid sleep 778 < /dev/null > /dev/null 2>&1 &'])"),
            FULL),
        Hostile("output-flood", with_cell(
            "for _ in range(3000):\n    print('x' * 9999)"), FULL,
            "printed too much"),
        Hostile("huge-file", with_cell(
            "with open('huge.bin', 'wb') as f:\n"
            "    for _ in range(64):\n"
            "        f.write(bytes(8 * 2 ** 20))"), FULL, "size limit"),
        Hostile("fills-disk", with_cell(
            "for i in range(100):\n"
            "    with open(f'/tmp/part{i}.bin', 'wb') as f:\n"
            "        f.write(bytes(32 * 2 ** 20))"), FULL, "scratch space"),
        # Attacking the grader.
        Hostile("exits", with_cell("import os\nos._exit(0)"), 0, "kernel died"),
        Hostile("sys-exit", with_cell("import sys\nsys.exit(3)"), FULL),
        Hostile("kills-others", with_cell(
            "import os, signal\n"
            f"for pid in (os.getppid(), 0, -1, 1, {grader_pid}):\n"
            "    try:\n"
            "        os.kill(pid, signal.SIGUSR1 if pid > 1 else signal.SIGKILL)\n"
            "        print('signalled', pid)\n"
            "    except OSError as error:\n"
            "        print(pid, type(error).__name__)\n"
            "print('processes seen:', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))",
            first=True), FULL),
        # Files.
        Hostile("reads-secrets", with_cell(
            "import json, os\n"
            f"for path in json.loads({secret_paths!r}):\n"
            "    try:\n"
            "        open(path, 'rb').read(1)\n"
            "        print('LEAK', path)\n"
            "    except OSError as error:\n"
            "        print('blocked', type(error).__name__)\n"
            "searched = 0\n"
            "for top in ('/', '/work', '/root', '/home', '/tmp', '/srv', '/opt', '/var', '/mnt'):\n"
            "    for folder, subfolders, files in os.walk(top):\n"
            "        subfolders[:] = [d for d in subfolders\n"
            "                         if d not in ('proc', 'sys', 'usr', 'site-packages')]\n"
            "        for name in files:\n"
            "            if name.endswith(('.ipynb', '.db', '.sqlite')):\n"
            "                searched += 1\n"
            "                try:\n"
            "                    text = open(os.path.join(folder, name), errors='replace').read()\n"
            "                except OSError:\n"
            "                    continue\n"
            f"                if any(line in text for line in json.loads({secrets!r})) \\\n"
            f"                        or ('SQLite format' in text and {ID!r} in text):\n"
            "                    print('LEAK', os.path.join(folder, name))\n"
            "print('searched', searched, 'files')"), FULL),
        Hostile("writes-outside", with_cell(
            "import json\n"
            f"for path in json.loads({forbidden_writes!r}):\n"
            "    try:\n"
            "        open(path, 'w').write('pwned')\n"
            "        print('WROTE', path)\n"
            "    except OSError as error:\n"
            "        print('blocked', type(error).__name__)"), FULL),
        Hostile("swaps-sockets", with_cell(
            "import os\n"
            "from ipykernel.kernelapp import IPKernelApp\n"
            "connection = IPKernelApp.instance().connection_file\n"
            "ipc = os.path.dirname(connection)\n"
            "for attempt in (lambda: os.symlink('/run', os.path.join(ipc, 'kernel-link')),\n"
            "                lambda: os.rename(connection, connection + '.moved'),\n"
            "                lambda: os.listdir(ipc)):\n"
            "    try:\n"
            "        attempt()\n"
            "        print('SWAPPED')\n"
            "    except OSError as error:\n"
            "        print('ipc locked', type(error).__name__)"), FULL),
        # Network.
        Hostile("network", with_cell(
            "import socket\n"
            f"for address in [('127.0.0.1', {listener_port}), ('1.1.1.1', 53), "
            "('pypi.org', 443)]:\n"
            "    try:\n"
            "        socket.create_connection(address, timeout=2).close()\n"
            "        print('CONNECTED', address)\n"
            "    except OSError as error:\n"
            "        print('no network', type(error).__name__)"), FULL),
        # Honest code stays whole: prints, warns, plots, threads.
        Hostile("honest-noisy", with_cell(
            "import warnings\nfrom concurrent.futures import ThreadPoolExecutor\n"
            "import matplotlib.pyplot as plt\nimport numpy as np\n"
            "from threadpoolctl import threadpool_limits\n"
            "print('hello ' * 1000)\nwarnings.warn('a warning from honest code')\n"
            "np.log(np.zeros(1))\nplt.plot([1, 2, 3])\nplt.show()\n"
            "with threadpool_limits(limits=2):\n"
            "    a = np.random.default_rng(0).standard_normal((300, 300))\n"
            "    inverses = list(ThreadPoolExecutor(4).map(np.linalg.inv, [a] * 8))\n"
            "with open('notes.txt', 'w') as f:\n    f.write('scratch space works')\n"
            "print('inverse error below 1e-9:', float(np.abs(inverses[0] @ a - np.eye(300)).max()) < 1e-9)"),
            FULL),
        # Malformed files.
        Hostile("nbformat-3", json.dumps(v3).encode(), 0, "nbformat 3"),
        Hostile("no-cells", nbformat.writes(nbformat.v4.new_notebook()).encode(), 0, "no cells"),
        Hostile("oversized", with_cell("# " + "x" * (3 * 2 ** 20)), 0, "over the 2 MiB limit"),
        Hostile("many-cells", nbformat.writes(nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_raw_cell("") for _ in range(12000)])).encode(), 0,
            "12000 cells, over the limit"),
        Hostile("deep-json", b'{"nbformat": 4, "metadata": ' + b"[" * 200_000 + b"]" * 200_000
                + b"}", 0, "not a readable notebook"),
        # Files that start-up code would read: none may run, before or after the drop of privileges.
        Hostile("startup-files", with_cell(STARTUP_REPORT), FULL, files=startup_files()),
        # Links and special files: refused, never followed; the notebook itself a link scores 0.
        Hostile("links", with_cell(READ_EVERY_FILE), FULL, "shadow is a symbolic link",
                files={"shadow": Entry("symlink", "/etc/shadow"),
                       "environ": Entry("symlink", "/proc/self/environ"),
                       "solution.txt": Entry("symlink", paths["solution"]),
                       "gradebook.bin": Entry("symlink", paths["gradebook"]),
                       "sub/etc": Entry("symlink", "/etc"),
                       "zero": Entry("symlink", "/dev/zero"),
                       "hard.txt": Entry("hardlink", paths["host_secret"]),
                       "pipe": Entry("fifo"), "sock": Entry("socket"),
                       "zero-device": Entry("device", (1, 5)),
                       "sub/ok.txt": Entry("file", b"an honest extra file")},
                problems=("sub/etc is a symbolic link", "hard.txt has other hard links",
                          "pipe is a FIFO", "sock is a socket", "zero-device is a device",
                          "zero is a symbolic link")),
        Hostile("notebook-link", None, 0, f"{ID}.ipynb is a symbolic link",
                files={f"{ID}.ipynb": Entry("symlink", paths["solution"])}),
        Hostile("classmate-link", None, 0, f"{ID}.ipynb is a symbolic link",
                files={f"{ID}.ipynb": Entry("symlink", paths["other_student"])}),
        Hostile("folder-link", None, 0, "is a symbolic link",
                files={"": Entry("symlink", str(pathlib.Path(paths["other_student"]).parent))}),
        Hostile("many-files", with_cell("import os\nprint('files here:', len(os.listdir('.')))"),
                FULL, "other files than the limit",
                files={f"f{i:03}.txt": Entry("file", b"x") for i in range(150)}),
        Hostile("big-files", with_cell("import os\nprint('sizes:', sorted(os.path.getsize(n) "
                                       "for n in os.listdir('.') if n.endswith('.bin')))"),
                FULL, "b.bin not copied: the other files",
                files={"a.bin": Entry("file", bytes(12 * 2 ** 20)),
                       "b.bin": Entry("file", bytes(12 * 2 ** 20))}),
        # Output that grows by display updates and widget state counts against the output cap.
        Hostile("display-updates", with_cell(
            "from IPython.display import display, update_display\n"
            "for _ in range(500):\n"
            "    display({'text/plain': 'x'}, raw=True, display_id='grow')\n"
            "update_display({'text/plain': 'y' * 80000}, raw=True, display_id='grow')"), FULL,
            "printed too much"),
        Hostile("prints-in-every-cell", with_cell("print('w' * 900_000)", copies=20), FULL,
                "printed too much"),
        Hostile("widget-state", with_cell(
            "from comm import create_comm\n"
            "state = {'state': {'v': 'z' * 2 ** 20}, 'buffer_paths': []}\n"
            "comms = [create_comm(target_name='jupyter.widget', data=state) for _ in range(40)]"),
            FULL, "printed too much"),
        # Names that are patterns to glob; a name that cannot be stored is refused.
        Hostile("a12-br[1]", with_cell("print('honest')"), FULL),
        Hostile("star*and?mark", with_cell("print('honest')"), FULL),
    ]


STARTUP_MARK = """
import os
status = [l for l in open('/proc/self/status').read().splitlines() if l.startswith('CapEff')]
open('/tmp/STARTUP-RAN-{name}', 'w').write(f'uid {{os.getuid()}} {{status}}')
"""

STARTUP_REPORT = (
    "import os, matplotlib\n"
    "print('startup files ran:',\n"
    "      sorted(n for n in os.listdir('/tmp') if n.startswith('STARTUP')))\n"
    "print('linewidth', matplotlib.rcParams['lines.linewidth'])\n"
    "for line in open('/proc/self/status').read().splitlines():\n"
    "    if line.startswith(('Cap', 'NoNewPrivs', 'Uid', 'Groups')):\n"
    "        print('status', line.replace('\\t', ' '))\n"
    # the escape from a mount namespace that CAP_DAC_READ_SEARCH allows
    "import ctypes\n"
    "class Handle(ctypes.Structure):\n"
    "    _fields_ = [('size', ctypes.c_uint), ('kind', ctypes.c_int), "
    "('data', ctypes.c_ubyte * 128)]\n"
    "libc, handle, mount = ctypes.CDLL(None, use_errno=True), Handle(128), ctypes.c_int()\n"
    "libc.name_to_handle_at(-100, b'/', ctypes.byref(handle), ctypes.byref(mount), 0)\n"
    "fd = libc.open_by_handle_at(os.open('/', os.O_RDONLY), ctypes.byref(handle), 0)\n"
    "print('open_by_handle_at:', 'ESCAPED' if fd >= 0 else os.strerror(ctypes.get_errno()))\n")

READ_EVERY_FILE = (
    "import os\n"
    "for folder, subfolders, names in os.walk('.'):\n"
    "    for name in names:\n"
    "        path = os.path.join(folder, name)\n"
    "        try:\n"
    "            print('READ', path, open(path, 'rb', buffering=0).read(300))\n"
    "        except OSError as error:\n"
    "            print('cannot read', path, type(error).__name__)\n")


def startup_files():
    """Every file Python, IPython, Jupyter or matplotlib could read at start-up from the working
    folder or $HOME: each would leave a mark in /tmp if it ran."""
    code = ["sitecustomize.py", "usercustomize.py", ".ipython/profile_default/startup/00-a.py",
            ".ipython/profile_default/ipython_config.py",
            ".ipython/profile_default/ipython_kernel_config.py", "ipython_config.py",
            "ipython_kernel_config.py", ".jupyter/jupyter_config.py", "jupyter_config.py",
            ".config/ipython/profile_default/startup/00-b.py", ".pythonrc.py",
            ".local/lib/python3.11/site-packages/usercustomize.py"]
    files = {path: Entry("file", STARTUP_MARK.format(name=path.replace("/", "_")).encode())
             for path in code}
    files["evil.pth"] = Entry("file", ("import os; " + "; ".join(
        STARTUP_MARK.format(name="pth").strip().splitlines()[1:])).encode())
    for path in ("matplotlibrc", ".matplotlib/matplotlibrc", ".config/matplotlib/matplotlibrc"):
        files[path] = Entry("file", b"lines.linewidth: 7.25\n")
    return files
