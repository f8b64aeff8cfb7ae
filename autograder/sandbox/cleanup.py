"""Remove a folder whatever it holds, without recursion, and never raise.

Every clean-up of the grader goes through `remove_tree`: spools, job folders, scratch courses.
shutil.rmtree recurses once per level (a tree 1,000 levels deep raises RecursionError, which
`ignore_errors` does not catch) and gives up on folders without permissions. Here the tree is
flattened instead: each folder's sub-folders are moved up to the top folder before it is
emptied, so at most two folders are open at any time, whatever the depth, and names of any
length are only ever used one at a time relative to an open folder.
"""

import os
import stat

DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def remove_tree(path):
    """Remove `path` (a folder, or anything else) and all it holds; links are removed, never
    followed, and no other file system is entered.

    Returns None when it is gone (or never was), else one sentence saying what was left and why.
    """
    path = os.fspath(path)
    tally = _Tally()
    try:
        _remove(path, tally)
    except Exception as error:  # never raise: a clean-up failure is a problem line, not a crash
        tally.fail(path, error)
    if tally.error is None and not os.path.lexists(path):
        return None
    return tally.sentence(path)


class _Tally:
    """What a removal met: entries, depth, and the first failure."""

    def __init__(self):
        self.entries, self.depth, self.error = 0, 0, None

    def fail(self, name, error):
        if self.error is None:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else \
                f"{type(error).__name__}: {error}"
            self.error = f"{reason} ({os.fsdecode(name)[:80]})"

    def sentence(self, path):
        held = f"it held {self.entries:,} entries"
        if self.depth > 1:
            held += f", folders {self.depth:,} levels deep"
        return f"{path} could not be removed entirely: {self.error or 'it is still there'}; {held}"


def _remove(path, tally):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return
    top = _open_folder(path, None)
    try:
        pending = [(None, 1)]    # folders still to empty: None is the top, others are its entries
        moved = 0
        while pending:
            name, depth = pending.pop()
            tally.depth = max(tally.depth, depth)
            folder = top if name is None else _open_folder(name, top)
            try:
                for entry in _entries(folder):
                    tally.entries += 1
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            if entry.stat(follow_symlinks=False).st_dev != info.st_dev:
                                raise OSError(16, "a file system is mounted there", entry.name)
                            if name is None:
                                pending.append((entry.name, depth + 1))
                                continue
                            moved, flat = _free_name(top, moved)
                            _move_up(entry.name, folder, flat, top)
                            pending.append((flat, depth + 1))
                        else:
                            os.unlink(entry.name, dir_fd=folder)
                    except OSError as error:
                        tally.fail(entry.name, error)
            finally:
                if folder != top:
                    os.close(folder)
            if name is not None:
                try:
                    os.rmdir(name, dir_fd=top)
                except OSError as error:
                    tally.fail(name, error)
    finally:
        os.close(top)
    os.rmdir(path)


def _entries(folder):
    """The entries of an open folder, read in full before any is removed."""
    with os.scandir(folder) as found:
        return list(found)


def _free_name(top, moved):
    """(count, a name no entry of `top` has yet) for a folder moved up."""
    while True:
        moved += 1
        try:
            os.stat(f".removing-{moved}", dir_fd=top, follow_symlinks=False)
        except FileNotFoundError:
            return moved, f".removing-{moved}"


def _open_folder(name, parent):
    """Open a folder (never through a link); one without read or search permission is given them
    first (its owner may have taken them away)."""
    try:
        return os.open(name, DIRECTORY, dir_fd=parent)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=parent)
        return os.open(name, DIRECTORY, dir_fd=parent)


def _move_up(name, folder, flat, top):
    """Move the sub-folder `name` of `folder` to `top` as `flat` (moving a folder to another
    parent needs write permission on it, which its owner may have taken away)."""
    try:
        os.rename(name, flat, src_dir_fd=folder, dst_dir_fd=top)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=folder)
        os.rename(name, flat, src_dir_fd=folder, dst_dir_fd=top)
