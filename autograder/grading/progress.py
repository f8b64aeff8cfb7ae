"""Progress of a grading run: a redrawn bar on a terminal, one plain line per submission otherwise."""

import time


class Progress:
    def __init__(self, total, stream, verb="graded"):
        self.total, self.stream, self.verb = total, stream, verb
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def advance(self, label, failed=False):
        self.done += 1
        self.failed += bool(failed)
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        status = (f"{self.done}/{self.total} {self.verb}, {self.failed} with problems, "
                  f"ETA {eta:.0f} s")
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {status}   ")
        else:
            self.stream.write(f"{status} ({label}{', problem' if failed else ''})\n")
        self.stream.flush()

    def finish(self, kept=0):
        """The closing line; kept: submissions whose result from an earlier run was kept."""
        elapsed = time.monotonic() - self.started
        end = "\n" if self.tty and self.total else ""
        line = (f"{end}{self.verb} {self.done} submission{'' if self.done == 1 else 's'} in "
                f"{elapsed:.1f} s, {self.failed} with problems")
        if kept:
            line += (f"; kept {kept} result{'' if kept == 1 else 's'} from an earlier run "
                     f"(--force regrades {'it' if kept == 1 else 'them'})")
        self.stream.write(line + "\n")
        self.stream.flush()
