"""JSON lines over a child process's stdin and stdout, with a time limit on each reply."""

import json
import os
import select


class ChannelError(RuntimeError):
    """No reply in time, or the other side has gone."""


class Channel:
    """Send one JSON object per line to `process`, read one back per line."""

    def __init__(self, process):
        self.process = process
        self._buffer = b""

    def send(self, message):
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except (OSError, ValueError):
            raise ChannelError("the process has exited") from None

    def receive(self, timeout):
        while b"\n" not in self._buffer:
            try:  # the pipe may be closed under us when the other side is being stopped
                out = self.process.stdout.fileno()
                ready, _, _ = select.select([out], [], [], timeout)
                if not ready:
                    raise ChannelError(f"no reply in {timeout:g} s")
                chunk = os.read(out, 65536)
            except (OSError, ValueError):
                raise ChannelError("the process has exited") from None
            if not chunk:
                raise ChannelError("the process closed its output (it has exited)")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)
