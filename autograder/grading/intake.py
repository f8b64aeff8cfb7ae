"""Take in one submission folder: regular files and folders only, bounded, no link ever followed.

A student controls every byte of their folder, its entries' kinds included. `take_in` copies it
into a job's scratch course through file descriptors opened relative to their folder with
O_NOFOLLOW, so every byte read comes from inside the submission folder, whatever its entries are:

- symbolic links, FIFOs, sockets, devices and files with other hard links are refused, never
  opened (each gets a problem line);
- other files are capped in number and in total size, folders in depth;
- the notebook must be a regular file within the size limit, valid JSON of bounded depth, nbformat
  4, valid against nbformat's schema, with at most `max_cells` cells; otherwise `Refused`.

It runs in the grading worker, under the job's time limit, so a notebook that takes long to read
slows only its own job.
"""

import dataclasses
import errno
import json
import os
import stat

import nbformat

MiB = 1024 * 1024
SKIPPED = {".ipynb_checkpoints", "__pycache__"}   # made by Jupyter and Python, never graded


@dataclasses.dataclass
class IntakeLimits:
    """What a submission folder may hold; no defaults here: `Settings.intake()` gives them."""
    notebook_bytes: int   # the graded notebook
    max_cells: int        # cells in the graded notebook
    other_files: int      # files besides the notebook
    other_bytes: int      # their total size
    depth: int            # folders within folders


class Refused(Exception):
    """The notebook cannot be graded; the message says why, for an instructor."""


def take_in(source, target, notebook_name, limits):
    """Copy the submission folder `source` to the new folder `target`; return problem sentences.

    Raises Refused when the notebook itself cannot be graded (nothing useful is left in target).
    """
    try:
        top = os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise Refused(_open_failure("the submission folder", error)) from None
    try:
        os.makedirs(target)
        out = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            copier = _Copier(limits, os.fstat(top).st_dev)
            data = copier.notebook(top, out, notebook_name)
            check_notebook(data, notebook_name, limits)
            copier.folder(top, out, "", depth=0, skip={notebook_name})
            return copier.problems
        finally:
            os.close(out)
    finally:
        os.close(top)


class _Copier:
    def __init__(self, limits, device):
        self.limits, self.device = limits, device
        self.problems, self.files, self.bytes = [], 0, 0
        self.over_count = self.over_size = 0

    def notebook(self, folder, out, name):
        try:
            info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            raise Refused(f"no {name} in the submission") from None
        refusal = self._kind(info)
        if refusal:
            raise Refused(f"{name} {refusal}")
        if info.st_size > self.limits.notebook_bytes:
            raise Refused(f"{name} is {info.st_size / MiB:.1f} MiB, over the "
                          f"{self.limits.notebook_bytes / MiB:.0f} MiB limit")
        data = self._read(folder, name, info, self.limits.notebook_bytes)
        if data is None:
            raise Refused(f"{name} changed while it was read")
        if len(data) > self.limits.notebook_bytes:
            raise Refused(f"{name} is over the {self.limits.notebook_bytes / MiB:.0f} MiB limit")
        _write(out, name, data)
        return data

    def folder(self, folder, out, prefix, depth, skip=()):
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries)
        for name in names:
            if name in skip or name in SKIPPED:
                continue
            shown = prefix + printable(name)
            try:
                info = os.stat(name, dir_fd=folder, follow_symlinks=False)
            except OSError:
                continue  # gone meanwhile
            if stat.S_ISDIR(info.st_mode) and info.st_dev == self.device:
                if depth >= self.limits.depth:
                    self.problems.append(f"{shown}/ not copied: folders nested deeper than "
                                         f"{self.limits.depth}")
                    continue
                try:
                    inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                                    dir_fd=folder)
                except OSError as error:
                    self.problems.append(_open_failure(shown, error))
                    continue
                try:
                    os.mkdir(name, 0o755, dir_fd=out)
                    inner_out = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                                        dir_fd=out)
                    try:
                        self.folder(inner, inner_out, shown + "/", depth + 1)
                    finally:
                        os.close(inner_out)
                finally:
                    os.close(inner)
                continue
            refusal = self._kind(info)
            if refusal:
                self.problems.append(f"{shown} {refusal}; not copied")
                continue
            self.file(folder, out, name, shown, info)

    def file(self, folder, out, name, shown, info):
        if self.files >= self.limits.other_files:
            self.over_count += 1
            if self.over_count == 1:
                self.problems.append(f"more other files than the limit of "
                                     f"{self.limits.other_files}; {shown} and the rest not copied")
            return
        room = self.limits.other_bytes - self.bytes
        if info.st_size > room:
            self.over_size += 1
            self.problems.append(f"{shown} not copied: the other files would pass the "
                                 f"{self.limits.other_bytes / MiB:.0f} MiB limit")
            return
        data = self._read(folder, name, info, room)
        if data is None or len(data) > room:
            self.problems.append(f"{shown} changed while it was read; not copied")
            return
        self.files += 1
        self.bytes += len(data)
        _write(out, name, data)

    def _kind(self, info):
        """Why an entry is refused, or None for a regular file with no other hard link."""
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            return "is a symbolic link"
        if stat.S_ISFIFO(mode):
            return "is a FIFO (named pipe)"
        if stat.S_ISSOCK(mode):
            return "is a socket"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            return "is a device"
        if stat.S_ISDIR(mode):
            return "is a mount point"
        if not stat.S_ISREG(mode):
            return "is not a regular file"
        if info.st_nlink > 1:
            return "has other hard links (it may be someone else's file)"
        if info.st_dev != self.device:
            return "is on another file system"
        return None

    def _read(self, folder, name, info, limit):
        """At most limit + 1 bytes of a regular file, or None if it is no longer the one seen."""
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY,
                     dir_fd=folder)
        try:
            now = os.fstat(fd)
            if (now.st_ino, now.st_dev) != (info.st_ino, info.st_dev) or self._kind(now):
                return None
            chunks, size = [], 0
            while size <= limit:
                chunk = os.read(fd, min(1 * MiB, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)


def _write(folder, name, data):
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644,
                 dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def printable(name):
    """A file name as text that any output can hold (bytes that are not UTF-8 replaced)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _open_failure(shown, error):
    if error.errno in (errno.ELOOP, errno.ENOTDIR):
        return f"{shown} is a symbolic link or not a folder; not graded"
    return f"{shown} could not be opened ({os.strerror(error.errno)})"


def check_notebook(data, name, limits):
    """Raise Refused unless `data` (bytes) is a gradable nbformat 4 notebook."""
    if not data.strip():
        raise Refused(f"{name} is empty")
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise Refused(f"{name} is not a readable notebook ({type(error).__name__}: "
                      f"{_first_line(error)})") from None
    if not isinstance(parsed, dict):
        raise Refused(f"{name} is not a readable notebook (not a JSON object)")
    version = parsed.get("nbformat")
    if version != 4:
        raise Refused(f"{name} is nbformat {version}, not 4: open it in Jupyter and save it "
                      f"again, or hand in the notebook that was released")
    cells = parsed.get("cells")
    if isinstance(cells, list) and len(cells) > limits.max_cells:
        raise Refused(f"{name} has {len(cells)} cells, over the limit of {limits.max_cells}")
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as error:
        raise Refused(f"{name} is not a readable notebook ({type(error).__name__}: "
                      f"{_first_line(error)})") from None
    if not nb.cells:
        raise Refused(f"{name} has no cells")


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0][:120] if text else ""
