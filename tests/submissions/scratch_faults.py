"""Submissions of 01_notation that attack the clean-up of their scratch space and the host's disk.

Each is the reference answers (10 points) plus one last cell. The cell first tries the job's
folder in the worker's spool on the host (beside its kernel's sockets: `files/`, where the
student's other files are staged); it prints `HOST WRITABLE` if it could write there and then
makes its tree there, else `host blocked` and makes it in its own scratch space (`/job`, `/tmp`,
`/dev/shm`: size-limited tmpfs in its mount namespace). Whatever it made must be gone after
grading, and nobody else's grading may notice.
"""

from .hostile import FULL, Hostile, with_cell

DEPTH = 5000
MANY_FILES = 100_000
LONG_NAME_LEVELS = 40   # 40 folders of 255-character names: a path of over 10 000 characters

# Finds the job's files/ folder on the host through the kernel's own connection file.
TARGET = """\
import os, socket
from ipykernel.kernelapp import IPKernelApp
host = os.path.join(os.path.dirname(os.path.dirname(IPKernelApp.instance().connection_file)),
                    'files')
owner = os.stat(host)
print(f'files owner {owner.st_uid} mode {oct(owner.st_mode & 0o777)}')
try:
    probe = os.path.join(host, 'probe')
    open(probe, 'w').close()
    os.unlink(probe)
    target = host
    print(f'HOST WRITABLE {host}')
except OSError as error:
    target = '/job'
    print(f'host blocked {error.strerror}')
"""

DEEP_TREE = TARGET + f"""\
fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
for level in range({DEPTH}):
    os.mkdir('d', dir_fd=fd)
    inner = os.open('d', os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = inner
os.close(fd)
print(f'levels made {{level + 1}}')
"""

MANY = TARGET + f"""\
made = 0
try:
    for number in range({MANY_FILES}):
        with open(os.path.join(target, f'f{{number}}'), 'w') as f:
            f.write('x')
        made += 1
finally:
    print(f'files made {{made}}')
"""

LOCKED = TARGET + """\
os.makedirs(os.path.join(target, 'locked', 'inner'))
open(os.path.join(target, 'locked', 'inner', 'kept.txt'), 'w').write('kept')
os.chmod(os.path.join(target, 'locked', 'inner'), 0)
os.chmod(os.path.join(target, 'locked'), 0)
print(f"locked {oct(os.stat(os.path.join(target, 'locked')).st_mode & 0o777)}")
"""

SPECIAL = TARGET + """\
os.mkfifo(os.path.join(target, 'pipe'))
os.chdir(target)
server = socket.socket(socket.AF_UNIX)
server.bind('sock')
server.listen()
held = open(os.path.join(target, 'held.txt'), 'w')
held.write('still open')
os.chdir('/job')
print(f'special files made {sorted(os.listdir(target))}')
"""

# A file exactly as large as /dev/shm (a scratch tmpfs of its own, as large as the largest file
# the kernel may write), then one byte more: that one does not fit. Where the host is writable,
# 300 MiB go there first.
EXACT_SIZE = TARGET + """\
mib = 2 ** 20
if target != '/job':
    for part in range(5):
        with open(os.path.join(target, f'part{part}.bin'), 'wb') as f:
            for _ in range(60):
                f.write(bytes(mib))
    print('host written MiB 300')
size = os.statvfs('/dev/shm').f_blocks * os.statvfs('/dev/shm').f_frsize
with open('/dev/shm/exact.bin', 'wb') as f:
    for _ in range(size // mib):
        f.write(bytes(mib))
print(f"exact file MiB {os.path.getsize('/dev/shm/exact.bin') / mib} of {size / mib}")
with open('/dev/shm/one-more.bin', 'wb') as f:
    f.write(b'x')
    f.flush()
    os.fsync(f.fileno())
print('one byte more fitted')
"""

LONG_NAMES = TARGET + f"""\
fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
for level in range({LONG_NAME_LEVELS}):
    name = str(level % 10) * 255
    os.mkdir(name, dir_fd=fd)
    inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = inner
done = os.open('e' * 255, os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
os.close(done)
os.close(fd)
print(f'long levels made {{level + 1}}')
"""

SCRATCH_FULL = "filled its scratch space"


def scratch_faults():
    """The corpus: (student id, Hostile) with the exact score and problem phrase each must get."""
    return [
        Hostile("deep-tree", with_cell(DEEP_TREE), FULL),
        Hostile("many-small-files", with_cell(MANY), FULL, SCRATCH_FULL),
        Hostile("locked-folder", with_cell(LOCKED), FULL),
        Hostile("fifo-and-socket", with_cell(SPECIAL), FULL),
        Hostile("exact-size-file", with_cell(EXACT_SIZE), FULL, SCRATCH_FULL),
        Hostile("long-names", with_cell(LONG_NAMES), FULL),
    ]
